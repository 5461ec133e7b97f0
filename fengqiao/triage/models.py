from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import DisputeType, Tier
from fengqiao.core import clock


class ModelVersion(models.Model):
    """A trained classifier: which taxonomy, what it learned from, how it scored, where it lives.

    Proposals store the version string, so any proposal can be traced to the exact
    model and data that produced it.
    """

    taxonomy = models.CharField(_("分类体系"), max_length=16)
    version = models.CharField(_("版本"), max_length=40, unique=True)
    trained_at = models.DateTimeField(_("训练时间"), default=clock.now)
    examples = models.JSONField(_("训练样本构成"), default=dict)
    path = models.CharField(_("模型文件"), max_length=300)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分流模型版本")
        verbose_name_plural = _("分流模型版本")


class Decision(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    OVERRIDDEN = "overridden", _("已改判")


class Proposal(models.Model):
    """What triage proposed for a dispute at intake, with its reasons, and what the officer
    decided (个人信息保护法 Art. 24: automated decisions are explainable and refusable).

    Confirmed and overridden labels are the training examples of the next model.
    """

    dispute = models.ForeignKey("cases.Dispute", on_delete=models.CASCADE, related_name="triage_proposals")
    created_at = models.DateTimeField(_("生成时间"), default=clock.now)
    model_version = models.CharField(_("模型版本"), max_length=40)
    rules_version = models.CharField(_("规则版本"), max_length=40)
    dispute_type = models.CharField(_("建议纠纷类型"), max_length=32, choices=DisputeType.choices)
    type_confidence = models.FloatField(_("类型置信度"))
    type_reasons = models.JSONField(_("类型依据"), default=list)
    risk_level = models.CharField(_("风险等级"), max_length=8)
    risk_flags = models.JSONField(_("风险标记"), default=list)
    risk_reasons = models.JSONField(_("风险依据"), default=list)
    is_complex = models.BooleanField(_("繁案"))
    tier = models.CharField(_("建议层级"), max_length=16, choices=Tier.choices)
    channel = models.CharField(_("建议途径"), max_length=32)
    also = models.JSONField(_("其他可告知途径"), default=list)
    route_reasons = models.JSONField(_("分流依据"), default=list)
    needs_review = models.BooleanField(_("需人工审核"), default=False)

    decision = models.CharField(
        _("确认情况"), max_length=16, choices=Decision.choices, default=Decision.PROPOSED
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.TextField(_("改判理由"), blank=True)
    final = models.JSONField(_("确认结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("分流建议")
        verbose_name_plural = _("分流建议")
        indexes = [models.Index(fields=["dispute", "created_at"]), models.Index(fields=["decision"])]
