"""Writes of dispatch. Each is atomic and audited. Assignments reach a dispute only
through ``cases.actions.assign_mediator``, the one write path: ``assign_checked`` adds
dispatch's own checks under lock and calls it; ``dispatch_one`` (the best proposal) and
``assign_many`` / ``dispatch_batch`` (a solver's plan, one savepoint per dispute) go
through ``assign_checked``.

Every assignment is checked, under lock and whatever the solver said, for a mediator on
the roster, below his cap, free of every declared relation and every party's objection,
and understood by every party (himself or through an interpreter booked in the same
transaction). Nothing is assigned across a conflict or over a cap.
"""

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import Mediator, User
from fengqiao.accounts.roles import MEDIATION_REACH
from fengqiao.cases import actions as case_actions
from fengqiao.cases import queries as case_queries
from fengqiao.cases.models import Dispute, Party
from fengqiao.core import clock, identity
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.dispatch import costs, queries, solver
from fengqiao.dispatch.choices import ObjectionGround, Relation
from fengqiao.dispatch.costs import LANGUAGE_LABEL, PROXIMITY_LABEL
from fengqiao.dispatch.eligibility import conflict_reasons, problems
from fengqiao.dispatch.models import (
    ConflictDeclaration,
    CountyPairing,
    DispatchRun,
    Interpreter,
    InterpreterBooking,
    Objection,
    PartyChoice,
)
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.geography.models import AdminUnit

# 跨区域调配 is decided by the judicial office or the county centre (cases.actions.assign_mediator).
DISPATCHERS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER})
DATA_DIR = Path(__file__).resolve().parent / "data"
PAIRINGS_FILE = DATA_DIR / "pairings-51.csv"


# ------------------------------------------------------------------ who may do what


def _staff(actor: User) -> None:
    if not actor.is_authenticated or actor.role not in MEDIATION_REACH or actor.admin_unit_id is None:
        raise PermissionDenied("只有调解工作人员可以执行此操作")


def _party_of(d: Dispute, party_id: int) -> Party:
    party = d.parties.filter(pk=party_id).first()
    if party is None:
        raise DomainError("当事人不属于该纠纷", field="party")
    return party


def _active_mediator(mediator_id: int) -> Mediator:
    m = Mediator.objects.select_related("organisation").filter(pk=mediator_id).first()
    if m is None:
        raise DomainError("没有该调解员", field="mediator")
    return m


# ------------------------------------------------------------------ conflicts of interest


@transaction.atomic
def declare_conflict(
    mediator: Mediator,
    *,
    actor: User,
    person_name: str,
    relation: Relation,
    id_number: str = "",
    reason: str = "",
) -> ConflictDeclaration:
    """利害关系申报: a mediator (or an officer for him) declares a relation to a person, so
    he is never assigned a dispute of that person (人民调解法 Art. 21: 主持公道)."""
    m = queries.mediator_for(actor, mediator.pk)
    person_name = person_name.strip()
    if not person_name:
        raise DomainError("请填写关系人姓名或名称", field="person_name")
    id_number = id_number.strip().upper()
    if id_number and len(id_number) == 18 and id_number[:17].isdigit():
        try:
            id_number = identity.parse_resident_id(id_number)
        except ValueError as e:
            raise DomainError(f"关系人身份证号码：{e}", field="id_number") from None
    elif id_number and len(id_number) != 18:
        raise DomainError("关系人身份证号码或统一社会信用代码应为18位", field="id_number")
    if relation not in Relation.values:
        raise DomainError("请选择关系", field="relation")
    decl = ConflictDeclaration.objects.create(
        mediator=m,
        person_name=person_name,
        id_number=id_number,
        relation=relation,
        reason=reason.strip()[:200],
        declared_by=actor,
    )
    # the identity number is sensitive (个人信息保护法 Art. 28): the audit keeps it masked
    audit.record(actor, "declare_conflict", decl, mediator=m.pk, id_number=identity.mask_id(id_number))
    return decl


@transaction.atomic
def withdraw_declaration(decl: ConflictDeclaration, *, actor: User) -> ConflictDeclaration:
    queries.mediator_for(actor, decl.mediator_id)
    if decl.withdrawn_at is None:
        decl.withdrawn_at = clock.now()
        decl.save(update_fields=["withdrawn_at"])
        audit.record(actor, "withdraw_declaration", decl)
    return decl


