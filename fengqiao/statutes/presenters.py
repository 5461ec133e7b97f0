"""Statutes, hits and citation checks as plain dicts for the API and the CLI."""

from typing import Any

from fengqiao.statutes import queries
from fengqiao.statutes.choices import Status
from fengqiao.statutes.citations import Check, Verdict
from fengqiao.statutes.models import Article, Law
from fengqiao.statutes.search import Hit


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def law(obj: Law) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "name": obj.name,
        "short_name": obj.short_name,
        "department": obj.department,
        "doc_type": obj.doc_type,
        "status": obj.status,
        "status_label": status_label(obj.status),
        "effective_on": obj.effective_on.isoformat() if obj.effective_on else None,
        "version_on": obj.version_on.isoformat() if obj.version_on else None,
        "article_count": obj.article_count,
        "source": obj.source,
    }


def article(obj: Article, *, with_law: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": obj.pk,
        "number": obj.number,
        "sub": obj.sub,
        "number_text": obj.number_text,
        "chapter": obj.chapter,
        "section": obj.section,
        "text": obj.text,
        "status": obj.status,
        "status_label": status_label(obj.status),
    }
    if with_law:
        out["law"] = law(obj.law)
    return out


def hits(found: list[Hit]) -> list[dict[str, Any]]:
    """Hits with the database ids of their articles (None while the corpus is not loaded)."""
    ids = queries.ids_by_key([h.key for h in found])
    law_ids = queries.law_ids_by_key([h.law_key for h in found])
    return [
        {
            **h.as_dict(),
            "id": ids.get(h.key),
            "law_id": law_ids.get(h.law_key),
            "status_label": status_label(h.status),
            "title": h.title,
        }
        for h in found
    ]


def checks(found: list[Check]) -> dict[str, Any]:
    rows = [c.as_dict() for c in found]
    ids = queries.ids_by_key([c.article_key for c in found if c.article_key])
    ids.update(queries.ids_by_key([c.suggestion.key for c in found if c.suggestion]))
    for row, c in zip(rows, found, strict=True):
        row["article_id"] = ids.get(c.article_key)
        if row["suggestion"] and c.suggestion:
            row["suggestion"]["id"] = ids.get(c.suggestion.key)
    unverified = sum(c.verdict == Verdict.UNVERIFIED for c in found)
    problems = sum(not c.ok for c in found) - unverified
    return {"citations": rows, "count": len(rows), "problems": problems, "unverified": unverified}
