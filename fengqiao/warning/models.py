from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock
from fengqiao.warning.choices import AlertKind, AlertStatus, Severity


class Alert(models.Model):
    """One warning about one situation, owned by the unit that must act on it.

    ``key`` names the situation (e.g. ``high_risk:dispute:42``): raising the same
    situation again updates the open alert instead of adding another, so officers
    get a digest, not a flood.
    """

    key = models.CharField(_("情形标识"), max_length=120)
    kind = models.CharField(_("类型"), max_length=32, choices=AlertKind.choices)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    owner_unit = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("责任区划"), on_delete=models.PROTECT, related_name="+"
    )
    dispute = models.ForeignKey(
        "cases.Dispute", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    title = models.CharField(_("标题"), max_length=200)
    reason = models.TextField(_("原因"))
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    created_at = models.DateTimeField(_("首次预警"), default=clock.now)
    updated_at = models.DateTimeField(_("最近更新"), default=clock.now)
    handled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("处置情况"), blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["open", "acknowledged"]),
                name="alert_one_active_per_situation",
            )
        ]
        indexes = [models.Index(fields=["owner_unit", "status", "updated_at"])]
