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
        indexes = [
            models.Index(fields=["owner_unit", "status", "updated_at"]),
            # Signals look up a situation's earlier alerts (cool-down after handling).
            models.Index(fields=["key", "updated_at"], name="alert_key_updated"),
        ]


class PartyKey(models.Model):
    """A party as the early-warning signals know it: the person it resolves to and the
    keys to find it again (entity resolution, ``warning.resolution``).

    ``person`` is the resolved entity: the smallest party id of everyone linked to it,
    so the nightly recomputation and the per-case path agree on it. ``block`` is the
    key for matching without an ID number or phone (village + name sound, or the
    organisation's name key); ID numbers and phones are looked up on the parties'
    own indexes, so the index keeps no second copy of them (个人信息保护法 Art. 51:
    no more copies of personal information than the purpose needs). ``unit`` and
    ``received_at`` are the dispute's, copied so that mass-dispute counts per
    respondent are one index range.
    """

    party = models.OneToOneField("cases.Party", primary_key=True, on_delete=models.CASCADE, related_name="+")
    dispute = models.ForeignKey("cases.Dispute", on_delete=models.CASCADE, related_name="+")
    person = models.BigIntegerField(_("人员标识"))
    role = models.CharField(_("当事人地位"), max_length=16)
    unit = models.BigIntegerField(_("纠纷发生地"))
    received_at = models.DateTimeField(_("登记时间"))
    block = models.CharField(_("比对键"), max_length=120)
    # Keyed hashes (blind indexes) of the phone's first and last five digits with the
    # name's sound: "one digit wrong" pairs are found by them without decrypting any
    # phone (a typo leaves one of the two halves intact).
    phone_head = models.CharField(max_length=16, blank=True)
    phone_tail = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("当事人索引")
        verbose_name_plural = _("当事人索引")
        indexes = [
            models.Index(fields=["block"], name="partykey_block"),
            models.Index(fields=["person", "received_at"], name="partykey_person_recv"),
            models.Index(
                fields=["phone_head"], name="partykey_phone_head", condition=~models.Q(phone_head="")
            ),
            models.Index(
                fields=["phone_tail"], name="partykey_phone_tail", condition=~models.Q(phone_tail="")
            ),
        ]


class DailyCount(models.Model):
    """Disputes registered per day, admin unit (township, county, province) and type —
    ``dispute_type`` "" for all types. What the hotspot test reads (``hotspots``):
    kept up to date by the per-case job and recounted from the cases every night."""

    unit = models.BigIntegerField(_("区划"))
    dispute_type = models.CharField(_("纠纷类型"), max_length=32, blank=True)
    day = models.DateField(_("日期"))
    n = models.PositiveIntegerField(_("件数"), default=0)

    class Meta:
        verbose_name = _("每日纠纷数")
        verbose_name_plural = _("每日纠纷数")
        constraints = [
            models.UniqueConstraint(fields=["unit", "dispute_type", "day"], name="dailycount_unit_type_day")
        ]


class Cursor(models.Model):
    """A durable watermark: the last row of a stream (transitions, session records) the
    warning job has evaluated, or the last day the nightly recomputation ran.

    Advanced by compare-and-set in the transaction that writes the batch's results, so
    two workers never take the same rows and a crash loses nothing: the next run starts
    where the last committed one ended."""

    name = models.CharField(_("名称"), max_length=32, primary_key=True)
    position = models.BigIntegerField(_("位置"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)

    class Meta:
        verbose_name = _("预警任务进度")
        verbose_name_plural = _("预警任务进度")