@transaction.atomic
def record_objection(
    dispute: Dispute,
    *,
    actor: User,
    party_id: int,
    mediator_id: int,
    ground: ObjectionGround,
    reason: str = "",
) -> Objection:
    """当事人异议: a party does not accept a mediator for this dispute — e.g. the other side's
    own village official (人民调解法 Art. 23(1): the right to choose or to accept a mediator;
    Art. 3(1): voluntariness and equality). Dispatch then never proposes or assigns him."""
    _staff(actor)
    d = case_queries.dispute_for(actor, dispute.pk, for_update=True)
    party = _party_of(d, party_id)
    m = _active_mediator(mediator_id)
    if ground not in ObjectionGround.values:
        raise DomainError("请选择异议理由", field="ground")
    if ground == ObjectionGround.OTHER and not reason.strip():
        raise DomainError("异议理由为“其他”时请填写说明", field="reason")
    objection = Objection.objects.create(
        dispute=d, party=party, mediator=m, ground=ground, reason=reason.strip()[:200], recorded_by=actor
    )
    audit.record(actor, "record_objection", objection, dispute=d.pk, mediator=m.pk, ground=ground)
    return objection


@transaction.atomic
def withdraw_objection(objection: Objection, *, actor: User) -> Objection:
    _staff(actor)
    case_queries.dispute_for(actor, objection.dispute_id)
    if objection.withdrawn_at is None:
        objection.withdrawn_at = clock.now()
        objection.save(update_fields=["withdrawn_at"])
        audit.record(actor, "withdraw_objection", objection)
    return objection


@transaction.atomic
def record_party_choice(dispute: Dispute, *, actor: User, party_id: int, mediator_id: int) -> PartyChoice:
    """当事人选择调解员 (人民调解法 Arts. 19, 23(1)): dispatch honours it when he is eligible."""
    _staff(actor)
    d = case_queries.dispute_for(actor, dispute.pk, for_update=True)
    party = _party_of(d, party_id)
    m = _active_mediator(mediator_id)
    if not m.is_active:
        raise DomainError(f"调解员{m.name}已不在册，不能选择", field="mediator")
    choice, created = PartyChoice.objects.get_or_create(
        dispute=d, party=party, mediator=m, withdrawn_at=None, defaults={"recorded_by": actor}
    )
    if created:
        audit.record(actor, "record_party_choice", choice, dispute=d.pk, mediator=m.pk)
    return choice


# ------------------------------------------------------------------ rosters and pairings


@transaction.atomic
def add_interpreter(
    *, actor: User, name: str, languages: Sequence[str], phone: str = "", max_load: int = 6
) -> Interpreter:
    """Put an interpreter on the roster of the actor's county (township or county staff)."""
    if actor.role not in DISPATCHERS or actor.admin_unit_id is None:
        raise PermissionDenied("翻译人员名册由司法所或县级矛调中心维护")
    if not name.strip():
        raise DomainError("请填写翻译人员姓名", field="name")
    langs = sorted({lang for lang in languages})
    if not langs or any(lang not in LANGUAGE_LABEL for lang in langs):
        raise DomainError("翻译语言请选择藏语(bo)或彝语(ii)", field="languages")
    if not 1 <= max_load <= 50:
        raise DomainError("在办案件上限应在1到50之间", field="max_load")
    county = codes.ancestor_at(actor.admin_unit_id, Level.COUNTY) or 0
    interpreter = Interpreter.objects.create(
        name=name.strip(), county_id=county, languages=langs, phone=phone.strip(), max_load=max_load
    )
    audit.record(actor, "add_interpreter", interpreter, county=county)
    return interpreter


def _pairing_admin(actor: User | None) -> None:
    # Standing pairings are provincial reference data, kept by the system administrator.
    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("结对帮扶关系由系统管理员维护")


def _county(code: int, field_name: str) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=code).first()
    if unit is None or unit.level != Level.COUNTY:
        raise DomainError("请选择县级行政区划", field=field_name)
    return unit


