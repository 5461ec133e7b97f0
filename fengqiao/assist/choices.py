"""Stored choices of the assist app: stable lowercase values with Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The documents drafted from a case record (issue 5 part 4)."""

    AGREEMENT = "mediation_agreement", _("人民调解协议书")
    CONFIRMATION = "confirmation_application", _("司法确认申请书")
    LEGAL_AID = "legal_aid_application", _("法律援助申请表")
    TERMINATION = "termination_notice", _("终止调解告知书")


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SIGNED = "signed", _("已签署")


class Feature(models.TextChoices):
    """What the assistant was asked to do."""

    CASE_SUMMARY = "case_summary", _("案情摘要")
    LEGAL_ANSWER = "legal_answer", _("法律问答")
    DRAFT_WORDING = "draft_wording", _("文书措辞建议")


class Source(models.TextChoices):
    """Who wrote an answer: a language model, or the extractive fallback (record and statute text)."""

    LLM = "llm", _("大模型")
    EXTRACTIVE = "extractive", _("法条与记录摘录")
