"""/api/v1/consultations — the register of legal consultations: record one (triaged at
once), list and read them within the jurisdiction, confirm or correct the topic, record
the reply to one that has none (a citizen's online question, once called back).
Parse, call one action or query, render."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from fengqiao.api.auth import actor_of
from fengqiao.legalaid import actions, presenters, queries

router = Router(tags=["法律咨询"])


class ConsultationIn(Schema):
    question: str = Field(max_length=actions.MAX_QUESTION)
    channel: str = "phone_12348"
    asker_name: str = Field(default="", max_length=60)
    asker_phone: str = Field(default="", max_length=40)
    reply: str = Field(default="", max_length=actions.MAX_QUESTION)
    admin_unit: int | None = None


class TopicIn(Schema):
    topic: str = ""
    note: str = Field(default="", max_length=500)


class ReplyIn(Schema):
    reply: str = Field(max_length=actions.MAX_QUESTION)


class ListParams(Schema):
    topic: str = ""
    pending: bool = False
    awaiting: bool = False  # citizens' online questions not yet replied to
    q: str = Field("", max_length=100)
    page: int = Field(1, ge=1, le=100_000)
    size: int = Field(20, ge=1, le=100)


@router.post("", response={201: dict[str, Any]}, summary="登记法律咨询（即时分类、风险评估与分流建议）")
def create(request: HttpRequest, payload: ConsultationIn) -> Status:
    actor = actor_of(request)
    c = actions.record_consultation(actor=actor, **payload.dict())
    return Status(201, presenters.consultation(queries.consultation_for(actor, c.pk), actor))


@router.get("", summary="本辖区法律咨询列表")
def list_consultations(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    actor = actor_of(request)
    size, page = params.size, params.page
    f = queries.ConsultationFilter(
        topic=params.topic, pending=params.pending, awaiting=params.awaiting, q=params.q
    )
    rows = list(
        queries.consultation_list(actor, f).select_related("received_by", "decided_by", "replied_by")[
            (page - 1) * size : page * size + 1
        ]
    )
    return {
        "items": [presenters.consultation(c, actor) for c in rows[:size]],
        "page": page,
        "size": size,
        "has_more": len(rows) > size,
    }


@router.get("/{int:consultation_id}", summary="法律咨询详情")
def get_consultation(request: HttpRequest, consultation_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    return presenters.consultation(queries.consultation_for(actor, consultation_id), actor)


@router.post("/{int:consultation_id}/topic", summary="确认或改判咨询类别")
def decide(request: HttpRequest, consultation_id: int, payload: TopicIn) -> dict[str, Any]:
    actor = actor_of(request)
    c = actions.decide_topic(queries.consultation_for(actor, consultation_id), actor=actor, **payload.dict())
    return presenters.consultation(queries.consultation_for(actor, c.pk), actor)


@router.post("/{int:consultation_id}/reply", summary="记录答复要点（群众网上留言回电后）")
def reply(request: HttpRequest, consultation_id: int, payload: ReplyIn) -> dict[str, Any]:
    actor = actor_of(request)
    c = actions.reply_to(queries.consultation_for(actor, consultation_id), actor=actor, reply=payload.reply)
    return presenters.consultation(queries.consultation_for(actor, c.pk), actor)
