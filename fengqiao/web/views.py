"""Server-rendered pages. Each view parses input, calls one query or action, renders."""

import datetime as dt
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import IMPORTERS, MEDIATION_REACH, REGISTRARS
from fengqiao.assist.views import assist_context
from fengqiao.cases import actions, documents, presenters, queries, related, rights
from fengqiao.cases.choices import (
    OPEN_STATUSES,
    TIER_ORDER,
    Action,
    AgreementForm,
    Channel,
    ConfirmationResult,
    DisputeType,
    GroupKind,
    PerformanceStatus,
    RiskLevel,
    Satisfaction,
    Status,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.cases.commands import COMMANDS
from fengqiao.cases.schemas import DisputeIn, chinese_errors
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, NotFound
from fengqiao.geography import queries as geo
from fengqiao.intake import actions as intake
from fengqiao.intake import importer
from fengqiao.triage import actions as triage_actions
from fengqiao.triage import presenters as triage_presenters
from fengqiao.triage import queries as triage_queries
from fengqiao.warning import actions as warning_actions
from fengqiao.warning import queries as warning_queries
from fengqiao.warning.choices import AlertStatus
from fengqiao.web import forms
from fengqiao.web.admin_views import ADMIN_HOME

PAGE_SIZE = 20


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _dispute(request: HttpRequest, pk: int) -> Any:
    try:
        return queries.dispute_for(_actor(request), pk)
    except NotFound:
        raise Http404("未找到该记录，或不在您的管辖范围内。") from None


ROLE_TIER = {
    Role.VILLAGE_MEDIATOR: Tier.VILLAGE,
    Role.TOWNSHIP_OFFICER: Tier.TOWNSHIP,
    Role.COUNTY_OFFICER: Tier.COUNTY,
}


def _filter_from(request: HttpRequest) -> queries.CaseFilter:
    g = request.GET
    actor = _actor(request)
    unit = g.get("unit", "")

    def day(key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(g.get(key, ""))
        except ValueError:
            return None

    return queries.CaseFilter(
        status=g.get("status", "") if g.get("status", "") in Status.values else "",
        dispute_type=g.get("dispute_type", "") if g.get("dispute_type", "") in DisputeType.values else "",
        tier=g.get("tier", "") if g.get("tier", "") in Tier.values else "",
        channel=g.get("channel", "") if g.get("channel", "") in Channel.values else "",
        open_only=g.get("open", "1") == "1" and not g.get("status"),
        unit=int(unit) if unit.isdecimal() and len(unit) == 12 else None,
        q=g.get("q", "")[:50],
        received_from=day("from"),
        received_to=day("to"),
        flow=g.get("flow", "") if g.get("flow", "") in ("escalated", "returned") else "",
        tier_of_actor=ROLE_TIER.get(Role(actor.role), ""),
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.role in ADMIN_HOME:  # administrators have no case list; each has his own page
        return redirect(ADMIN_HOME[Role(actor.role)])
    f = _filter_from(request)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows = list(queries.case_list(actor, f)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    context = {
        "cases": [presenters.summary(d) for d in rows[:PAGE_SIZE]],
        "page": page,
        "has_more": len(rows) > PAGE_SIZE,
        "filter": f,
        "query": request.GET.copy(),
        "statuses": Status.choices,
        "types": DisputeType.choices,
        "tiers": Tier.choices,
        "channels": Channel.choices,
        "open_statuses": OPEN_STATUSES,
        "can_register": actor.role in REGISTRARS,
        "can_import": actor.role in IMPORTERS,
        "scope_name": geo.full_name(actor.admin_unit_id) if actor.admin_unit_id else "",
        "my_tier": ROLE_TIER.get(Role(actor.role), ""),
    }
    template = "web/_case_rows.html" if request.headers.get("HX-Request") else "web/home.html"
    return render(request, template, context)


def _place_options(actor: User, chosen: int | None = None) -> dict[str, Any]:
    """Where the actor may record a dispute: the cascade starts below his own unit, with the
    place already chosen (a form sent back with an error) selected."""
    return {"root": actor.admin_unit, "places": geo.place_selects(actor.admin_unit, chosen)}


@login_required
@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.role not in REGISTRARS:
        raise Http404()
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = forms.dispute_payload(request.POST)
        if actor.admin_unit_id and not values.get("admin_unit"):
            values["admin_unit"] = str(actor.admin_unit_id)
        try:
            d = intake.submit_dispute(DisputeIn.model_validate(values), actor=actor)
        except ValidationError as e:
            errors = chinese_errors(e)
        except DomainError as e:
            errors = [{"field": e.field or "", "label": "", "message": e.message}]
        else:
            return redirect("web:case", pk=d.pk)
    elif request.GET.get("consultation", "").isdecimal() and len(request.GET["consultation"]) <= 18:
        values = _from_consultation(actor, int(request.GET["consultation"]))
    context = {
        "errors": errors,
        "error_fields": {e["field"] for e in errors},
        "values": values,
        "party_rows": _party_rows(values),
        "types": DisputeType.choices,
        "channels": [c for c in Channel.choices if actor.role == "partner" or not c[0].endswith("_referral")],
        **_place_options(actor, forms.unit_code(values.get("admin_unit"))),
    }
    return render(request, "web/case_new.html", context, status=422 if errors else 200)


@login_required
@require_GET
def party_row(request: HttpRequest) -> HttpResponse:
    """htmx: one more party fieldset on the registration form."""
    try:
        i = min(max(int(request.GET.get("i", "2")), 0), 199)
    except ValueError:
        i = 2
    return render(
        request, "web/_party_row.html", {"i": i, "n": i + 1, "next": i + 1, "p": {"role": "third_party"}}
    )


def _from_consultation(actor: User, pk: int) -> dict[str, Any]:
    """The registration form filled from a consultation that turned out to be a dispute
    (转为纠纷登记): the question as the facts, the asker as the applicant."""
    from fengqiao.legalaid import queries as legalaid_queries

    try:
        c = legalaid_queries.consultation_for(actor, pk)
    except NotFound:
        raise Http404() from None
    applicant = {"role": "applicant", "name": c.asker_name, "phone": c.asker_phone}
    return {
        "channel": c.channel,
        "summary": c.question[:40],
        "narrative": c.question,
        "parties": [applicant, {"role": "respondent"}],
    }


def _party_rows(values: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(values.get("parties") or [])
    while len(rows) < 2:
        rows.append({"role": "applicant" if not rows else "respondent"})
    return rows


@login_required
@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """htmx: the <option>s of the children of the unit chosen in one of the place selects,
    and the selects below those emptied (out of band), so no village of the township chosen
    before stays selectable under another."""
    names = forms.PLACE_FIELDS
    changed = next((k for k in names[:-1] if k in request.GET), "")
    code = forms.unit_code(request.GET.get(changed))
    units = geo.children_of(code) if code else []
    cleared = names[names.index(changed) + 2 :] if changed else ()
    return render(request, "web/_unit_options.html", {"units": units, "cleared": cleared})


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    d = _dispute(request, pk)
    rights.record_read(actor, d, "case")
    return render(request, "web/case_detail.html", _detail_context(actor, d))


def _detail_context(actor: User, d: Any, **extra: Any) -> dict[str, Any]:
    case = presenters.detail(d, actor)
    available = {a["action"] for a in case["available_actions"]}
    proposal = d.triage_proposals.select_related("decided_by").order_by("-created_at", "-id").first()
    group = list(d.group.members.exclude(pk=d.pk).order_by("received_at")) if d.group_id else []
    can_link = Action.LINK in available
    return {
        "group": d.group,
        "group_members": [presenters.summary(m) for m in group],
        "related": related.related_to(actor, d) if can_link and d.status != Status.CLOSED else [],
        "can_link": can_link,
        "joint": can_link and sum(m.status in ("accepted", "mediating") for m in [d, *group]) >= 2,
        "case": case,
        "proposal": triage_presenters.proposal(proposal) if proposal else None,
        "can_decide_triage": Action.RECLASSIFY in available,
        "types": DisputeType.choices,
        "risk_levels": RiskLevel.choices,
        "timeline": [presenters.timeline_entry(t) for t in queries.timeline(d)],
        "available": available,
        "mediators": list(queries.mediators_for(d)) if Action.ASSIGN_MEDIATOR in available else [],
        "today": clock.today(),
        "now": clock.now(),
        "tiers": Tier.choices,
        "higher_tiers": [t for t in Tier if TIER_ORDER[t] > TIER_ORDER[Tier(d.tier)]],
        "lower_tiers": [t for t in Tier if TIER_ORDER[t] < TIER_ORDER[Tier(d.tier)]],
        "targets": TransferTarget.choices,
        "agreement_forms": AgreementForm.choices,
        "confirmation_results": [c for c in ConfirmationResult.choices if c[0] != "pending"],
        "performance_statuses": PerformanceStatus.choices,
        "visit_methods": VisitMethod.choices,
        "satisfactions": Satisfaction.choices,
        **assist_context(actor, d),
        **extra,
    }


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one command posted from the case page; on refusal show why, in place."""
    actor = _actor(request)
    d = _dispute(request, pk)
    try:
        command = COMMANDS[Action(action)]
    except (ValueError, KeyError):
        raise Http404() from None
    try:
        command.run(d, actor, command.schema.model_validate(forms.command_payload(request.POST)))
    except ValidationError as e:
        return _refused(
            request, actor, d, action, "；".join(f"{x['label']}：{x['message']}" for x in chinese_errors(e))
        )
    except DomainError as e:
        return _refused(request, actor, d, action, e.message)
    return redirect(reverse("web:case", kwargs={"pk": d.pk}) + "#timeline")


def _refused(request: HttpRequest, actor: User, d: Any, action: str, message: str) -> HttpResponse:
    d = queries.dispute_for(actor, d.pk)
    label = Action(action).label if action in Action.values else {"triage": "确认分流"}.get(action, "操作")
    ctx = _detail_context(actor, d, error={"action": action, "action_label": label, "message": message})
    return render(request, "web/case_detail.html", ctx, status=422)


@login_required
@require_GET
def agreement_print(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    d = _dispute(request, pk)
    try:
        ctx = documents.agreement_context(d, actor)
    except DomainError:
        raise Http404("该纠纷尚未达成调解协议") from None
    rights.record_read(actor, d, "agreement")
    return render(request, "web/agreement_print.html", {"lines": documents.agreement_lines(ctx), **ctx})


@login_required
@require_GET
def agreement_docx(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    d = _dispute(request, pk)
    try:
        response = documents.agreement_response(d, actor)
    except DomainError:
        raise Http404("该纠纷尚未达成调解协议") from None
    rights.record_read(actor, d, "agreement")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_cases(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.role not in IMPORTERS:
        raise Http404()
    report = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要导入的文件"
        else:
            report = importer.import_disputes(upload.name or "upload", upload.read(), actor=actor)
    return render(
        request,
        "web/import.html",
        {"report": report, "error": error, "headers": importer.TEMPLATE_HEADERS},
        status=422 if error else 200,
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        ("\ufeff" + ",".join(importer.TEMPLATE_HEADERS) + "\n").encode("utf-8"), content_type="text/csv"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''dispute-import-template.csv"
    return response


@login_required
@require_POST
def triage_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm triage's proposal in one click, or override it with a reason."""
    actor = _actor(request)
    d = _dispute(request, pk)
    proposal = triage_queries.latest_proposal(actor, d.pk)
    if proposal is None:
        raise Http404()
    try:
        triage_actions.decide_proposal(
            proposal,
            actor=actor,
            dispute_type=request.POST.get("dispute_type") or None,
            risk_level=request.POST.get("risk_level") or None,
            note=request.POST.get("note", "").strip(),
        )
    except DomainError as e:
        return _refused(request, actor, d, "triage", e.message)
    return redirect(reverse("web:case", kwargs={"pk": d.pk}) + "#triage")


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "web/alerts.html",
        {
            "alerts": list(warning_queries.alerts_for(actor, active_only=not show_all)[:200]),
            "show_all": show_all,
            "can_handle": actor.role in MEDIATION_REACH,
            "scope_name": geo.full_name(actor.admin_unit_id) if actor.admin_unit_id else "",
        },
    )


@login_required
@require_POST
def alert_move(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        alert = warning_queries.alert_for(actor, pk)
        warning_actions.move_alert(
            alert,
            actor=actor,
            to=AlertStatus(request.POST.get("status", "")),
            note=request.POST.get("note", ""),
        )
    except NotFound:
        raise Http404() from None
    except (DomainError, ValueError) as e:
        message = e.message if isinstance(e, DomainError) else "无效的状态"
        ctx = {"alerts": list(warning_queries.alerts_for(actor)[:200]), "error": message, "can_handle": True}
        return render(request, "web/alerts.html", ctx, status=422)
    return redirect("web:alerts")


@login_required
@require_POST
def link_related(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    d = _dispute(request, pk)
    try:
        others = [int(x) for x in request.POST.getlist("others")]
        kind = GroupKind(request.POST.get("kind") or GroupKind.SAME_MATTER)
        actions.link_disputes(d, actor=actor, others=others, kind=kind, reason=request.POST.get("reason", ""))
    except (ValueError, NotFound):
        return _refused(request, actor, d, "link", "所选纠纷无效")
    except DomainError as e:
        return _refused(request, actor, d, "link", e.message)
    return redirect(reverse("web:case", kwargs={"pk": d.pk}) + "#related")


@login_required
@require_POST
def joint_session(request: HttpRequest, pk: int) -> HttpResponse:
    """联合调解: one session recorded in every member of the case's group."""
    actor = _actor(request)
    d = _dispute(request, pk)
    if d.group is None:
        raise Http404()
    try:
        held = dt.datetime.fromisoformat(request.POST.get("held_at", ""))
        actions.record_joint_session(
            d.group,
            actor=actor,
            held_at=held,
            place=request.POST.get("place", ""),
            content=request.POST.get("content", ""),
            attendees=request.POST.get("attendees", ""),
        )
    except ValueError:
        return _refused(request, actor, d, "link", "调解时间格式不正确")
    except (DomainError, NotFound) as e:
        return _refused(request, actor, d, "link", getattr(e, "message", "无权操作关联纠纷"))
    return redirect(reverse("web:case", kwargs={"pk": d.pk}) + "#timeline")
