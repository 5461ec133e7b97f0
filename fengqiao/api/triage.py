"""/api/v1/triage — triage of one text, and the proposal of a case with its decision."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from fengqiao.api.auth import actor_of
from fengqiao.core.errors import NotFound
from fengqiao.triage import actions, presenters, queries, service
from fengqiao.triage.taxonomies import Taxonomy

router = Router(tags=["智能分流"])


class TriageIn(Schema):
    text: str = Field(max_length=100_000)
    taxonomy: Taxonomy = Taxonomy.MEDIATION
    amount: Decimal | None = Field(default=None, ge=0)
    people: int | None = Field(default=None, ge=1)


class DecisionIn(Schema):
    dispute_type: str | None = None
    risk_level: str | None = None
    note: str = Field(default="", max_length=2000)


@router.post("/triage", summary="对一段文字进行分类、风险评估与分流建议")
def triage_text(request: HttpRequest, payload: TriageIn) -> dict[str, Any]:
    result = service.triage(service.Case(payload.text, amount=payload.amount, people=payload.people))
    out = result.as_dict()
    if payload.taxonomy == Taxonomy.CONSULT:
        topic = service.classify([payload.text], Taxonomy.CONSULT)[0]
        out.update(
            {
                "topic": topic.label,
                "topic_confidence": topic.confidence,
                "topic_reasons": topic.reasons,
                "topic_model_version": service.model_version(Taxonomy.CONSULT),
            }
        )
    return out


@router.get("/cases/{int:case_id}/triage", summary="纠纷的分流建议")
def case_proposal(request: HttpRequest, case_id: int) -> dict[str, Any]:
    p = queries.latest_proposal(actor_of(request), case_id)
    if p is None:
        raise NotFound("该纠纷没有分流建议")
    return presenters.proposal(p)


@router.post("/cases/{int:case_id}/triage/decision", summary="确认或改判分流建议")
def decide(request: HttpRequest, case_id: int, payload: DecisionIn) -> dict[str, Any]:
    actor = actor_of(request)
    p = queries.latest_proposal(actor, case_id)
    if p is None:
        raise NotFound("该纠纷没有分流建议")
    return presenters.proposal(actions.decide_proposal(p, actor=actor, **payload.dict()))
