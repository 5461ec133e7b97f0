from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.analytics.measures import MEASURES
from fengqiao.core import clock

# Sums that can outgrow 32 bits at province level (fen, and days summed over months).
_WIDE = frozenset({"accepted_amount", "resolve_days"})


class Grain(models.IntegerChoices):
    """What a rollup row's ``unit`` is. Base rows are keyed by the place of the dispute
    (a village, or a township or county when it was recorded there); the others sum the
    base rows of a county, city or the province, so a large jurisdiction reads a few
    hundred rows instead of its villages' hundreds of thousands."""

    BASE = 0, _("纠纷发生地")
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县")


class Rollup(models.Model):
    """Monthly counts for one place and one combination of type, tier and channel.

    One integer column per measure (``measures.MEASURES``, added below). A
    jurisdiction's figure is the sum over its rows: base rows of its subtree, or the
    aggregated rows of its own code for a county, city or province. On aggregated
    grains a row with empty type, tier and channel holds the month's totals, for the
    pages that need no breakdown. Written only by ``analytics.rollups``.
    """

    grain = models.PositiveSmallIntegerField(_("粒度"), choices=Grain.choices)
    unit = models.BigIntegerField(_("区划代码"))
    month = models.PositiveIntegerField(_("月份(YYYYMM)"))
    dispute_type = models.CharField(_("纠纷类型"), max_length=32, blank=True)
    tier = models.CharField(_("办理层级"), max_length=16, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit", "month", "dispute_type", "tier", "channel"], name="rollup_cell"
            )
        ]
        # Totals and one-type reads of the aggregated grains: (grain, type) pins the rows.
        indexes = [models.Index(fields=["grain", "dispute_type", "unit", "month"], name="rollup_grain_type")]


for _m in MEASURES:
    _field = models.BigIntegerField if _m.name in _WIDE else models.IntegerField
    Rollup.add_to_class(_m.name, _field(_m.label, default=0))


class RollupState(models.Model):
    """The durable watermark of the rollup job: every transition with id ≤ ``last_id``
    is in the rollups, except the ids listed in ``gaps``.

    A gap is a range of ids the job passed while it was not visible — a transaction
    still running, or one that rolled back (PostgreSQL hands out ids before commit).
    The job looks for them again until they appear or ``first_seen`` is a day old.
    ``version`` is compared and set with every change, so two workers (or a worker
    and a rebuild) can never both apply the same steps.
    """

    name = models.CharField(max_length=32, unique=True)
    last_id = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)  # [[lo, hi, first_seen_iso], …]
    applied = models.BigIntegerField(_("已处理流转记录"), default=0)
    updated_at = models.DateTimeField(default=clock.now)
    rebuilt_at = models.DateTimeField(_("最近全量重算"), null=True, blank=True)
    rebuild_seconds = models.FloatField(_("全量重算用时(秒)"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇总水位")
        verbose_name_plural = _("汇总水位")


class MonthlyReport(models.Model):
    """A generated monthly statistical report of people's mediation (XLSX) for one unit
    and month — made on schedule for every county (``jobs.monthly_reports``) and kept
    for download."""

    unit = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveIntegerField(_("统计月份(YYYYMM)"))
    content = models.BinaryField(_("报表文件"))
    preparer = models.CharField(_("填报人"), max_length=64)
    generated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("生成时间"), default=clock.now)

    class Meta:
        verbose_name = _("调解统计月报")
        verbose_name_plural = _("调解统计月报")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="monthly_report_unit_month")]
        ordering = ["-month", "unit_id"]
