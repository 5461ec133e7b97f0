from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    HIGH_RISK = "high_risk", _("高风险纠纷")
    DEADLINE_SOON = "deadline_soon", _("期限即将届满")
    DEADLINE_EXPIRED = "deadline_expired", _("期限已超期")


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    HANDLED = "handled", _("已处置")
    CLOSED = "closed", _("已关闭")


ACTIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
