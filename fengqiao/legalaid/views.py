"""法律咨询登记 pages: the register with its form (record a consultation; triage proposes
at once), and one consultation with its proposal, the topic decision and the reply; for
citizens, leaving a question to be called back (请工作人员联系我) and their own questions
with the replies. Parse, call one action or query, render. Every consultation is reached
through ``queries`` (404 outside the actor's jurisdiction)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import CASE_READERS, CONSULTATION_DESKS, REGISTRARS
from fengqiao.assist import presenters as assist_presenters
from fengqiao.assist import queries as assist_queries
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.core.privacy import CONSULTATION_RETENTION_YEARS
from fengqiao.geography import queries as geo
from fengqiao.legalaid import actions, presenters, queries
from fengqiao.legalaid.models import Consultation
from fengqiao.triage.taxonomies import CONSULT_TOPICS, STATUTE_SOURCES, Taxonomy
from fengqiao.web.forms import place_code

PAGE = 20
FIELD_LABELS = {
    "question": "咨询内容",
    "channel": "咨询方式",
    "asker_name": "咨询人",
    "asker_phone": "联系电话",
    "admin_unit": "受理地",
    "reply": "答复要点",
    "consent": "同意",
}


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    if request.user.role not in CASE_READERS:
        raise Http404()
    return request.user


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdecimal() and len(raw) <= 6 else 1


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    values: dict[str, str] = {"channel": "phone_12348"}
    error: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "") for k in ("question", "channel", "asker_name", "asker_phone", "reply")
        }
        try:
            c = actions.record_consultation(
                actor=actor,
                question=values["question"],
                channel=values["channel"],
                asker_name=values["asker_name"],
                asker_phone=values["asker_phone"],
                reply=values["reply"],
            )
        except DomainError as e:
            error = {"label": FIELD_LABELS.get(e.field or "", ""), "message": e.message}
            status = 403 if e.status == 403 else 422
        else:
            return redirect(reverse("legalaid:consultation", args=[c.pk]))
    f = queries.ConsultationFilter(
        topic=request.GET.get("topic", "") if request.GET.get("topic", "") in CONSULT_TOPICS else "",
        pending=request.GET.get("pending") == "1",
        awaiting=request.GET.get("awaiting") == "1",
        q=request.GET.get("q", "")[:100],
    )
    page = _page(request)
    rows = list(queries.consultation_list(actor, f)[(page - 1) * PAGE : page * PAGE + 1])
    context: dict[str, Any] = {
        "rows": rows[:PAGE],
        "has_more": len(rows) > PAGE,
        "page": page,
        "filter": f,
        "topics": CONSULT_TOPICS,
        "counts": queries.counts_by_topic(actor)[:8],
        "can_record": actor.role in CONSULTATION_DESKS,
        "channels": [(c.value, c.label) for c in actions.CONSULTATION_CHANNELS],
        "values": values,
        "error": error,
    }
    return render(request, "legalaid/register.html", context, status=status)


def _consultation(request: HttpRequest, pk: int) -> tuple[User, Consultation]:
    actor = _actor(request)
    try:
        return actor, queries.consultation_for(actor, pk)
    except NotFound:
        raise Http404("未找到该记录，或不在您的管辖范围内。") from None


@login_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    actor, c = _consultation(request, pk)
    return _detail(request, actor, c)


def _detail(
    request: HttpRequest, actor: User, c: Consultation, error: str = "", status: int = 200
) -> HttpResponse:
    prefer = STATUTE_SOURCES[Taxonomy.CONSULT].get(c.shown_topic, ())
    context = {
        "c": presenters.consultation(c, actor),
        "proposals": [
            assist_presenters.proposal(p) for p in assist_queries.proposals_for(c.question, prefer)
        ],
        "topics": CONSULT_TOPICS,
        "can_decide": actor.role in CONSULTATION_DESKS,
        "can_register": actor.role in CONSULTATION_DESKS and actor.role in REGISTRARS,
        "error": error,
    }
    return render(request, "legalaid/consultation.html", context, status=status)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    actor, c = _consultation(request, pk)
    try:
        actions.reply_to(c, actor=actor, reply=request.POST.get("reply", ""))
    except DomainError as e:
        return _detail(request, actor, c, e.message, 403 if e.status == 403 else 422)
    return redirect(reverse("legalaid:consultation", args=[c.pk]))


def _citizen(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    if request.user.role != Role.CITIZEN:
        raise Http404()
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest) -> HttpResponse:
    """请工作人员联系我: a citizen leaves a question for the desk of their township."""
    actor = _citizen(request)
    source = request.POST if request.method == "POST" else request.GET
    values = {k: source.get(k, "")[: actions.MAX_QUESTION] for k in ("question", "asker_name", "asker_phone")}
    error: dict[str, str] | None = None
    status = 200
    unit = place_code(request.POST)
    if request.method == "POST":
        try:
            actions.request_callback(
                actor=actor,
                question=values["question"],
                admin_unit=unit,
                asker_name=values["asker_name"],
                asker_phone=values["asker_phone"],
                consent=request.POST.get("consent") == "on",
            )
        except DomainError as e:
            error = {"label": FIELD_LABELS.get(e.field or "", ""), "message": e.message}
            status = 403 if e.status == 403 else 422
        else:
            return redirect(reverse("legalaid:mine") + "?sent=1")
    context = {
        "values": values,
        "error": error,
        "retention_years": CONSULTATION_RETENTION_YEARS,
        "places": geo.place_selects(None, unit),
    }
    return render(request, "legalaid/callback.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    actor = _citizen(request)
    rows = list(queries.own_consultations(actor)[:100])
    return render(request, "legalaid/mine.html", {"rows": rows, "sent": request.GET.get("sent") == "1"})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor, c = _consultation(request, pk)
    try:
        actions.decide_topic(
            c, actor=actor, topic=request.POST.get("topic", ""), note=request.POST.get("note", "")
        )
    except DomainError as e:
        return _detail(request, actor, c, e.message, 403 if e.status == 403 else 422)
    return redirect(reverse("legalaid:consultation", args=[c.pk]))
