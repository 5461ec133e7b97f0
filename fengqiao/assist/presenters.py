"""Pins, proposals, drafts and signed documents as plain dicts, for the API and the pages."""

from typing import Any

from fengqiao.accounts.models import User
from fengqiao.assist import queries
from fengqiao.assist.drafting import document
from fengqiao.assist.drafting.base import record_of
from fengqiao.assist.drafting.kinds import KINDS
from fengqiao.assist.models import Draft, PinnedArticle, SignedDocument
from fengqiao.assist.queries import Proposal
from fengqiao.cases.models import Dispute
from fengqiao.statutes.choices import COLOURS, Status
from fengqiao.statutes.citations import Check


def _status(value: str) -> tuple[str, str]:
    try:
        s = Status(value)
    except ValueError:
        return value, ""
    return str(s.label), COLOURS.get(s, "")


def pin(p: PinnedArticle) -> dict[str, Any]:
    label, colour = _status(p.article.status if p.article else "")
    return {
        "id": p.pk,
        "article_id": p.article_id,
        "title": p.title,
        "citation": p.citation,
        "law": p.law_name,
        "number": p.number,
        "sub": p.sub,
        "number_text": p.number_text,
        "text": p.text,
        "status": p.article.status if p.article else "",
        "status_label": label or "（法律库中已无此条）",
        "colour": colour or "bad",
        "reason": p.reason,
        "pinned_by": p.pinned_by.display_name,
        "pinned_at": p.pinned_at,
        "unpinned_at": p.unpinned_at,
    }


def proposal(p: Proposal) -> dict[str, Any]:
    label, colour = _status(p.hit.status)
    return {
        "rank": p.rank,
        "article_id": p.article_id,
        "title": p.hit.title,
        "law": p.hit.law,
        "number": p.hit.article,
        "number_text": p.hit.number_text,
        "chapter": p.hit.chapter,
        "text": p.hit.text,
        "spans": [list(s) for s in p.hit.spans],
        "marked": p.hit.marked(),
        "reasons": p.hit.reasons,
        "score": round(p.hit.score, 4),
        "status": p.hit.status,
        "status_label": label,
        "colour": colour,
        "pinned": p.pinned,
    }


def check(c: Check) -> dict[str, Any]:
    return {
        **c.as_dict(),
        "ok": c.ok,
        "failing": c.verdict not in document.PASSING,
        "suggestion_title": c.suggestion.title if c.suggestion else "",
    }


def signed(s: SignedDocument) -> dict[str, Any]:
    return {
        "id": s.pk,
        "content_sha256": s.content_sha256,
        "pdf_sha256": s.pdf_sha256,
        "docx_sha256": s.docx_sha256,
        "fonts": s.fonts,
        "signed_by": s.signed_by_name,
        "signed_at": s.signed_at,
        "destroyed_at": s.destroyed_at,  # the originals, at the end of the retention period
    }


def draft(d: Draft, *, with_document: bool = False) -> dict[str, Any]:
    kind = KINDS[d.kind]
    out: dict[str, Any] = {
        "id": d.pk,
        "dispute": d.dispute_id,
        "kind": d.kind,
        "kind_label": kind.label,
        "status": d.status,
        "status_label": d.get_status_display(),
        "revision": d.revision,
        "party": d.party_id,
        "party_name": d.party.name if d.party else "",
        "fields": [
            {
                "key": s.key,
                "label": s.label,
                "value": d.fields.get(s.key, ""),
                "required": s.required,
                "multiline": s.multiline,
                "max_length": s.max_length,
                "help": s.help,
            }
            for s in kind.fields
        ],
        "created_by": d.created_by.display_name,
        "created_at": d.created_at,
        "updated_by": d.updated_by.display_name,
        "updated_at": d.updated_at,
        "signed": signed(d.signed) if d.is_signed else None,
    }
    if with_document and d.is_signed and d.signed.destroyed:
        out.update(blocks=[], citations=[], failing=0)
    elif with_document:
        doc = (
            document.from_canonical(d.signed.content)
            if d.is_signed
            else document.build(d, record_of(d.dispute, d.party))
        )
        if d.is_signed:
            doc.checks = document.citations.check(doc.text)
        out["blocks"] = [b.as_list() for b in doc.blocks]
        out["citations"] = [check(c) for c in doc.checks]
        out["failing"] = len(doc.failing)
    return out


def kinds_for(actor: User, d: Dispute) -> list[dict[str, Any]]:
    """Each kind of document and whether it can be drafted for the case now (and if not, why)."""
    if not queries.may_act(actor, d):
        return []
    rec = record_of(d)
    people = [p for p in rec.parties if p.is_person]
    out = []
    for k in KINDS.values():
        why = k.unavailable(rec)
        out.append(
            {
                "kind": k.kind.value,
                "label": k.label,
                "available": why is None,
                "why": why or "",
                "parties": [{"id": p.id, "label": f"{p.role_label} {p.name}"} for p in people]
                if k.needs_party
                else [],
            }
        )
    return out
