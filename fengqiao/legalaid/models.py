"""Public legal services. First: the register of citizens' legal consultations (法律咨询登记),
kept by the 12348 hotline, the judicial office's window and the village's legal adviser.
A citizen may also leave a question online for the desk of the place they choose, to be
called back (请工作人员联系我); the desk records its reply, with who and when.

Every consultation is triaged when it is recorded (topic, risk, route, with the model and
rules versions and their reasons); the officer confirms the topic or corrects it with a
reason (个人信息保护法 Art. 24), and the decided topics train the next topic model.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Channel
from fengqiao.core import clock
from fengqiao.core.fields import EncryptedCharField
from fengqiao.triage.models import Decision
from fengqiao.triage.taxonomies import CONSULT_TOPICS

TOPIC_CHOICES = [(t, t) for t in CONSULT_TOPICS]


class Consultation(models.Model):
    admin_unit = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("受理地"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("咨询方式"), max_length=32, choices=Channel.choices)
    question = models.TextField(_("咨询内容"))
    asker_name = EncryptedCharField(_("咨询人"), max_length=60)
    asker_phone = EncryptedCharField(_("联系电话"), max_length=20)
    reply = models.TextField(_("答复要点"), blank=True)
    replied_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # the desk that recorded it, or the citizen who left it online (a callback request)
    received_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    from_citizen = models.BooleanField(_("群众网上留言"), default=False)
    received_at = models.DateTimeField(_("登记时间"), default=clock.now)

    # What triage proposed when the consultation was recorded, and why.
    model_version = models.CharField(_("模型版本"), max_length=40)
    rules_version = models.CharField(_("规则版本"), max_length=60)
    proposed_topic = models.CharField(_("建议咨询类别"), max_length=16, choices=TOPIC_CHOICES)
    topic_confidence = models.FloatField(_("类别置信度"))
    topic_reasons = models.JSONField(_("类别依据"), default=list)
    risk_level = models.CharField(_("风险等级"), max_length=8)
    risk_flags = models.JSONField(_("风险标记"), default=list)
    risk_reasons = models.JSONField(_("风险依据"), default=list)
    route = models.CharField(_("建议途径"), max_length=32)
    route_reasons = models.JSONField(_("分流依据"), default=list)
    needs_review = models.BooleanField(_("需人工审核"), default=False)

    # The officer's decision on the topic.
    decision = models.CharField(
        _("确认情况"), max_length=16, choices=Decision.choices, default=Decision.PROPOSED
    )
    topic = models.CharField(_("咨询类别"), max_length=16, choices=TOPIC_CHOICES, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("改判理由"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["admin_unit", "received_at"]),
            models.Index(fields=["decision"]),
            models.Index(fields=["received_by", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"咨询 {self.pk} {self.question[:20]}"

    @property
    def awaits_reply(self) -> bool:
        """A citizen left it online and no desk has replied yet."""
        return self.from_citizen and not self.reply

    @property
    def shown_topic(self) -> str:
        """The decided topic, or the proposal while none is decided."""
        return self.topic or self.proposed_topic
