"""The case page's dispatch card (派单): ranked mediators with every cost item explained,
smart or chosen assignment, and the parties' objections and choices. Parse, call one
action or query, render.

The case page belongs to ``web``; it includes ``dispatch/_case_dispatch.html``, whose
card is fetched here by htmx on load (so the case page costs no ranking), and falls back
to the full page ``/dispatch/cases/<id>/`` without JavaScript. Every dispute is reached
through ``cases.queries.dispute_for`` (404 outside the actor's jurisdiction).
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fengqiao.accounts.models import Mediator, User
from fengqiao.accounts.roles import MEDIATION_REACH
from fengqiao.cases import queries as case_queries
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.dispatch import actions, queries
from fengqiao.dispatch.choices import ObjectionGround
from fengqiao.dispatch.costs import LANGUAGE_LABEL, PROXIMITY_LABEL


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _dispute(request: HttpRequest, pk: int) -> Dispute:
    """The dispute, for staff who mediate and only within their jurisdiction; else 404."""
    actor = _actor(request)
    if actor.role not in MEDIATION_REACH:
        raise Http404()
    try:
        return case_queries.dispute_for(actor, pk)
    except NotFound:
        raise Http404("未找到该记录，或不在您的管辖范围内。") from None


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdecimal() else None


def card_context(d: Dispute, *, error: str = "") -> dict[str, Any]:
    found = queries.proposals_for(d) if d.status in queries.ASSIGNABLE else None
    proposals = found.items if found else []
    # mediators an objection or a choice may name: the handling body's and those proposed
    named = {p.mediator.pk: p.mediator for p in proposals}
    for m in case_queries.mediators_for(d):
        named.setdefault(m.pk, m)
    return {
        "case": d,
        "assignable": found is not None,
        "error": error,
        "proposals": [
            {
                "p": p,
                "proximity": PROXIMITY_LABEL[p.proximity],
                "interpreters": [LANGUAGE_LABEL[lang] for lang in p.interpreters],
            }
            for p in proposals
        ],
        "notes": found.notes if found else [],
        "objections": list(queries.objections_for(d)),
        "choices": list(queries.choices_for(d)),
        "parties": list(d.parties.order_by("id")),
        "named": sorted(named.values(), key=lambda m: (m.organisation_id != d.handling_org_id, m.name)),
        "grounds": ObjectionGround.choices,
    }


def _card(request: HttpRequest, d: Dispute, *, error: str = "") -> HttpResponse:
    context = card_context(d, error=error)
    if _htmx(request):
        # htmx swaps only successful answers: a refusal is shown in the card, in place
        return render(request, "dispatch/_card.html", context)
    return render(request, "dispatch/case_dispatch.html", context, status=422 if error else 200)


def _done(request: HttpRequest, d: Dispute, anchor: str) -> HttpResponse:
    url = reverse("web:case", kwargs={"pk": d.pk}) + anchor
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_GET
def card(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, _dispute(request, pk))


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """指派: the mediator posted, or (none posted) the best proposal (智能指派)."""
    actor = _actor(request)
    d = _dispute(request, pk)
    mediator_id = _int(request.POST.get("mediator_id"))
    reason = request.POST.get("reason", "").strip()[:1000]
    try:
        if mediator_id is None:
            actions.dispatch_one(d, actor)
        else:
            m = Mediator.objects.filter(pk=mediator_id).first()
            if m is None:
                raise DomainError("请选择调解员", field="mediator")
            actions.assign_checked(d, actor=actor, mediator=m, reason=reason)
    except DomainError as e:
        return _card(request, case_queries.dispute_for(actor, pk), error=f"未能指派调解员：{e.message}")
    return _done(request, d, "#timeline")


@login_required
@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """登记当事人异议 (人民调解法 Art. 23(1))."""
    actor = _actor(request)
    d = _dispute(request, pk)
    party_id, mediator_id = _int(request.POST.get("party_id")), _int(request.POST.get("mediator_id"))
    ground = request.POST.get("ground", "")
    try:
        if party_id is None:
            raise DomainError("请选择提出异议的当事人", field="party")
        if mediator_id is None:
            raise DomainError("请选择调解员", field="mediator")
        if ground not in ObjectionGround.values:
            raise DomainError("请选择异议理由", field="ground")
        actions.record_objection(
            d,
            actor=actor,
            party_id=party_id,
            mediator_id=mediator_id,
            ground=ObjectionGround(ground),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as e:
        return _card(request, d, error=f"未能登记异议：{e.message}")
    return _card(request, d) if _htmx(request) else _done(request, d, "#dispatch")


@login_required
@require_POST
def choice(request: HttpRequest, pk: int) -> HttpResponse:
    """登记当事人选择的调解员 (人民调解法 Art. 19)."""
    actor = _actor(request)
    d = _dispute(request, pk)
    party_id, mediator_id = _int(request.POST.get("party_id")), _int(request.POST.get("mediator_id"))
    try:
        if party_id is None:
            raise DomainError("请选择当事人", field="party")
        if mediator_id is None:
            raise DomainError("请选择调解员", field="mediator")
        actions.record_party_choice(d, actor=actor, party_id=party_id, mediator_id=mediator_id)
    except DomainError as e:
        return _card(request, d, error=f"未能登记当事人选择：{e.message}")
    return _card(request, d) if _htmx(request) else _done(request, d, "#dispatch")
