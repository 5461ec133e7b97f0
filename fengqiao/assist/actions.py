"""The only write path of the assist app. One function per action, each atomic and audited.

Each locks what it changes (the dispute row for pins and new drafts, the draft row for
edits and signing), checks jurisdiction (NotFound outside it) and capability, writes,
and records an audit entry in the same transaction (``accounts.audit``). Case data itself
is never written here: the workflow stays in ``cases.actions``.
"""

import base64
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from fengqiao.accounts import audit
from fengqiao.accounts.models import User
from fengqiao.assist import queries
from fengqiao.assist.choices import DraftStatus, Feature, Source
from fengqiao.assist.drafting import document, render_docx, render_pdf
from fengqiao.assist.drafting.base import record_of
from fengqiao.assist.drafting.kinds import KINDS
from fengqiao.assist.models import Draft, Generation, ImmutableError, PinnedArticle, SignedDocument, sha256
from fengqiao.cases import queries as case_queries
from fengqiao.cases.choices import PartyKind, PartyRole
from fengqiao.cases.models import Dispute, Party
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.statutes import queries as statute_queries
from fengqiao.statutes.choices import EFFECTIVE

MAX_REASON = 500


class EditConflict(DomainError):
    """Someone else changed the draft since the editor opened it."""

    status = 409

    def __init__(self, revision: int) -> None:
        super().__init__(
            f"文书已被他人修改（现为第{revision}版），请刷新后再编辑", field="revision", code="conflict"
        )


def _lock(dispute: Dispute | int, actor: User) -> Dispute:
    pk = dispute.pk if isinstance(dispute, Dispute) else dispute
    return case_queries.dispute_for(actor, pk, for_update=True)


# ---------------------------------------------------------------- pinned articles


@transaction.atomic
def pin_article(
    dispute: Dispute | int,
    *,
    actor: User,
    article_id: int,
    reason: str = "",
    proposal: dict[str, Any] | None = None,
) -> PinnedArticle:
    """Pin an article to the case as governing it. Only articles in force may be pinned: a
    repealed one fails the citation check of every document that would cite it."""
    d = _lock(dispute, actor)
    queries.require_act(actor, d, "固定法条")
    try:
        article = statute_queries.article(article_id)
    except NotFound:
        raise DomainError("没有这条法条，请从推荐或检索结果中选择", field="article_id") from None
    if not article.law.is_effective or article.status not in EFFECTIVE:
        raise DomainError(
            f"《{article.law.short_name}》{article.number_text}已失效，不能作为本案依据；请固定现行有效的条文",
            field="article_id",
        )
    if (
        PinnedArticle.objects.filter(dispute=d)
        .filter(article_key=article.source_key, unpinned_at__isnull=True)
        .exists()
    ):
        raise DomainError("该法条已固定到本案", field="article_id")
    try:
        with transaction.atomic():
            pin = PinnedArticle.objects.create(
                dispute=d,
                article=article,
                article_key=article.source_key,
                law_name=article.law.name,
                law_short=article.law.short_name,
                number=article.number,
                sub=article.sub,
                number_text=article.number_text,
                text=article.text,
                reason=reason.strip()[:MAX_REASON],
                proposal=proposal or {},
                pinned_by=actor,
                pinned_at=clock.now(),
            )
    except IntegrityError:  # pinned at the same moment by someone else
        raise DomainError("该法条已固定到本案", field="article_id") from None
    audit.record(actor, "pin_article", pin, dispute=d.pk, article=pin.title, reason=pin.reason)
    return pin


@transaction.atomic
def unpin_article(dispute: Dispute | int, *, actor: User, pin_id: int, reason: str = "") -> PinnedArticle:
    """Take a pinned article off the case; the pin stays in the history with who and why."""
    d = _lock(dispute, actor)
    queries.require_act(actor, d, "取消固定法条")
    pin = (
        PinnedArticle.objects.filter(dispute=d)
        .select_for_update()
        .filter(pk=pin_id, unpinned_at__isnull=True)
        .first()
    )
    if pin is None:
        raise DomainError("该法条没有固定到本案", field="pin_id")
    pin.unpinned_at = clock.now()
    pin.unpinned_by = actor
    pin.unpin_reason = reason.strip()[:MAX_REASON]
    pin.save(update_fields=["unpinned_at", "unpinned_by", "unpin_reason"])
    audit.record(actor, "unpin_article", pin, dispute=d.pk, article=pin.title, reason=pin.unpin_reason)
    return pin


