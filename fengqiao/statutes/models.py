"""The statute book: laws and their articles, as loaded from a source (see ``source.py``).

Rows are written only by ``actions.load_corpus``; everything else reads them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.statutes.choices import EFFECTIVE, Source, Status
from fengqiao.statutes.titles import book_title


class Law(models.Model):
    """One version of one statute (a law, a decision, an interpretation).

    A law may have several versions under the same name (a 历史版本 beside the 现行有效
    text), so the name is not unique; the source's own key is. ``short_name`` drops the
    country prefix (中华人民共和国民法典 → 民法典), the name people use.
    """

    source = models.CharField(_("来源"), max_length=24, choices=Source.choices, default=Source.NATIONAL_LAW)
    source_key = models.CharField(_("来源编号"), max_length=64)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    short_name = models.CharField(_("简称"), max_length=200, db_index=True)
    doc_type = models.CharField(_("文件类型"), max_length=32, blank=True)
    level = models.CharField(_("效力级别"), max_length=32, blank=True)
    issuing_body = models.CharField(_("制定机关"), max_length=100, blank=True)
    department = models.CharField(_("法律部门"), max_length=32, blank=True)
    status = models.CharField(_("时效性"), max_length=16, choices=Status.choices)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    version_on = models.DateField(_("版本日期"), null=True, blank=True)
    article_count = models.PositiveIntegerField(_("条文数"), default=0)

    class Meta:
        verbose_name = _("法律")
        verbose_name_plural = _("法律")
        ordering = ["name", "-version_on"]
        constraints = [models.UniqueConstraint(fields=["source", "source_key"], name="law_source_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def book_title(self) -> str:
        return book_title(self.name)

    @property
    def is_effective(self) -> bool:
        return self.status in EFFECTIVE


class Article(models.Model):
    """One article of a law: 第一千零七十九条 is ``number`` 1079, ``sub`` 0; an article
    inserted by amendment (第二百六十条之一) has ``sub`` 1. ``position`` keeps the order of
    the source, which also orders the chapters when browsing.
    """

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    source_key = models.CharField(_("来源编号"), max_length=64)
    position = models.PositiveIntegerField(_("顺序"))
    number = models.PositiveIntegerField(_("条号"))
    sub = models.PositiveSmallIntegerField(_("之几"), default=0)
    number_text = models.CharField(_("条号原文"), max_length=40)
    chapter = models.CharField(_("章"), max_length=200, blank=True)
    section = models.CharField(_("节"), max_length=200, blank=True)
    text = models.TextField(_("条文"))
    status = models.CharField(_("时效性"), max_length=16, choices=Status.choices)

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "source_key"], name="article_source_key")]
        indexes = [models.Index(fields=["law", "number", "sub"])]

    def __str__(self) -> str:
        return f"{book_title(self.law.short_name)}{self.number_text}"
