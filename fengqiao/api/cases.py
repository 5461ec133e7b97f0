"""/api/v1/cases — the dispute lifecycle over JSON. Each write endpoint calls one action."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from fengqiao.api.auth import actor_of
from fengqiao.api.schemas import CaseDetailOut, CasePage, CountOut, MediatorOut, TransitionOut
from fengqiao.cases import commands as c
from fengqiao.cases import documents, presenters, queries, rights
from fengqiao.cases.choices import Action
from fengqiao.cases.commands import COMMANDS
from fengqiao.cases.schemas import DisputeIn
from fengqiao.intake import actions as intake

router = Router(tags=["纠纷案件"])


class ListParams(Schema):
    status: str = ""
    dispute_type: str = ""
    tier: str = ""
    channel: str = ""
    open: bool = False
    unit: int | None = None
    q: str = ""
    page: int = Field(1, ge=1, le=100_000)
    size: int = Field(20, ge=1, le=100)


@router.get("", response=CasePage, summary="本辖区纠纷列表")
def list_cases(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    actor = actor_of(request)
    size, page = params.size, params.page
    f = queries.CaseFilter(
        status=params.status,
        dispute_type=params.dispute_type,
        tier=params.tier,
        channel=params.channel,
        open_only=params.open,
        unit=params.unit,
        q=params.q,
    )
    rows = list(queries.case_list(actor, f)[(page - 1) * size : page * size + 1])
    return {
        "items": [presenters.summary(d) for d in rows[:size]],
        "page": page,
        "size": size,
        "has_more": len(rows) > size,
    }


@router.post("", response={201: CaseDetailOut}, summary="登记纠纷")
def create_case(request: HttpRequest, payload: DisputeIn) -> Status:
    actor = actor_of(request)
    d = intake.submit_dispute(payload, actor=actor)
    return Status(201, presenters.detail(queries.dispute_for(actor, d.pk), actor))


@router.get("/stats", response=list[CountOut], summary="按状态和类型统计")
def case_stats(request: HttpRequest, unit: int | None = None) -> list[dict[str, object]]:
    return queries.counts_by_status_and_type(actor_of(request), queries.CaseFilter(unit=unit))


@router.get("/{int:case_id}", response=CaseDetailOut, summary="纠纷详情")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    d = queries.dispute_for(actor, case_id)
    rights.record_read(actor, d, "case")
    return presenters.detail(d, actor)


@router.get("/{int:case_id}/timeline", response=list[TransitionOut], summary="流转记录")
def get_timeline(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    d = queries.dispute_for(actor_of(request), case_id)
    return [presenters.timeline_entry(t) for t in queries.timeline(d)]


@router.get("/{int:case_id}/agreement.docx", summary="调解协议书(DOCX)")
def agreement_docx(request: HttpRequest, case_id: int) -> HttpResponse:
    d = queries.dispute_for(actor_of(request), case_id)
    response = documents.agreement_response(d, actor_of(request))
    rights.record_read(actor_of(request), d, "agreement")
    return response


def _act(request: HttpRequest, case_id: int, action: Action, payload: Schema) -> dict[str, Any]:
    """Run one command on a dispute the actor can see and return the case as it now is."""
    actor = actor_of(request)
    d = queries.dispute_for(actor, case_id)
    COMMANDS[action].run(d, actor, payload)
    return presenters.detail(queries.dispute_for(actor, case_id), actor)


@router.post("/{int:case_id}/accept", response=CaseDetailOut, summary="受理")
def accept(request: HttpRequest, case_id: int, payload: c.AcceptIn) -> dict[str, Any]:
    return _act(request, case_id, Action.ACCEPT, payload)


@router.post("/{int:case_id}/decline", response=CaseDetailOut, summary="不予受理")
def decline(request: HttpRequest, case_id: int, payload: c.ReasonIn) -> dict[str, Any]:
    return _act(request, case_id, Action.DECLINE, payload)


@router.post("/{int:case_id}/refusals", response=CaseDetailOut, summary="登记当事人拒绝/同意调解")
def refusal(request: HttpRequest, case_id: int, payload: c.RefusalIn) -> dict[str, Any]:
    return _act(request, case_id, Action.RECORD_REFUSAL, payload)


@router.post("/{int:case_id}/mediator", response=CaseDetailOut, summary="指派调解员")
def mediator(request: HttpRequest, case_id: int, payload: c.MediatorIn) -> dict[str, Any]:
    return _act(request, case_id, Action.ASSIGN_MEDIATOR, payload)


@router.post("/{int:case_id}/sessions", response=CaseDetailOut, summary="记录调解笔录")
def session(request: HttpRequest, case_id: int, payload: c.SessionIn) -> dict[str, Any]:
    return _act(request, case_id, Action.RECORD_SESSION, payload)


@router.post("/{int:case_id}/extension", response=CaseDetailOut, summary="延长调解期限(须双方同意)")
def extension(request: HttpRequest, case_id: int, payload: c.ExtensionIn) -> dict[str, Any]:
    return _act(request, case_id, Action.EXTEND_DEADLINE, payload)


@router.post("/{int:case_id}/agreement", response=CaseDetailOut, summary="登记调解协议")
def agreement(request: HttpRequest, case_id: int, payload: c.AgreementIn) -> dict[str, Any]:
    return _act(request, case_id, Action.REACH_AGREEMENT, payload)


@router.post("/{int:case_id}/failure", response=CaseDetailOut, summary="终止调解(调解不成)")
def failure(request: HttpRequest, case_id: int, payload: c.FailureIn) -> dict[str, Any]:
    return _act(request, case_id, Action.FAIL_MEDIATION, payload)


@router.post("/{int:case_id}/confirmation", response=CaseDetailOut, summary="申请司法确认")
def confirmation(request: HttpRequest, case_id: int, payload: c.ConfirmationIn) -> dict[str, Any]:
    return _act(request, case_id, Action.APPLY_CONFIRMATION, payload)


@router.post("/{int:case_id}/confirmation/result", response=CaseDetailOut, summary="登记司法确认结果")
def confirmation_result(
    request: HttpRequest, case_id: int, payload: c.ConfirmationResultIn
) -> dict[str, Any]:
    return _act(request, case_id, Action.RECORD_CONFIRMATION, payload)


@router.post("/{int:case_id}/performance", response=CaseDetailOut, summary="登记履行情况")
def performance(request: HttpRequest, case_id: int, payload: c.PerformanceIn) -> dict[str, Any]:
    return _act(request, case_id, Action.RECORD_PERFORMANCE, payload)


@router.post("/{int:case_id}/follow-ups", response=CaseDetailOut, summary="登记回访")
def follow_up(request: HttpRequest, case_id: int, payload: c.FollowUpIn) -> dict[str, Any]:
    return _act(request, case_id, Action.RECORD_FOLLOW_UP, payload)


@router.post("/{int:case_id}/close", response=CaseDetailOut, summary="结案")
def close(request: HttpRequest, case_id: int, payload: c.CloseIn) -> dict[str, Any]:
    return _act(request, case_id, Action.CLOSE, payload)


@router.post("/{int:case_id}/escalation", response=CaseDetailOut, summary="上报上一级")
def escalation(request: HttpRequest, case_id: int, payload: c.TierMoveIn) -> dict[str, Any]:
    return _act(request, case_id, Action.ESCALATE, payload)


@router.post("/{int:case_id}/referral-back", response=CaseDetailOut, summary="退回下级")
def referral_back(request: HttpRequest, case_id: int, payload: c.TierMoveIn) -> dict[str, Any]:
    return _act(request, case_id, Action.REFER_BACK, payload)


@router.post("/{int:case_id}/transfer", response=CaseDetailOut, summary="移交其他途径")
def transfer(request: HttpRequest, case_id: int, payload: c.TransferIn) -> dict[str, Any]:
    return _act(request, case_id, Action.TRANSFER, payload)


@router.post("/{int:case_id}/withdrawal", response=CaseDetailOut, summary="当事人撤回")
def withdrawal(request: HttpRequest, case_id: int, payload: c.ReasonIn) -> dict[str, Any]:
    return _act(request, case_id, Action.WITHDRAW, payload)


@router.get("/{int:case_id}/mediators", response=list[MediatorOut], summary="可指派的调解员")
def case_mediators(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    d = queries.dispute_for(actor_of(request), case_id)
    return [
        {
            "id": m.pk,
            "name": m.name,
            "organisation": m.organisation.name,
            "specialties": m.specialties,
            "languages": m.languages,
        }
        for m in queries.mediators_for(d)
    ]