@transaction.atomic
def save_pairing(
    *, actor: User | None, aided: int, partner: int, note: str = "", illustrative: bool = False
) -> CountyPairing:
    """Add or reactivate a pairing of an aided county with a partner county."""
    _pairing_admin(actor)
    a, b = _county(aided, "aided_county"), _county(partner, "partner_county")
    if a.pk == b.pk:
        raise DomainError("受援县与帮扶县不能相同", field="partner_county")
    pairing, _ = CountyPairing.objects.update_or_create(
        aided_county=a,
        partner_county=b,
        defaults={
            "note": note[:200],
            "is_active": True,
            "is_illustrative": illustrative,
            "updated_at": clock.now(),
        },
    )
    audit.record(actor, "save_pairing", pairing, aided=a.pk, partner=b.pk)
    return pairing


@transaction.atomic
def remove_pairing(pairing: CountyPairing, *, actor: User | None) -> CountyPairing:
    _pairing_admin(actor)
    pairing.is_active = False
    pairing.updated_at = clock.now()
    pairing.save(update_fields=["is_active", "updated_at"])
    audit.record(actor, "remove_pairing", pairing)
    return pairing


@transaction.atomic
def load_pairings(path: Path = PAIRINGS_FILE) -> int:
    """Load the kept pairing table (idempotent: existing pairs are updated, none duplicated).

    Rows of ``aided_code,aided_name,partner_code,partner_name,note``; see data/PROVENANCE.md.
    """
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if not r["aided_code"].startswith("#")]
    counties = set(AdminUnit.objects.filter(level=Level.COUNTY).values_list("code", flat=True))
    n = 0
    for r in rows:
        aided, partner = int(r["aided_code"]), int(r["partner_code"])
        if aided not in counties or partner not in counties:
            raise DomainError(f"结对表中的县级区划代码不存在：{aided if aided not in counties else partner}")
        CountyPairing.objects.update_or_create(
            aided_county_id=aided,
            partner_county_id=partner,
            defaults={"note": r["note"][:200], "is_illustrative": True, "updated_at": clock.now()},
        )
        n += 1
    audit.record(None, "load_pairings", object_type="dispatch.countypairing", object_id=path.name, rows=n)
    return n


# ------------------------------------------------------------------ one assignment


def _book_interpreters(
    d: Dispute, mediator: Mediator, languages: int, actor: User
) -> list[InterpreterBooking]:
    """Book an interpreter for each language in ``languages`` the dispute has none for yet,
    and release bookings for languages the new mediator speaks himself."""
    county = codes.ancestor_at(d.admin_unit_id, Level.COUNTY) or 0
    active = list(InterpreterBooking.objects.filter(dispute=d, released_at__isnull=True))
    spoken = costs.language_mask(mediator.languages)
    for b in active:
        if costs.LANGUAGE_BIT.get(b.language, 0) & spoken:
            b.released_at = clock.now()
            b.save(update_fields=["released_at"])
    have = {b.language for b in active if b.released_at is None}
    booked = []
    for lang in costs.languages_of(languages):
        if lang in have:
            continue
        interpreter = queries.free_interpreter(county, lang)
        if interpreter is None:
            raise DomainError(f"本县没有可安排的{LANGUAGE_LABEL[lang]}翻译", field="mediator")
        booked.append(
            InterpreterBooking.objects.create(
                dispute=d, interpreter=interpreter, language=lang, booked_by=actor
            )
        )
        audit.record(actor, "book_interpreter", booked[-1], dispute=d.pk, language=lang)
    return booked


@dataclass
class Assigned:
    dispute: Dispute
    mediator: Mediator
    reason: str
    interpreters: list[InterpreterBooking] = field(default_factory=list)


