from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    HIGH_RISK = "high_risk", _("高风险纠纷")
    DEADLINE_SOON = "deadline_soon", _("期限即将届满")
    DEADLINE_EXPIRED = "deadline_expired", _("期限已超期")
    # The early-warning signals (智慧监测预警): fengqiao/warning/signals.
    REPEAT_DISPUTE = "repeat_dispute", _("重复纠纷")
    ESCALATION = "escalation", _("激化苗头")
    CIVIL_TO_CRIMINAL = "civil_to_criminal", _("民转刑风险")
    MASS_DISPUTE = "mass_dispute", _("群体性纠纷苗头")
    HOTSPOT = "hotspot", _("纠纷高发")
    TIER_BOUNCING = "tier_bouncing", _("层级反复流转")


# The kinds the early-warning signals raise (the simulator counts these).
SIGNAL_KINDS = (
    AlertKind.REPEAT_DISPUTE,
    AlertKind.ESCALATION,
    AlertKind.CIVIL_TO_CRIMINAL,
    AlertKind.MASS_DISPUTE,
    AlertKind.HOTSPOT,
    AlertKind.TIER_BOUNCING,
)


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


SEVERITY_ORDER = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    HANDLED = "handled", _("已处置")
    CLOSED = "closed", _("已关闭")


ACTIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
