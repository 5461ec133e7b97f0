"""Statute pages: search (htmx live results), browse law → chapter → article, citation check.
Each view parses input, calls one query or search, renders."""

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from fengqiao.core.errors import NotFound
from fengqiao.statutes import citations, queries, search
from fengqiao.statutes.choices import COLOURS, Status

MAX_QUERY = 500
MAX_CHECK_TEXT = 50_000


def _results(request: HttpRequest) -> dict[str, Any]:
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    include_repealed = request.GET.get("all") == "1"
    hits = search.search(q, 10, include_repealed=include_repealed) if q else []
    ids = queries.ids_by_key([h.key for h in hits])
    rows = [
        {
            "hit": h,
            "id": ids.get(h.key),
            "colour": COLOURS.get(Status(h.status), ""),
            "label": Status(h.status).label,
        }
        for h in hits
    ]
    return {"q": q, "include_repealed": include_repealed, "rows": rows}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        raise BadRequest("invalid status")
    # per department: the laws themselves, then the decisions and interpretations about them
    by_department: dict[str, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
    for law in queries.laws(status=status or None, effective_only=not status):
        laws, others = by_department[law.department or "其他"]
        (laws if law.doc_type in ("法律", "宪法") else others).append(law)
    return render(
        request,
        "statutes/home.html",
        {
            **_results(request),
            "departments": [
                (name, laws, others, len(laws) + len(others))
                for name, (laws, others) in sorted(by_department.items())
            ],
            "status": status,
            "statuses": Status.choices,
            "counts": queries.status_counts(),
            "colours": {s.value: c for s, c in COLOURS.items()},
        },
    )


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """The live results under the search box (htmx), or the home page for a plain visit."""
    if not request.headers.get("HX-Request"):
        return home(request)
    return render(request, "statutes/_results.html", _results(request))


@login_required
@require_GET
def law_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        law = queries.law(pk)
    except NotFound:
        raise Http404() from None
    return render(
        request,
        "statutes/law.html",
        {"law": law, "chapters": queries.chapters(law), "colour": COLOURS.get(Status(law.status), "")},
    )


@login_required
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = queries.article(pk)
    except NotFound:
        raise Http404() from None
    before, after = queries.neighbours(article)
    return render(
        request,
        "statutes/article.html",
        {
            "article": article,
            "law": article.law,
            "before": before,
            "after": after,
            "situations": queries.situations(article),
            "colour": COLOURS.get(Status(article.status), ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "")[:MAX_CHECK_TEXT] if request.method == "POST" else ""
    found = citations.check(text) if text.strip() else []
    ids = queries.ids_by_key(
        [c.article_key for c in found if c.article_key] + [c.suggestion.key for c in found if c.suggestion]
    )
    rows = [
        {
            "check": c,
            "id": ids.get(c.article_key),
            "suggestion_id": ids.get(c.suggestion.key) if c.suggestion else None,
        }
        for c in found
    ]
    context = {
        "text": text,
        "rows": rows,
        "checked": request.method == "POST",
        "problems": sum(not c.ok for c in found),
    }
    template = "statutes/_checks.html" if request.headers.get("HX-Request") else "statutes/check.html"
    return render(request, template, context)
