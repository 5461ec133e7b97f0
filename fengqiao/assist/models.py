"""Tables of the assist app. Rows are written only by ``assist.actions``.

Signed documents are records (人民调解法 Art. 27: mediation records are kept and filed):
once signed, neither the draft nor the signed document may change. That is enforced here
(``save``/``delete`` and the querysets' ``update``/``delete`` refuse), in the action that
signs, and in the database (a trigger refuses any change of the hashes or the signer, see
migration 0002). The content itself is checked against its SHA-256 by ``verify()``.

Document contents and generated answers may hold personal data (names, ID numbers,
addresses of parties): they are stored encrypted (``core.fields.EncryptedCharField``).
"""

import base64
import datetime as dt
import hashlib
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.assist.choices import DocumentKind, DraftStatus, Feature, Source
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
from fengqiao.core.fields import EncryptedCharField
from fengqiao.statutes.titles import book_title


class ImmutableError(DomainError):
    """A signed document (or its draft) was asked to change."""

    status = 409

    def __init__(self, message: str = "文书已签署，不能再修改或删除") -> None:
        super().__init__(message, code="immutable")


class PinnedArticle(models.Model):
    """A statute article the mediator pinned to a case as governing it, with who, when and why.

    The article's name, number and text are kept as they were when pinned: the case file
    shows the law the mediator relied on even if the corpus is reloaded later (the foreign
    key then may be cleared). Unpinning keeps the row (``unpinned_at``) so the history stays;
    one live pin per article and case.
    """

    dispute = models.ForeignKey("cases.Dispute", on_delete=models.CASCADE, related_name="pinned_articles")
    article = models.ForeignKey(
        "statutes.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article_key = models.CharField(_("法条来源编号"), max_length=64)
    law_name = models.CharField(_("法律名称"), max_length=200)
    law_short = models.CharField(_("法律简称"), max_length=200)
    number = models.PositiveIntegerField(_("条号"))
    sub = models.PositiveSmallIntegerField(_("之几"), default=0)
    number_text = models.CharField(_("条号原文"), max_length=40)
    text = models.TextField(_("固定时的条文"))
    reason = models.CharField(_("固定理由"), max_length=500, blank=True)
    proposal = models.JSONField(_("推荐依据"), default=dict, blank=True)  # rank, score, reasons when proposed
    pinned_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    pinned_at = models.DateTimeField(_("固定时间"), default=clock.now)
    unpinned_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unpinned_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    unpin_reason = models.CharField(_("取消理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("固定法条")
        verbose_name_plural = _("固定法条")
        ordering = ["pinned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "article_key"],
                condition=models.Q(unpinned_at__isnull=True),
                name="assist_pin_one_live_per_article",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return f"{book_title(self.law_short)}{self.number_text}"

    @property
    def citation(self) -> str:
        """The citation as a document writes it: the full official name."""
        return f"{book_title(self.law_name)}{self.number_text}"


class DraftQuerySet(models.QuerySet["Draft"]):
    """Bulk writes may not touch signed drafts either."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=DraftStatus.SIGNED).exists():
            raise ImmutableError()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=DraftStatus.SIGNED).exists():
            raise ImmutableError()
        return super().delete()

    def clear_fields(self) -> int:
        """At the end of the case file's retention period the drafts' texts go, signed or not,
        with the signed originals (``SignedQuerySet.destroy_originals``)."""
        return models.QuerySet.update(self.exclude(fields={}), fields={})


class Draft(models.Model):
    """A document being prepared from a case record, editable until it is signed.

    ``fields`` holds the editable texts by the kind's field keys (``drafting.kinds``). The
    parties' ID numbers, phones and addresses are not copied here: they are read from the
    encrypted Party records whenever the document is rendered. ``revision`` grows with
    each edit, so that two people editing at once do not overwrite each other.
    """

    dispute = models.ForeignKey("cases.Dispute", on_delete=models.CASCADE, related_name="drafts")
    kind = models.CharField(_("文书类型"), max_length=32, choices=DocumentKind.choices)
    party = models.ForeignKey(
        "cases.Party",
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    fields = models.JSONField(_("文书内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    revision = models.PositiveIntegerField(_("修订版本"), default=1)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), default=clock.now)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), default=clock.now)

    objects: ClassVar[DraftQuerySet] = DraftQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("文书草稿")
        verbose_name_plural = _("文书草稿")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dispute", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The row as stored decides, not this object: a stale copy cannot reopen a signed draft.
        if self._stored_status() == DraftStatus.SIGNED:
            raise ImmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_status() == DraftStatus.SIGNED:
            raise ImmutableError()
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == DraftStatus.SIGNED

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return Draft.objects.filter(pk=self.pk).values_list("status", flat=True).first()


class SignedQuerySet(models.QuerySet["SignedDocument"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError()

    def destroy_originals(self, at: dt.datetime) -> int:
        """The one change a signed document admits. When its case file's retention period has
        passed (个人信息保护法 Arts. 19 and 47; ``core.privacy``), the originals, which state
        the parties' names and identity numbers, are destroyed. The hashes, the signer and
        the time stay: the record that the document existed and what it was."""
        live = self.filter(destroyed_at__isnull=True)
        return models.QuerySet.update(live, content="", pdf="", docx="", destroyed_at=at)


class SignedDocument(models.Model):
    """The signed version of a draft, stored once and never changed.

    ``content`` is the canonical JSON of the document (every line as rendered, including
    the parties' particulars); ``pdf`` and ``docx`` are the files as rendered at signing
    (base64). Each has its SHA-256 over the plaintext, so a download can be checked
    against the hash shown, and ``verify()`` finds any change to what is stored.
    """

    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="signed")
    content = EncryptedCharField(_("文书内容（规范化）"))
    content_sha256 = models.CharField(_("内容 SHA-256"), max_length=64)
    pdf = EncryptedCharField(_("PDF 文件"))
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, db_index=True)
    docx = EncryptedCharField(_("DOCX 文件"))
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, db_index=True)
    fonts = models.JSONField(_("嵌入字体"), default=list, blank=True)
    signed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    signed_by_name = models.CharField(_("签署人"), max_length=64)
    signed_at = models.DateTimeField(_("签署时间"), default=clock.now)
    destroyed_at = models.DateTimeField(_("原件销毁时间"), null=True, blank=True)

    objects: ClassVar[SignedQuerySet] = SignedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("已签署文书")
        verbose_name_plural = _("已签署文书")
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.draft} {self.content_sha256[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError()

    def pdf_bytes(self) -> bytes:
        return base64.b64decode(self.pdf)

    def docx_bytes(self) -> bytes:
        return base64.b64decode(self.docx)

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None

    def verify(self) -> dict[str, bool]:
        """Recompute each hash from what is stored; every value True means unchanged.
        Empty for destroyed originals: there is nothing left to check."""
        if self.destroyed:
            return {}
        return {
            "content": sha256(self.content.encode()) == self.content_sha256,
            "pdf": sha256(self.pdf_bytes()) == self.pdf_sha256,
            "docx": sha256(self.docx_bytes()) == self.docx_sha256,
        }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Generation(models.Model):
    """One answer of the assistant: the feature, whether a model or the extractive fallback
    wrote it, which model, and the verified output with the citation corrections made.

    Only hashes of the prompt are kept (the prompt is rebuilt from the record); the output
    is encrypted because it may quote a case's facts. The audit entry of the same
    transaction points here (个人信息保护法 Art. 24: automated output must be explainable).
    """

    feature = models.CharField(_("功能"), max_length=24, choices=Feature.choices)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    model = models.CharField(_("模型"), max_length=200, blank=True)
    dispute = models.ForeignKey(
        "cases.Dispute", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(_("文书栏目"), max_length=40, blank=True)
    prompt_sha256 = models.CharField(_("提示词 SHA-256"), max_length=64, blank=True)
    output = EncryptedCharField(_("输出"))
    articles = models.JSONField(_("依据法条"), default=list, blank=True)
    corrections = models.JSONField(_("引用更正"), default=list, blank=True)
    fallback_reason = models.CharField(_("未用模型的原因"), max_length=200, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        verbose_name = _("生成记录")
        verbose_name_plural = _("生成记录")
        ordering = ["-created_at", "-id"]