# ---------------------------------------------------------------- drafts


def _applicant(d: Dispute, party_id: int | None) -> Party | None:
    people = d.parties.filter(kind=PartyKind.PERSON)
    if party_id is not None:
        return people.filter(pk=party_id).first()
    order = Case(When(role=PartyRole.APPLICANT, then=Value(0)), default=Value(1), output_field=IntegerField())
    return people.annotate(first=order).order_by("first", "id").first()


@transaction.atomic
def start_draft(dispute: Dispute | int, *, actor: User, kind: str, party_id: int | None = None) -> Draft:
    """Draft a document from the case record. An unsigned draft of the same kind (and, for a
    legal-aid application, the same applicant) is reopened rather than duplicated."""
    d = _lock(dispute, actor)
    queries.require_act(actor, d, "起草文书")
    k = KINDS.get(kind)
    if k is None:
        raise DomainError("不支持的文书类型", field="kind")
    party = None
    if k.needs_party:
        party = _applicant(d, party_id)
        if party is None:
            raise DomainError("请选择申请法律援助的当事人（须为自然人，法律援助法第二条）", field="party_id")
    rec = record_of(d, party)
    if why := k.unavailable(rec):
        raise DomainError(why, field="kind")
    existing = (
        Draft.objects.filter(dispute=d, kind=k.kind, status=DraftStatus.DRAFT, party=party)
        .order_by("-id")
        .first()
    )
    if existing is not None:
        return existing
    now = clock.now()
    draft = Draft.objects.create(
        dispute=d,
        kind=k.kind,
        party=party,
        fields=k.initial(rec),
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
    )
    audit.record(actor, "start_draft", draft, dispute=d.pk, kind=draft.kind)
    return draft


def _clean_fields(draft: Draft, fields: dict[str, Any]) -> dict[str, str]:
    kind = KINDS[draft.kind]
    out = {}
    for key, value in fields.items():
        spec = kind.spec(key)
        if spec is None:
            raise DomainError(f"{kind.label}没有“{key}”这一栏", field=key)
        text = str(value if value is not None else "").replace("\r\n", "\n").strip()
        if not spec.multiline:
            text = " ".join(text.split())
        if len(text) > spec.max_length:
            raise DomainError(f"“{spec.label}”不能超过{spec.max_length}字", field=key)
        out[key] = text
    return out


@transaction.atomic
def edit_draft(
    draft: Draft | int, *, actor: User, fields: dict[str, Any], revision: int | None = None
) -> Draft:
    """Change the editable text of a draft before it is signed. ``revision`` is the version
    the editor started from: a later change by someone else is not overwritten."""
    pk = draft.pk if isinstance(draft, Draft) else draft
    locked = queries.draft_for(actor, pk, for_update=True)
    if locked.is_signed:
        raise ImmutableError()
    queries.require_act(actor, locked.dispute, "修改文书")
    if revision is not None and revision != locked.revision:
        raise EditConflict(locked.revision)
    new = _clean_fields(locked, fields)
    changed = sorted(k for k, v in new.items() if locked.fields.get(k, "") != v)
    if not changed:
        return locked
    locked.fields = {**locked.fields, **new}
    locked.revision += 1
    locked.updated_by = actor
    locked.updated_at = clock.now()
    locked.save(update_fields=["fields", "revision", "updated_by", "updated_at"])
    audit.record(
        actor, "edit_draft", locked, dispute=locked.dispute_id, fields=changed, revision=locked.revision
    )
    return locked


