"""The dashboard pages. Each view parses input, calls one scoped query, renders.

A unit outside the actor's jurisdiction is 404, the same answer as for a unit that
does not exist (``queries.scope_for``).
"""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fengqiao.accounts.models import User
from fengqiao.analytics import periods, presenters, queries, report
from fengqiao.analytics.queries import Scope
from fengqiao.cases.choices import DisputeType
from fengqiao.core import clock
from fengqiao.core.errors import NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _scope(request: HttpRequest) -> Scope:
    raw = request.GET.get("unit", "")
    code = int(raw) if raw.isdecimal() and len(raw) == 12 else None
    if raw and code is None:
        raise Http404("未找到该区划，或不在您的管辖范围内。")
    try:
        return queries.scope_for(_actor(request), code)
    except NotFound:
        raise Http404("未找到该区划，或不在您的管辖范围内。") from None


def _filters(request: HttpRequest) -> presenters.Filters:
    g = request.GET
    kind = g.get("type", "")
    return presenters.Filters(
        period=periods.period_from(g.get("from", ""), g.get("to", ""), clock.today()),
        dispute_type=kind if kind in DisputeType.values else "",
    )


def _attachment(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"report.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    ctx = presenters.dashboard(scope, _filters(request))
    ctx["charts"] = presenters.charts(ctx)
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    return render(request, "analytics/_body.html" if partial else "analytics/dashboard.html", ctx)


@login_required
@require_GET
def report_download(request: HttpRequest) -> HttpResponse:
    """The monthly report of the unit, generated now from the rollups."""
    scope = _scope(request)
    month = periods.parse_month(request.GET.get("month", "")) or periods.add_months(
        periods.month_of(clock.today()), -1
    )
    content = report.build_xlsx(scope, month, preparer=_actor(request).display_name, on=clock.today())
    return _attachment(content, report.filename(scope, month))


@login_required
@require_GET
def stored_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A report the monthly job generated and kept."""
    try:
        scope = queries.scope_for(_actor(request))
        row = queries.report_for(scope, pk)
    except NotFound:
        raise Http404("未找到该报表，或不在您的管辖范围内。") from None
    return _attachment(bytes(row.content), report.filename(Scope(row.unit, scope.root), row.month))
