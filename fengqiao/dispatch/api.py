"""/api/v1 — dispatch: proposals and assignment for one dispute, the batch for a unit,
conflict declarations, parties' objections and choices, interpreters, pairings.

Parse, call one action or query, render. Every dispute is reached through
``cases.queries.dispute_for`` (404 outside the actor's jurisdiction), every mediator
through the actor's jurisdiction too.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from fengqiao.accounts.models import Mediator, User
from fengqiao.accounts.roles import FULL_IDENTITY_ROLES
from fengqiao.api.auth import actor_of
from fengqiao.cases import queries as case_queries
from fengqiao.cases.models import Dispute
from fengqiao.core import identity
from fengqiao.core.errors import NotFound
from fengqiao.dispatch import actions, queries
from fengqiao.dispatch.choices import ObjectionGround, Relation
from fengqiao.dispatch.costs import PROXIMITY_LABEL
from fengqiao.dispatch.models import ConflictDeclaration, CountyPairing, Interpreter, Objection, PartyChoice

router = Router(tags=["调度"])


# ------------------------------------------------------------------ shapes


class CostItemOut(Schema):
    item: str
    points: int


class ProposalOut(Schema):
    mediator: int
    name: str
    organisation: str
    total: int
    items: list[CostItemOut]
    proximity: str
    load: int
    max_load: int
    chosen_by_party: bool
    cross_region: bool
    interpreters: list[str]


class ProposalsOut(Schema):
    items: list[ProposalOut]
    notes: list[str]


class DispatchIn(Schema):
    mediator: int | None = Field(default=None, description="指定调解员；不填则由系统选择最合适的人选")
    reason: str = Field(default="", max_length=1000)


class DispatchOut(Schema):
    case: int
    mediator: int
    name: str
    organisation: str
    reason: str
    interpreters: list[str]


class BatchIn(Schema):
    unit: int = Field(description="调度范围的区划代码（12位），须在您的管辖范围内")


class BatchOut(Schema):
    run: int
    considered: int
    assigned: int
    unassigned: int
    total_cost: int
    grants: int
    interpreters: int
    seconds: dict[str, float]
    unassigned_reasons: dict[str, str]


class DeclarationIn(Schema):
    person_name: str = Field(max_length=100)
    id_number: str = Field(default="", max_length=18)
    relation: Relation
    reason: str = Field(default="", max_length=200)


class DeclarationOut(Schema):
    id: int
    mediator: int
    person_name: str
    id_number: str
    relation: str
    relation_label: str
    reason: str
    declared_at: str
    withdrawn: bool


class ObjectionIn(Schema):
    party: int
    mediator: int
    ground: ObjectionGround
    reason: str = Field(default="", max_length=200)


class ObjectionOut(Schema):
    id: int
    party: int
    party_name: str
    mediator: int
    mediator_name: str
    ground: str
    ground_label: str
    reason: str
    withdrawn: bool
    is_current_mediator: bool


class ChoiceIn(Schema):
    party: int
    mediator: int


class ChoiceOut(Schema):
    id: int
    party: int
    party_name: str
    mediator: int
    mediator_name: str
    withdrawn: bool


class InterpreterIn(Schema):
    name: str = Field(max_length=64)
    languages: list[str]
    phone: str = Field(default="", max_length=20)
    max_load: int = 6


class InterpreterOut(Schema):
    id: int
    name: str
    county: int
    languages: list[str]
    max_load: int
    is_active: bool


class PairingIn(Schema):
    aided_county: int
    partner_county: int
    note: str = Field(default="", max_length=200)


class PairingOut(Schema):
    id: int
    aided_county: int
    aided_name: str
    partner_county: int
    partner_name: str
    note: str
    is_illustrative: bool
    is_active: bool


# ------------------------------------------------------------------ presenters


def _proposal(p: queries.Proposal) -> dict[str, Any]:
    return {
        "mediator": p.mediator.pk,
        "name": p.mediator.name,
        "organisation": p.mediator.organisation.name,
        "total": p.total,
        "items": [{"item": label, "points": points} for label, points in p.items],
        "proximity": PROXIMITY_LABEL[p.proximity],
        "load": p.load,
        "max_load": p.mediator.max_load,
        "chosen_by_party": p.chosen_by_party,
        "cross_region": p.cross_region,
        "interpreters": list(p.interpreters),
    }


def _declaration(d: ConflictDeclaration, actor: User) -> dict[str, Any]:
    # 个人信息保护法 Art. 28: identity numbers in full only for roles that contact people
    full = actor.role in FULL_IDENTITY_ROLES
    return {
        "id": d.pk,
        "mediator": d.mediator_id,
        "person_name": d.person_name,
        "id_number": d.id_number if full or not d.id_number else identity.mask_id(d.id_number),
        "relation": d.relation,
        "relation_label": d.get_relation_display(),
        "reason": d.reason,
        "declared_at": d.declared_at.isoformat(),
        "withdrawn": d.withdrawn_at is not None,
    }


def _objection(o: Objection, d: Dispute) -> dict[str, Any]:
    return {
        "id": o.pk,
        "party": o.party_id,
        "party_name": o.party.name,
        "mediator": o.mediator_id,
        "mediator_name": o.mediator.name,
        "ground": o.ground,
        "ground_label": o.get_ground_display(),
        "reason": o.reason,
        "withdrawn": o.withdrawn_at is not None,
        "is_current_mediator": o.withdrawn_at is None and d.mediator_id == o.mediator_id,
    }


def _choice(c: PartyChoice) -> dict[str, Any]:
    return {
        "id": c.pk,
        "party": c.party_id,
        "party_name": c.party.name,
        "mediator": c.mediator_id,
        "mediator_name": c.mediator.name,
        "withdrawn": c.withdrawn_at is not None,
    }


def _interpreter(i: Interpreter) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "county": i.county_id,
        "languages": i.languages,
        "max_load": i.max_load,
        "is_active": i.is_active,
    }


def _pairing(p: CountyPairing) -> dict[str, Any]:
    return {
        "id": p.pk,
        "aided_county": p.aided_county_id,
        "aided_name": p.aided_county.name,
        "partner_county": p.partner_county_id,
        "partner_name": p.partner_county.name,
        "note": p.note,
        "is_illustrative": p.is_illustrative,
        "is_active": p.is_active,
    }


# ------------------------------------------------------------------ one dispute


@router.get(
    "/cases/{int:case_id}/mediator-proposals", response=ProposalsOut, summary="推荐调解员（含成本明细）"
)
def proposals(request: HttpRequest, case_id: int, limit: int = 5) -> dict[str, Any]:
    d = case_queries.dispute_for(actor_of(request), case_id)
    found = queries.proposals_for(d, limit=max(1, min(limit, 20)))
    return {"items": [_proposal(p) for p in found.items], "notes": found.notes}


@router.post("/cases/{int:case_id}/dispatch", response=DispatchOut, summary="指派调解员（不指定则智能指派）")
def dispatch(request: HttpRequest, case_id: int, payload: DispatchIn) -> dict[str, Any]:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    if payload.mediator is None:
        done = actions.dispatch_one(d, actor)
    else:
        mediator = Mediator.objects.filter(pk=payload.mediator).first()
        if mediator is None:
            raise NotFound("没有该调解员")
        done = actions.assign_checked(d, actor=actor, mediator=mediator, reason=payload.reason)
    return {
        "case": done.dispute.pk,
        "mediator": done.mediator.pk,
        "name": done.mediator.name,
        "organisation": done.mediator.organisation.name,
        "reason": done.reason,
        "interpreters": [b.interpreter.name for b in done.interpreters],
    }


@router.get("/cases/{int:case_id}/objections", response=list[ObjectionOut], summary="当事人对调解员的异议")
def list_objections(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    d = case_queries.dispute_for(actor_of(request), case_id)
    return [_objection(o, d) for o in queries.objections_for(d)]


@router.post("/cases/{int:case_id}/objections", response={201: ObjectionOut}, summary="登记当事人异议")
def add_objection(request: HttpRequest, case_id: int, payload: ObjectionIn) -> Status:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    o = actions.record_objection(
        d,
        actor=actor,
        party_id=payload.party,
        mediator_id=payload.mediator,
        ground=payload.ground,
        reason=payload.reason,
    )
    return Status(201, _objection(o, case_queries.dispute_for(actor, case_id)))


@router.post(
    "/cases/{int:case_id}/objections/{int:objection_id}/withdraw", response=ObjectionOut, summary="撤回异议"
)
def withdraw_objection(request: HttpRequest, case_id: int, objection_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    o = queries.objections_for(d).filter(pk=objection_id).first()
    if o is None:
        raise NotFound()
    return _objection(actions.withdraw_objection(o, actor=actor), d)


@router.get("/cases/{int:case_id}/mediator-choices", response=list[ChoiceOut], summary="当事人选择的调解员")
def list_choices(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    d = case_queries.dispute_for(actor_of(request), case_id)
    return [_choice(c) for c in queries.choices_for(d)]


@router.post(
    "/cases/{int:case_id}/mediator-choices", response={201: ChoiceOut}, summary="登记当事人选择的调解员"
)
def add_choice(request: HttpRequest, case_id: int, payload: ChoiceIn) -> Status:
    actor = actor_of(request)
    d = case_queries.dispute_for(actor, case_id)
    c = actions.record_party_choice(d, actor=actor, party_id=payload.party, mediator_id=payload.mediator)
    return Status(201, _choice(c))


# ------------------------------------------------------------------ the batch


@router.post("/dispatch/batch", response=BatchOut, summary="批量调度本区域待指派纠纷")
def batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    out = actions.dispatch_batch(payload.unit, actor_of(request))
    run = out.run
    return {
        "run": run.pk,
        "considered": run.considered,
        "assigned": run.assigned,
        "unassigned": run.unassigned,
        "total_cost": run.total_cost,
        "grants": out.result.grants,
        "interpreters": out.result.bookings,
        "seconds": {k: round(v, 4) for k, v in out.seconds.items()},
        "unassigned_reasons": run.detail.get("unassigned", {}),
    }


# ------------------------------------------------------------------ declarations


@router.get(
    "/dispatch/mediators/{int:mediator_id}/declarations",
    response=list[DeclarationOut],
    summary="调解员的利害关系申报",
)
def list_declarations(request: HttpRequest, mediator_id: int) -> list[dict[str, Any]]:
    actor = actor_of(request)
    return [_declaration(d, actor) for d in queries.declarations_of(queries.mediator_for(actor, mediator_id))]


@router.post(
    "/dispatch/mediators/{int:mediator_id}/declarations",
    response={201: DeclarationOut},
    summary="申报利害关系（回避）",
)
def add_declaration(request: HttpRequest, mediator_id: int, payload: DeclarationIn) -> Status:
    actor = actor_of(request)
    d = actions.declare_conflict(
        queries.mediator_for(actor, mediator_id),
        actor=actor,
        person_name=payload.person_name,
        id_number=payload.id_number,
        relation=payload.relation,
        reason=payload.reason,
    )
    return Status(201, _declaration(d, actor))


@router.post(
    "/dispatch/declarations/{int:declaration_id}/withdraw",
    response=DeclarationOut,
    summary="撤回利害关系申报",
)
def withdraw_declaration(request: HttpRequest, declaration_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    decl = ConflictDeclaration.objects.filter(pk=declaration_id).first()
    if decl is None:
        raise NotFound()
    queries.mediator_for(actor, decl.mediator_id)
    return _declaration(actions.withdraw_declaration(decl, actor=actor), actor)


# ------------------------------------------------------------------ interpreters and pairings


@router.get("/dispatch/interpreters", response=list[InterpreterOut], summary="本县翻译人员名册")
def list_interpreters(request: HttpRequest) -> list[dict[str, Any]]:
    return [_interpreter(i) for i in queries.interpreters_in(actor_of(request))]


@router.post("/dispatch/interpreters", response={201: InterpreterOut}, summary="登记翻译人员")
def add_interpreter(request: HttpRequest, payload: InterpreterIn) -> Status:
    i = actions.add_interpreter(actor=actor_of(request), **payload.dict())
    return Status(201, _interpreter(i))


@router.get("/dispatch/pairings", response=list[PairingOut], summary="结对帮扶县")
def list_pairings(request: HttpRequest) -> list[dict[str, Any]]:
    actor_of(request)
    return [_pairing(p) for p in queries.pairings()]


@router.post("/dispatch/pairings", response={201: PairingOut}, summary="新增或恢复结对帮扶（系统管理员）")
def add_pairing(request: HttpRequest, payload: PairingIn) -> Status:
    p = actions.save_pairing(
        actor=actor_of(request), aided=payload.aided_county, partner=payload.partner_county, note=payload.note
    )
    return Status(201, _pairing(queries.pairings().get(pk=p.pk)))


@router.post(
    "/dispatch/pairings/{int:pairing_id}/deactivate",
    response=PairingOut,
    summary="停用结对帮扶（系统管理员）",
)
def deactivate_pairing(request: HttpRequest, pairing_id: int) -> dict[str, Any]:
    p = queries.pairings().filter(pk=pairing_id).first()
    if p is None:
        raise NotFound()
    return _pairing(actions.remove_pairing(p, actor=actor_of(request)))