@transaction.atomic
def sign_draft(draft: Draft | int, *, actor: User, confirmed: bool) -> SignedDocument:
    """Sign a draft: render it once more from the record, check every citation, and store the
    canonical content, the PDF and the DOCX with their SHA-256 — never to change again."""
    pk = draft.pk if isinstance(draft, Draft) else draft
    locked = queries.draft_for(actor, pk, for_update=True)
    if locked.is_signed:
        raise ImmutableError("文书已签署，不能再次签署或修改")
    d = _lock(locked.dispute_id, actor)
    queries.require_act(actor, d, "签署文书")
    if not confirmed:
        raise DomainError("请先确认已逐项核对文书内容", field="confirmed")
    kind = KINDS[locked.kind]
    rec = record_of(d, locked.party)
    if why := kind.unavailable(rec):
        raise DomainError(why, field="kind")
    for spec in kind.fields:
        if spec.required and not str(locked.fields.get(spec.key, "")).strip():
            raise DomainError(f"请填写“{spec.label}”后再签署", field=spec.key)
    doc = document.build(locked, rec)
    if doc.failing:
        problems = "；".join(f"{c.cited}（{c.label}：{c.message}）" for c in doc.failing)
        raise DomainError(f"文书中的法条引用未通过核对，请修改后再签署：{problems}", field="citations")
    content = doc.canonical()
    pdf, docx = render_pdf.render(doc), render_docx.render(doc)
    now = clock.now()
    signed = SignedDocument.objects.create(
        draft=locked,
        content=content,
        content_sha256=sha256(content.encode()),
        pdf=base64.b64encode(pdf).decode(),
        pdf_sha256=sha256(pdf),
        docx=base64.b64encode(docx).decode(),
        docx_sha256=sha256(docx),
        fonts=render_pdf.embedded_fonts(),
        signed_by=actor,
        signed_by_name=actor.display_name,
        signed_at=now,
    )
    locked.status = DraftStatus.SIGNED
    locked.updated_by = actor
    locked.updated_at = now
    locked.save(update_fields=["status", "updated_by", "updated_at"])
    audit.record(
        actor,
        "sign_document",
        signed,
        dispute=d.pk,
        draft=locked.pk,
        kind=locked.kind,
        content_sha256=signed.content_sha256,
        pdf_sha256=signed.pdf_sha256,
        docx_sha256=signed.docx_sha256,
    )
    return signed


@transaction.atomic
def record_document_access(actor: User, obj: Draft | SignedDocument, fmt: str) -> None:
    """Downloads state the parties' particulars in full: who took which file is audited."""
    audit.record(actor, "download_document", obj, format=fmt, signed=isinstance(obj, SignedDocument))


def remove_expired(disputes: "QuerySet[Dispute]") -> dict[str, int]:
    """The documents of case files whose retention period has passed lose what identifies the
    parties (个人信息保护法 Arts. 19 and 47): signed originals are destroyed (their hashes
    stay), drafts' texts and the assistant's answers are emptied. Part of
    ``cases.rights.anonymise_expired``, in its transaction and under its audit entry."""
    signed = SignedDocument.objects.filter(draft__dispute__in=disputes).destroy_originals(clock.now())
    drafts = Draft.objects.filter(dispute__in=disputes).clear_fields()
    answers = Generation.objects.filter(Q(dispute__in=disputes) | Q(draft__dispute__in=disputes)).update(
        output=""
    )
    return {"signed_documents": signed, "drafts": drafts, "answers": answers}


# ---------------------------------------------------------------- the assistant's answers


@transaction.atomic
def record_generation(
    *,
    actor: User | None,
    feature: Feature,
    source: Source,
    model: str,
    output: str,
    articles: list[str],
    corrections: list[dict[str, Any]],
    prompt_sha256: str = "",
    fallback_reason: str = "",
    dispute: Dispute | None = None,
    draft: Draft | None = None,
    field: str = "",
) -> Generation:
    """Keep what the assistant said and which model said it; audit it in the same transaction.
    The audit detail names the model and counts corrections, never the text itself."""
    gen = Generation.objects.create(
        feature=feature,
        source=source,
        model=model,
        dispute=dispute,
        draft=draft,
        field=field,
        prompt_sha256=prompt_sha256,
        output=output,
        articles=articles,
        corrections=corrections,
        fallback_reason=fallback_reason[:200],
        created_by=actor if actor is not None and actor.pk else None,
        created_at=clock.now(),
    )
    audit.record(
        actor,
        f"assist_{feature}",
        gen,
        source=source,
        model=model,
        dispute=dispute.pk if dispute else None,
        draft=draft.pk if draft else None,
        prompt_sha256=prompt_sha256,
        output_sha256=sha256(output.encode()),
        corrected=sum(c["action"] == "corrected" for c in corrections),
        removed=sum(c["action"] != "corrected" for c in corrections),
        fallback=fallback_reason,
    )
    return gen