@transaction.atomic
def assign_checked(dispute: Dispute, *, actor: User, mediator: Mediator, reason: str = "") -> Assigned:
    """指派调解员 with dispatch's rules enforced under lock, then ``cases.actions.assign_mediator``.

    The mediator's row is locked so two officers cannot both give him his last free place;
    his load, his declared relations, the parties' objections and the parties' languages
    are checked again here, whatever a proposal said. A mediator of another body is sent
    as a cross-region dispatch (the case action grants his unit access).
    """
    d = case_queries.dispute_for(actor, dispute.pk, for_update=True)
    m = Mediator.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=mediator.pk)
    if d.mediator_id == m.pk:
        raise DomainError(f"调解员{m.name}已是本案调解员", field="mediator")
    ctx = queries.context(d)
    load = queries.open_load([m.pk])[m.pk]
    declarations = queries.declarations_about(ctx.parties, [m.pk])
    missing = ctx.case.languages & ~costs.language_mask(m.languages)
    refused = problems(
        name=m.name,
        is_active=m.is_active and m.organisation.is_active,
        load=load,
        cap=m.max_load,
        conflicts=conflict_reasons(m.pk, ctx.parties, declarations, ctx.objections),
        missing_languages=missing,
        interpreters=ctx.interpreters | _booked_bits(d),
    )
    if refused:
        raise DomainError("；".join(refused), field="mediator")
    cross = m.organisation_id != d.handling_org_id
    d = case_actions.assign_mediator(d, actor=actor, mediator=m, reason=reason, cross_region=cross)
    booked = _book_interpreters(d, m, missing, actor)
    return Assigned(d, m, reason, booked)


def _booked_bits(d: Dispute) -> int:
    langs = InterpreterBooking.objects.filter(dispute=d, released_at__isnull=True).values_list(
        "language", flat=True
    )
    return costs.language_mask(langs)


def _summary(p: queries.Proposal) -> str:
    """The items that explain a choice, for the case's timeline."""
    return "；".join(label for label, points in p.items if points or "直接沟通" in label or "选择" in label)


@transaction.atomic
def dispatch_one(dispute: Dispute, actor: User) -> Assigned:
    """智能指派: assign the best eligible mediator (the parties' choice first, Art. 19), with
    a reason saying why — and, when he belongs to another body, why not one of its own."""
    d = case_queries.dispute_for(actor, dispute.pk)
    found = queries.proposals_for(d, limit=1)
    if not found.items:
        raise DomainError("；".join(found.notes) or "没有可指派的调解员", field="mediator")
    best = found.items[0]
    why = f"系统推荐（成本{best.total}）：{_summary(best)}"
    if best.chosen_by_party:
        why = "当事人选择该调解员（人民调解法第十九条）；" + why
    elif best.cross_region:
        home = found.home_best
        org = d.handling_org.name if d.handling_org else "承办组织"
        if home is None:
            why = f"跨区域调配：{org}没有可指派的调解员（已满额、需回避或语言不通）；{why}"
        else:
            why = f"跨区域调配：较{org}最合适的人选{home.mediator.name}（成本{home.total}）更合适；{why}"
    return assign_checked(d, actor=actor, mediator=best.mediator, reason=why[:1000])


# ------------------------------------------------------------------ many assignments


@dataclass(frozen=True)
class BulkItem:
    dispute_id: int
    mediator_id: int
    reason: str = ""


@dataclass
class BulkResult:
    applied: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)
    grants: int = 0
    bookings: int = 0


def assign_many(items: Sequence[BulkItem], *, actor: User) -> BulkResult:
    """Assign many disputes, each through ``assign_checked`` and so through the one write
    path, ``cases.actions.assign_mediator`` (lock, jurisdiction, tier, workflow, cross-region
    rule and access grant, Transition and audit rows). Each item runs in its own savepoint:
    one refused on re-check — a cap reached, a conflict declared, a mediator assigned by
    hand since the plan was made — is skipped with its Chinese reason, the rest are written.
    """
    result = BulkResult()
    for item in items:
        try:
            with transaction.atomic():
                d = case_queries.dispute_for(actor, item.dispute_id)
                if d.mediator_id is not None:
                    raise DomainError("该纠纷已有调解员", field="mediator")
                m = Mediator.objects.select_related("organisation").filter(pk=item.mediator_id).first()
                if m is None:
                    raise DomainError("没有该调解员", field="mediator")
                done = assign_checked(d, actor=actor, mediator=m, reason=item.reason)
        except DomainError as e:  # NotFound and PermissionDenied too
            result.skipped[item.dispute_id] = e.message
            continue
        result.applied.append(item.dispute_id)
        result.bookings += len(done.interpreters)
        if m.organisation_id != d.handling_org_id and not codes.contains(
            m.organisation.admin_unit_id, d.admin_unit_id
        ):
            result.grants += 1  # cases.actions.assign_mediator granted his unit access
    return result


# ------------------------------------------------------------------ the batch


@dataclass
class BatchResult:
    run: DispatchRun
    plan: solver.Plan
    result: BulkResult
    seconds: dict[str, float]


