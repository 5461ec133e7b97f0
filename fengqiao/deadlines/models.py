from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("计时中")
    MET = "met", _("已完成")
    CANCELLED = "cancelled", _("已终止")


class Deadline(models.Model):
    """One running legal time limit (a rule of ``rules.RULES``) on one subject.

    The engine keeps one open deadline per rule family and subject; starting a new
    one closes the old. The sweep (``jobs.sweep``) reminds before the last day and,
    once it has passed, stamps ``expired_at`` and raises an alert — so no open case
    can sit past a deadline unseen. An expired deadline stays open (the duty remains)
    until what it waits for is done; met late is ``closed_at`` after ``due_on``.
    """

    rule = models.CharField(_("期限规则"), max_length=40)
    dispute = models.ForeignKey(
        "cases.Dispute", null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    subject = models.CharField(_("其他对象"), max_length=80, blank=True)
    admin_unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    started_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("届满日"))
    remind_on = models.DateField(_("提醒日"))
    estimated = models.BooleanField(_("节假日安排未公布，按周末估算"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    reminded_at = models.DateTimeField(_("已提醒"), null=True, blank=True)
    expired_at = models.DateTimeField(_("超期预警时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("延长次数"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(status="open", expired_at__isnull=True),
                name="deadline_open_due",
            ),
            models.Index(
                fields=["remind_on"],
                condition=models.Q(status="open", reminded_at__isnull=True),
                name="deadline_open_remind",
            ),
            models.Index(fields=["dispute", "status"], name="deadline_dispute_status"),
            models.Index(fields=["admin_unit", "status", "due_on"], name="deadline_unit_status_due"),
        ]
