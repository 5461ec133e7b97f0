from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock


class ImportBatch(models.Model):
    """One bulk import of a CSV or XLSX file: who, when, what came in and what was refused.

    Kept so that an officer can read the report again and an auditor can see where
    each imported case came from.
    """

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"), default=clock.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_imported = models.PositiveIntegerField(_("导入行数"), default=0)
    rows_skipped = models.PositiveIntegerField(_("已存在跳过"), default=0)
    rows_failed = models.PositiveIntegerField(_("错误行数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)

    class Meta:
        verbose_name = _("批量导入")
        verbose_name_plural = _("批量导入")
        ordering = ["-started_at"]