def _reason(inst: solver.Instance, planned: solver.Planned, case: costs.CaseFacts, free_at_home: bool) -> str:
    """Why the optimum gave this dispute to this mediator, for the timeline."""
    r = inst.roster
    pos = r.position[planned.mediator_id]
    m = r.facts(pos)
    paired = inst.pairings.get(costs.county_of(case.unit), ())
    breakdown = costs.assignment_cost(case, m, paired=paired, coords=inst.coords)
    parts = [label for label, points in breakdown.items if points and not label.startswith("现有")]
    head = (
        "当事人选择该调解员（人民调解法第十九条）" if planned.chosen else "批量调度（最小费用流全局最优分配）"
    )
    if m.org != case.handling_org and not planned.chosen:
        head = (
            f"跨区域调配（{PROXIMITY_LABEL[breakdown.proximity]}）："
            + (
                "承办组织的调解员均已满额、需回避或语言不通"
                if not free_at_home
                else "全局最优分配中承办组织的名额用于其他纠纷"
            )
            + "；"
            + head
        )
    return "；".join([head, *parts])[:1000]


def _free_at_home(inst: solver.Instance, plan: solver.Plan, case: costs.CaseFacts) -> bool:
    r = inst.roster
    if case.handling_org is None or case.handling_org not in r.by_org:
        return False
    pos = r.by_org[case.handling_org]
    ok = (plan.final_load[pos] < r.cap[pos]) & ~np.isin(r.ids[pos], list(case.conflicts))
    if case.languages:
        ok &= (case.languages & ~r.languages[pos]) == 0
    return bool(ok.any())


def apply_plan(inst: solver.Instance, plan: solver.Plan, *, actor: User) -> BulkResult:
    """Write a plan's assignments through ``assign_many`` (each checked again under lock)."""
    by_id = {c.id: c for c in inst.cases}
    items = [
        BulkItem(
            a.case_id,
            a.mediator_id,
            _reason(inst, a, by_id[a.case_id], _free_at_home(inst, plan, by_id[a.case_id])),
        )
        for a in plan.assignments
    ]
    return assign_many(items, actor=actor)


def dispatch_batch(scope_unit_code: int, actor: User) -> BatchResult:
    """批量调度: every accepted, open dispute without a mediator in ``scope_unit_code`` (a
    township, a county or wider, within the actor's jurisdiction) is assigned by one
    min-cost-flow optimisation; the plan is then written through the bulk action, which
    re-checks each assignment under lock (the roster may have changed meanwhile)."""
    if actor.role not in DISPATCHERS:
        raise PermissionDenied("批量调度须由司法所或县级矛调中心执行")
    if actor.admin_unit_id is None or not codes.contains(actor.admin_unit_id, scope_unit_code):
        raise NotFound("调度范围不在您的管辖范围内")
    if not AdminUnit.objects.filter(pk=scope_unit_code).exists():
        raise NotFound("没有该行政区划")
    t0 = time.perf_counter()
    inst = queries.batch_instance(queries.pending_for(actor, scope_unit_code))
    t1 = time.perf_counter()
    plan = solver.plan(inst)
    t2 = time.perf_counter()
    with transaction.atomic():
        run = DispatchRun.objects.create(scope_unit_id=scope_unit_code, actor=actor, started_at=clock.now())
        result = apply_plan(inst, plan, actor=actor)
        t3 = time.perf_counter()
        unassigned = {**plan.unassigned, **result.skipped}
        run.considered = len(inst.cases)
        run.assigned = len(result.applied)
        run.unassigned = len(unassigned)
        run.total_cost = plan.total_cost
        run.solve_seconds = round(t2 - t1, 4)
        run.detail = {
            "load_seconds": round(t1 - t0, 4),
            "write_seconds": round(t3 - t2, 4),
            "arcs": plan.arcs,
            "rounds": plan.rounds,
            "grants": result.grants,
            "interpreters": result.bookings,
            "unassigned": {str(k): v for k, v in list(unassigned.items())[:500]},
        }
        run.save()
        audit.record(actor, "dispatch_batch", run, scope=scope_unit_code, assigned=run.assigned)
    return BatchResult(run, plan, result, {"load": t1 - t0, "solve": t2 - t1, "write": t3 - t2})
