"""The only write path for disputes. One function per action, each atomic and audited.

Every function locks the dispute, checks the actor's jurisdiction and capability,
asks ``workflow.decide`` whether the step is lawful, writes the change, a Transition
row and an audit entry in one transaction, and returns what it created.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from fengqiao.accounts import audit
from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import Mediator, User
from fengqiao.accounts.roles import FOLLOW_UP_ONLY, REGISTRARS, may_mediate_at
from fengqiao.cases import queries, workflow
from fengqiao.cases.choices import (
    REFERRAL_CHANNELS,
    Action,
    AgreementForm,
    Channel,
    ConfirmationResult,
    DisputeType,
    GroupKind,
    Outcome,
    PerformanceStatus,
    RiskLevel,
    Satisfaction,
    Status,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.cases.models import (
    AccessGrant,
    Agreement,
    Dispute,
    DisputeGroup,
    FollowUpVisit,
    JudicialConfirmation,
    Party,
    Performance,
    SessionRecord,
    Transition,
)
from fengqiao.cases.queries import MEDIATION_RULES
from fengqiao.cases.schemas import DisputeIn, chinese_errors
from fengqiao.core import clock
from fengqiao.core.bulk import insert_rows
from fengqiao.core.errors import DomainError, PermissionDenied
from fengqiao.deadlines import actions as deadlines
from fengqiao.deadlines import rules
from fengqiao.deadlines.models import DeadlineStatus
from fengqiao.geography import codes
from fengqiao.geography import queries as geo
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.models import AdminUnit, Organisation

TIER_LEVEL = {Tier.VILLAGE: Level.VILLAGE, Tier.TOWNSHIP: Level.TOWNSHIP, Tier.COUNTY: Level.COUNTY}
TRANSFER_BODY = {
    TransferTarget.COURT: OrgKind.COURT,
    TransferTarget.ARBITRATION: OrgKind.ARBITRATION_COMMISSION,
    TransferTarget.LEGAL_AID: OrgKind.LEGAL_AID_CENTER,
    # 行政复议法 (2023) Art. 4: the county government's reconsideration office is its justice bureau.
    TransferTarget.ADMIN_RECONSIDERATION: OrgKind.JUSTICE_BUREAU,
    TransferTarget.POLICE: OrgKind.POLICE_STATION,
}


# ---------------------------------------------------------------- registration


def check_registration(data: DisputeIn, actor: User, unit_level: int | None) -> None:
    """Who may register a dispute where; ``unit_level`` is the level of ``data.admin_unit``
    (None when no such unit exists)."""
    if actor.role not in REGISTRARS:
        raise PermissionDenied("您的角色不能登记纠纷")
    if unit_level is None:
        raise DomainError("纠纷发生地不是有效的行政区划代码", field="admin_unit")
    if unit_level < Level.COUNTY:
        raise DomainError("纠纷发生地请至少选到县(区)一级", field="admin_unit")
    if actor.role not in (Role.CITIZEN, Role.PARTNER) and not codes.contains(
        actor.admin_unit_id or 0, data.admin_unit
    ):
        raise DomainError("纠纷发生地不在您的管辖范围内", field="admin_unit")
    if data.channel in REFERRAL_CHANNELS and actor.role != Role.PARTNER and data.referred_by_org is None:
        raise DomainError("委派或移送的纠纷请注明委派/移送单位", field="referred_by_org")


def _dispute_values(
    data: DisputeIn,
    actor: User,
    now: dt.datetime,
    is_demo: bool = False,
    risk_level: str = "",
    triage_pending: bool = False,
) -> dict[str, Any]:
    """The columns of a new Dispute, for both the single and the bulk path."""
    if data.dispute_type is None:
        raise DomainError("请选择纠纷类型", field="dispute_type")
    referred_by: int | None = data.referred_by_org
    if actor.role == Role.PARTNER:
        referred_by = actor.organisation_id
    return {
        "received_at": data.received_at or now,
        "channel": data.channel.value,
        "dispute_type": data.dispute_type.value,
        "summary": data.summary,
        "narrative": data.narrative,
        "admin_unit_id": data.admin_unit,
        "address": data.address,
        "amount": data.amount,
        "people_involved": max(data.people_involved, len(data.parties)),
        "status": Status.REGISTERED.value,
        "tier": _home_tier(data.admin_unit).value,
        "risk_level": risk_level,
        "triage_pending": triage_pending,
        "referred_by_org_id": referred_by,
        "external_id": data.external_id,
        "created_by_id": actor.pk,
        "is_demo": is_demo,
        "updated_at": now,
    }


def _party_values(dispute_id: int, data: DisputeIn) -> list[dict[str, Any]]:
    return [
        {
            "dispute_id": dispute_id,
            "role": p.role.value,
            "kind": p.kind.value,
            "name": p.name,
            "id_number": p.id_number,
            "org_code": p.org_code,
            "gender": p.gender,
            "phone": p.phone,
            "address": p.address,
            "language": p.language,
            "refuses_mediation": p.refuses_mediation,
        }
        for p in data.parties
    ]


def _register_values(dispute_id: int, data: DisputeIn, actor: User, now: dt.datetime) -> dict[str, Any]:
    return {
        "dispute_id": dispute_id,
        "action": Action.REGISTER.value,
        "from_status": "",
        "to_status": Status.REGISTERED.value,
        "actor_id": actor.pk,
        "actor_name": actor.display_name,
        "at": now,
        "reason": "",
        "data": {"channel": data.channel.value},
    }


def _home_tier(code: int) -> Tier:
    """The lowest tier that can take a dispute located at ``code`` (小事不出村)."""
    level = codes.level_of(code)
    if level == Level.VILLAGE:
        return Tier.VILLAGE
    if level == Level.TOWNSHIP:
        return Tier.TOWNSHIP
    return Tier.COUNTY


def _unit_levels(codes_: Iterable[int]) -> dict[int, int]:
    return dict(AdminUnit.objects.filter(code__in=set(codes_)).values_list("code", "level"))


@transaction.atomic
def register_dispute(data: DisputeIn, *, actor: User, risk_level: str = "") -> Dispute:
    """Record a new dispute from any channel, with its parties, as 待受理.

    ``intake.actions`` calls this after triage, which supplies a missing dispute type
    and the risk level."""
    check_registration(data, actor, _unit_levels([data.admin_unit]).get(data.admin_unit))
    if data.external_id and Dispute.objects.filter(external_id=data.external_id).exists():
        raise DomainError("该外部编号的纠纷已登记，不能重复登记", field="external_id")
    now = clock.now()
    dispute = Dispute.objects.create(**_dispute_values(data, actor, now, risk_level=risk_level))
    Party.objects.bulk_create([Party(**v) for v in _party_values(dispute.pk, data)])
    Transition.objects.create(**_register_values(dispute.pk, data, actor, now))
    audit.record(actor, "register_dispute", dispute, channel=data.channel)
    return dispute


def register_disputes_bulk(
    rows: Sequence[DisputeIn],
    *,
    actor: User,
    is_demo: bool = False,
    check: bool = True,
    triage_pending: bool = False,
) -> list[int]:
    """Register many disputes in one transaction (imports) and return their ids.

    The caller has validated each row (``check=False`` when it has also applied
    ``check_registration``); ``triage_pending`` queues the rows for triage.jobs.
    Rows whose external id is already present are skipped,
    so a re-import creates no duplicates. Any failure writes nothing. One audit entry
    records the whole batch with the ids it created.
    """
    now = clock.now()
    with transaction.atomic():
        if check:
            unit_levels = _unit_levels(r.admin_unit for r in rows)
            for r in rows:
                check_registration(r, actor, unit_levels.get(r.admin_unit))
        ext = [r.external_id for r in rows if r.external_id]
        seen = (
            set(Dispute.objects.filter(external_id__in=ext).values_list("external_id", flat=True))
            if ext
            else set()
        )
        fresh: list[DisputeIn] = []
        for r in rows:
            if r.external_id and r.external_id in seen:
                continue
            if r.external_id:
                seen.add(r.external_id)
            fresh.append(r)
        ids = insert_rows(
            Dispute, [_dispute_values(r, actor, now, is_demo, triage_pending=triage_pending) for r in fresh]
        )
        insert_rows(Party, [v for pk, r in zip(ids, fresh, strict=True) for v in _party_values(pk, r)])
        insert_rows(
            Transition, [_register_values(pk, r, actor, now) for pk, r in zip(ids, fresh, strict=True)]
        )
        if ids:
            audit.record(
                actor,
                "register_disputes_bulk",
                object_type="cases.dispute",
                object_id=f"{ids[0]}..{ids[-1]}",
                ids=ids,
            )
    return ids


# ---------------------------------------------------------------- the lifecycle


def _facts(d: Dispute, today: dt.date | None = None) -> workflow.Facts:
    agreement = d.agreements.order_by("-created_at", "-id").first()
    return workflow.Facts(
        status=Status(d.status),
        tier=Tier(d.tier),
        today=today or clock.today(),
        refusing_parties=tuple(d.parties.filter(refuses_mediation=True).values_list("name", flat=True)),
        sessions=d.sessions.count(),
        agreement_form=AgreementForm(agreement.form) if agreement else None,
        agreement_effective_on=agreement.effective_on if agreement else None,
        follow_ups=d.follow_ups.count(),
    )


def _authorize(actor: User, d: Dispute, action: Action) -> None:
    if action == Action.RECORD_FOLLOW_UP and actor.role in FOLLOW_UP_ONLY:
        return
    if not may_mediate_at(actor.role, TIER_LEVEL[Tier(d.tier)]):
        raise PermissionDenied(f"该纠纷由{Tier(d.tier).label}办理，您不能执行“{action.label}”")


def _lock(d: Dispute | int, actor: User) -> Dispute:
    pk = d.pk if isinstance(d, Dispute) else d
    return queries.dispute_for(actor, pk, for_update=True)


def _step(
    d: Dispute,
    action: Action,
    *,
    actor: User,
    intent: workflow.Intent | None = None,
    today: dt.date | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    apply: Callable[[Dispute], dict[str, Any]] | None = None,
) -> workflow.Decision:
    """Authorize, decide, apply, set status and outcome, and write the Transition and audit rows.

    ``apply`` makes the field changes that follow from an allowed step and returns
    details for the timeline. The caller creates the action's own records after;
    ``d`` is saved here.
    """
    _authorize(actor, d, action)
    intent = intent or workflow.Intent()
    try:
        decision = workflow.decide(action, _facts(d, today), intent)
    except workflow.WorkflowError as e:
        raise DomainError(e.message, field=e.field) from None
    data = dict(data or {})
    if apply is not None:
        data.update(apply(d))
    now = clock.now()
    from_status = d.status
    d.status = decision.to_status
    if decision.outcome:
        d.outcome = decision.outcome
    if decision.to_status == Status.CLOSED and from_status != Status.CLOSED:
        d.closed_at = now
    d.updated_at = now
    d.save()
    _deadlines_after(d, action, decision, data)
    Transition.objects.create(
        dispute=d,
        action=action,
        from_status=from_status,
        to_status=decision.to_status,
        actor=actor,
        actor_name=actor.display_name,
        at=now,
        reason=reason or intent.reason or intent.advice,
        data=data,
    )
    audit.record(actor, action.value, d, from_status=from_status, to_status=decision.to_status)
    return decision


def _mediation_rule(d: Dispute) -> str:
    # 人民法院在线调解规则 Art. 24: a dispute the court referred before filing has 30 days.
    return "court_referred_mediation" if d.channel == Channel.COURT_REFERRAL else "mediation"


def _take_over(d: Dispute, tier: Tier) -> dict[str, Any]:
    """Hand the dispute to the mediating body of ``tier`` for its location, with a fresh term."""
    org = geo.committee_for(d.admin_unit_id, TIER_LEVEL[tier])
    if org is None:
        raise DomainError(f"纠纷发生地没有{tier.label}调解组织", field="to_tier")
    from_tier = d.tier
    d.tier = tier
    d.handling_org = org
    d.mediator = None
    return {"from_tier": from_tier, "to_tier": tier, "org": org.name}


def _deadlines_after(d: Dispute, action: Action, decision: workflow.Decision, data: dict[str, Any]) -> None:
    """Start, meet or end the legal time limits this step concerns (the deadline engine)."""
    today = clock.today()
    if action in (Action.ACCEPT, Action.ESCALATE, Action.REFER_BACK):
        due = deadlines.start(_mediation_rule(d), dispute=d, on=today).due_on
        data["due"] = due.isoformat()
    elif action == Action.REACH_AGREEMENT:
        deadlines.close(dispute=d, rule_keys=MEDIATION_RULES)
        if data.get("form") == AgreementForm.WRITTEN:
            effective = dt.date.fromisoformat(data["effective_on"])
            deadlines.start("judicial_confirmation", dispute=d, on=effective)
    elif action == Action.APPLY_CONFIRMATION:
        deadlines.close(dispute=d, rule_keys=["judicial_confirmation"])
    elif action == Action.RECORD_CONFIRMATION and decision.to_status == Status.MEDIATING:
        # 人民调解法 Art. 33: an agreement found invalid may be remade through mediation.
        deadlines.start(_mediation_rule(d), dispute=d, on=today)
    elif action == Action.FAIL_MEDIATION:
        deadlines.close(dispute=d, rule_keys=MEDIATION_RULES)
    if decision.to_status == Status.CLOSED:
        met = decision.outcome == Outcome.RESOLVED
        deadlines.close(dispute=d, status=DeadlineStatus.MET if met else DeadlineStatus.CANCELLED)
        if d.transfer_target == TransferTarget.ADMIN_RECONSIDERATION:
            deadlines.start(
                "reconsideration_application",
                dispute=d,
                on=today,
                note="自移交之日估算；以当事人知道行政行为之日为准",
            )


@transaction.atomic
def accept_dispute(dispute: Dispute, *, actor: User, tier: Tier | None = None, note: str = "") -> Dispute:
    """受理: a committee takes the dispute on; the one-month mediation term starts."""
    d = _lock(dispute, actor)
    tier = tier or Tier(d.tier)
    if workflow.TIER_ORDER[tier] < workflow.TIER_ORDER[_home_tier(d.admin_unit_id)]:
        raise DomainError("纠纷发生地不属于该层级的调解组织", field="tier")
    d.tier = tier  # the actor must be able to act at the tier that will handle it
    d.accepted_at = clock.now()
    _step(d, Action.ACCEPT, actor=actor, reason=note, apply=lambda d: _take_over(d, tier))
    return d


@transaction.atomic
def decline_dispute(dispute: Dispute, *, actor: User, reason: str) -> Dispute:
    d = _lock(dispute, actor)
    _step(d, Action.DECLINE, actor=actor, intent=workflow.Intent(reason=reason))
    return d


@transaction.atomic
def record_refusal(dispute: Dispute, *, actor: User, party_id: int, refuses: bool, reason: str) -> Party:
    """Record that a party clearly refuses mediation, or has withdrawn a refusal (人民调解法 Art. 17)."""
    d = _lock(dispute, actor)
    party = d.parties.filter(pk=party_id).first()
    if party is None:
        raise DomainError("当事人不属于该纠纷", field="party_id")
    _step(
        d,
        Action.RECORD_REFUSAL,
        actor=actor,
        intent=workflow.Intent(reason=reason),
        data={"party": party.name, "refuses": refuses},
    )
    party.refuses_mediation = refuses
    party.save(update_fields=["refuses_mediation"])
    return party


CROSS_REGION_GRANT = dt.timedelta(days=90)


@transaction.atomic
def assign_mediator(
    dispute: Dispute, *, actor: User, mediator: Mediator, reason: str = "", cross_region: bool = False
) -> Dispute:
    """指派调解员: the committee appoints a mediator (人民调解法 Art. 19: the committee
    appoints, or the parties choose). A mediator of another body is dispatched across
    regions (跨区域调配) only by a township or county officer, with a reason, and his
    body's unit is granted time-bounded access to the case."""
    d = _lock(dispute, actor)
    if not mediator.is_active:
        raise DomainError("该调解员已不在册", field="mediator")
    data: dict[str, Any] = {"mediator": mediator.name}
    if mediator.organisation_id != d.handling_org_id:
        if not cross_region:
            raise DomainError("调解员须为承办调解组织的在册人员；跨区域调配请注明", field="mediator")
        if actor.role not in (Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER):
            raise PermissionDenied("跨区域调配调解员须由司法所或县级矛调中心决定")
        if not reason.strip():
            raise DomainError("跨区域调配须说明理由", field="reason")
        org = mediator.organisation
        if not codes.contains(org.admin_unit_id, d.admin_unit_id):  # his unit cannot see it yet
            AccessGrant.objects.create(
                dispute=d,
                grantee_unit_id=org.admin_unit_id,
                valid_until=clock.now() + CROSS_REGION_GRANT,
                reason=f"跨区域调配调解员{mediator.name}（{org.name}）"[:200],
                granted_by=actor,
            )
        data.update({"cross_region": True, "organisation": org.name})
    d.mediator = mediator
    _step(d, Action.ASSIGN_MEDIATOR, actor=actor, reason=reason, data=data)
    return d


@transaction.atomic
def record_session(
    dispute: Dispute,
    *,
    actor: User,
    held_at: dt.datetime,
    place: str,
    content: str,
    attendees: str = "",
    mediator: Mediator | None = None,
) -> SessionRecord:
    """调解笔录: one mediation session and its record (人民调解法 Art. 27)."""
    d = _lock(dispute, actor)
    if not content.strip():
        raise DomainError("请填写调解经过及笔录", field="content")
    if not place.strip():
        raise DomainError("请填写调解地点", field="place")
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if held_at > clock.now():
        raise DomainError("调解时间不能晚于现在", field="held_at")
    _step(d, Action.RECORD_SESSION, actor=actor, data={"held_at": held_at.isoformat(), "place": place})
    return SessionRecord.objects.create(
        dispute=d,
        held_at=held_at,
        place=place,
        content=content,
        attendees=attendees,
        mediator=mediator or d.mediator,
        recorded_by=actor,
    )


@transaction.atomic
def extend_mediation(
    dispute: Dispute, *, actor: User, both_parties_consent: bool, reason: str, new_due: dt.date | None = None
) -> Dispute:
    """Extend the mediation term, only with both parties' consent (人民调解工作若干规定 Art. 33)."""
    d = _lock(dispute, actor)
    term = deadlines.current(d, MEDIATION_RULES)
    if term is None:
        raise DomainError("该纠纷没有计时中的调解期限")
    before = term.due_on
    new_due = new_due or rules.due_date(term.rule, before)  # one more term, counted as the law counts it

    def apply(d: Dispute) -> dict[str, Any]:
        deadlines.extend(term, to=new_due, reason=reason)
        return {"from": before.isoformat(), "to": new_due.isoformat()}

    _step(
        d,
        Action.EXTEND_DEADLINE,
        actor=actor,
        intent=workflow.Intent(reason=reason, both_parties_consent=both_parties_consent),
        apply=apply,
    )
    return d


@transaction.atomic
def reach_agreement(
    dispute: Dispute,
    *,
    actor: User,
    form: AgreementForm,
    facts: str,
    terms: str,
    performance_method: str,
    responsibilities: str = "",
    performance_place: str = "",
    performance_deadline: dt.date | None = None,
    effective_on: dt.date | None = None,
    copies: int | None = None,
) -> Agreement:
    """调解协议: record the agreement. A written one needs the contents of 人民调解法 Art. 29 and
    人民调解工作若干规定 Art. 35 (facts, disputed matters and responsibilities; rights and
    obligations; manner, place and time of performance)."""
    d = _lock(dispute, actor)
    effective_on = effective_on or clock.today()
    if effective_on > clock.today():
        raise DomainError("生效日期不能晚于今天", field="effective_on")
    if not terms.strip():
        raise DomainError("请填写协议内容", field="terms")
    if form == AgreementForm.WRITTEN:
        if not facts.strip():
            raise DomainError("书面协议须载明纠纷主要事实、争议事项（人民调解法第二十九条）", field="facts")
        if not performance_method.strip():
            raise DomainError(
                "书面协议须载明履行方式、期限（人民调解法第二十九条）", field="performance_method"
            )
    parties = d.parties.count()
    _step(
        d, Action.REACH_AGREEMENT, actor=actor, data={"form": form, "effective_on": effective_on.isoformat()}
    )
    return Agreement.objects.create(
        dispute=d,
        form=form,
        facts=facts,
        responsibilities=responsibilities,
        terms=terms,
        performance_method=performance_method,
        performance_place=performance_place,
        performance_deadline=performance_deadline,
        effective_on=effective_on,
        # 人民调解法 Art. 29: one copy for each party and one kept by the committee.
        copies=copies or parties + 1,
        created_by=actor,
    )


@transaction.atomic
def fail_mediation(dispute: Dispute, *, actor: User, advice: str, reason: str = "") -> Dispute:
    """终止调解: mediation failed; the parties are told their other routes (人民调解法 Art. 26)."""
    d = _lock(dispute, actor)
    _step(
        d,
        Action.FAIL_MEDIATION,
        actor=actor,
        intent=workflow.Intent(advice=advice, reason=reason),
        reason=f"{reason}\n告知其他途径：{advice}".strip(),
        data={"advice": advice},
    )
    return d


@transaction.atomic
def apply_confirmation(
    dispute: Dispute, *, actor: User, applied_on: dt.date | None = None, court: Organisation | None = None
) -> JudicialConfirmation:
    """申请司法确认: the joint application, within 30 days of the agreement taking effect
    (人民调解法 Art. 33; 民事诉讼法 Art. 205)."""
    d = _lock(dispute, actor)
    applied_on = applied_on or clock.today()
    if applied_on > clock.today():
        raise DomainError("申请日期不能晚于今天", field="applied_on")
    court = court or geo.nearest_org(d.admin_unit_id, OrgKind.COURT)
    if court is None or court.kind != OrgKind.COURT:
        raise DomainError("请选择受理司法确认的人民法院", field="court")
    agreement = d.agreements.order_by("-created_at", "-id").first()
    _step(d, Action.APPLY_CONFIRMATION, actor=actor, today=applied_on, data={"court": court.name})
    assert agreement is not None  # the guard requires an agreement
    return JudicialConfirmation.objects.create(agreement=agreement, court=court, applied_on=applied_on)


@transaction.atomic
def record_confirmation(
    dispute: Dispute, *, actor: User, result: ConfirmationResult, decided_on: dt.date | None = None
) -> JudicialConfirmation:
    d = _lock(dispute, actor)
    confirmation = JudicialConfirmation.objects.filter(agreement__dispute=d).order_by("-id").first()
    if confirmation is None:
        raise DomainError("没有待审查的司法确认申请")
    decided_on = decided_on or clock.today()
    if decided_on < confirmation.applied_on:
        raise DomainError("裁定日期不能早于申请日期", field="decided_on")
    _step(
        d,
        Action.RECORD_CONFIRMATION,
        actor=actor,
        intent=workflow.Intent(confirmation_result=result),
        data={"result": result},
    )
    confirmation.result = result
    confirmation.decided_on = decided_on
    confirmation.save(update_fields=["result", "decided_on"])
    return confirmation


@transaction.atomic
def record_performance(
    dispute: Dispute,
    *,
    actor: User,
    status: PerformanceStatus,
    note: str = "",
    recorded_on: dt.date | None = None,
) -> Performance:
    """履行情况: the committee follows up on performance (人民调解法 Art. 31)."""
    d = _lock(dispute, actor)
    _step(d, Action.RECORD_PERFORMANCE, actor=actor, intent=workflow.Intent(performance=status), reason=note)
    return Performance.objects.create(
        dispute=d, status=status, note=note, recorded_on=recorded_on or clock.today()
    )


@transaction.atomic
def record_follow_up(
    dispute: Dispute,
    *,
    actor: User,
    method: VisitMethod,
    satisfaction: Satisfaction,
    note: str = "",
    visited_on: dt.date | None = None,
) -> FollowUpVisit:
    d = _lock(dispute, actor)
    visited_on = visited_on or clock.today()
    if visited_on > clock.today():
        raise DomainError("回访日期不能晚于今天", field="visited_on")
    _step(d, Action.RECORD_FOLLOW_UP, actor=actor, reason=note, data={"satisfaction": satisfaction})
    return FollowUpVisit.objects.create(
        dispute=d, visited_on=visited_on, method=method, satisfaction=satisfaction, note=note, visitor=actor
    )


@transaction.atomic
def close_dispute(dispute: Dispute, *, actor: User, note: str = "") -> Dispute:
    """结案: after performance and a follow-up visit, or after failed mediation."""
    d = _lock(dispute, actor)
    _step(d, Action.CLOSE, actor=actor, reason=note)
    return d


@transaction.atomic
def escalate_dispute(dispute: Dispute, *, actor: User, to_tier: Tier, reason: str) -> Dispute:
    """上报 (分层递进): a higher tier takes the dispute over, with the reason recorded."""
    d = _lock(dispute, actor)
    intent = workflow.Intent(reason=reason, to_tier=to_tier)
    _step(d, Action.ESCALATE, actor=actor, intent=intent, apply=lambda d: _take_over(d, to_tier))
    return d


@transaction.atomic
def refer_back_dispute(dispute: Dispute, *, actor: User, to_tier: Tier, reason: str) -> Dispute:
    """退回下级: a higher tier hands the dispute back down, with the reason recorded."""
    d = _lock(dispute, actor)
    if workflow.TIER_ORDER[to_tier] < workflow.TIER_ORDER[_home_tier(d.admin_unit_id)]:
        raise DomainError("纠纷发生地没有该层级的调解组织", field="to_tier")
    intent = workflow.Intent(reason=reason, to_tier=to_tier)
    _step(d, Action.REFER_BACK, actor=actor, intent=intent, apply=lambda d: _take_over(d, to_tier))
    return d


@transaction.atomic
def transfer_dispute(dispute: Dispute, *, actor: User, target: TransferTarget, reason: str) -> Dispute:
    """移交: hand the dispute to a court, arbitration, legal aid, administrative reconsideration
    or the police (人民调解法 Arts. 25–26), which then sees it through the exchange."""
    d = _lock(dispute, actor)
    org = geo.nearest_org(d.admin_unit_id, TRANSFER_BODY[target])
    d.transfer_target = target
    d.transferred_to_org = org
    _step(
        d,
        Action.TRANSFER,
        actor=actor,
        intent=workflow.Intent(reason=reason, target=target),
        data={"target": target, "org": org.name if org else ""},
    )
    return d


@transaction.atomic
def withdraw_dispute(dispute: Dispute, *, actor: User, reason: str) -> Dispute:
    d = _lock(dispute, actor)
    _step(d, Action.WITHDRAW, actor=actor, intent=workflow.Intent(reason=reason))
    return d


@transaction.atomic
def reclassify_dispute(
    dispute: Dispute,
    *,
    actor: User,
    dispute_type: DisputeType | None = None,
    risk_level: RiskLevel | None = None,
    reason: str = "",
) -> Dispute:
    """确认分流: the officer confirms triage's proposal or sets the type and risk level himself
    (个人信息保护法 Art. 24: an automated proposal can be refused); a change needs a reason."""
    d = _lock(dispute, actor)
    changes = {}
    if dispute_type is not None and dispute_type != d.dispute_type:
        changes["dispute_type"] = [d.dispute_type, dispute_type]
    if risk_level is not None and risk_level != d.risk_level:
        changes["risk_level"] = [d.risk_level, risk_level]
    if changes and not reason.strip():
        raise DomainError("修改分类或风险等级须说明理由", field="reason")

    def apply(d: Dispute) -> dict[str, Any]:
        if dispute_type is not None:
            d.dispute_type = dispute_type
        if risk_level is not None:
            d.risk_level = risk_level
        return {"changes": changes}

    _step(d, Action.RECLASSIFY, actor=actor, reason=reason, apply=apply)
    return d


def record_triage(disputes: Sequence[tuple[int, str]]) -> None:
    """Store the risk level triage found for disputes imported in bulk and take them off the
    triage queue (the proposals themselves are triage's rows). A system write: no actor."""
    rows = [Dispute(pk=pk, risk_level=level, triage_pending=False) for pk, level in disputes]
    Dispute.objects.bulk_update(rows, ["risk_level", "triage_pending"], batch_size=500)


@transaction.atomic
def link_disputes(
    dispute: Dispute, *, actor: User, others: Sequence[int], kind: GroupKind, reason: str
) -> DisputeGroup:
    """关联并案: put related disputes into one group to be handled together (一揽子调处).

    Every member must be open and within the actor's reach; each gets a transition.
    An existing group of any member is extended rather than a second one made."""
    if not others:
        raise DomainError("请选择要关联的纠纷", field="others")
    if not reason.strip():
        raise DomainError("请说明关联理由", field="reason")
    members = [_lock(dispute, actor)] + [_lock(pk, actor) for pk in others if pk != dispute.pk]
    for m in members:
        if m.status == Status.CLOSED:
            raise DomainError(f"{m.number}已结案，不能并案", field="others")
    group = next((m.group for m in members if m.group_id), None)
    if group is None:
        group = DisputeGroup.objects.create(
            kind=kind, title=f"{members[0].summary}等"[:120], created_by=actor
        )
    numbers = "、".join(m.number for m in members)
    for m in members:
        m.group = group
        _step(m, Action.LINK, actor=actor, reason=reason, data={"group": group.pk, "members": numbers})
    return group


@transaction.atomic
def record_joint_session(
    group: DisputeGroup, *, actor: User, held_at: dt.datetime, place: str, content: str, attendees: str = ""
) -> list[SessionRecord]:
    """One mediation for a group: the record is written into every open member that is in
    mediation, each with its own transition, noting the others."""
    members = [m for m in group.members.all() if m.status in (Status.ACCEPTED, Status.MEDIATING)]
    if not members:
        raise DomainError("该组没有正在调解的纠纷")
    note = f"（联合调解：{'、'.join(m.number for m in members)}）"
    return [
        record_session(
            m, actor=actor, held_at=held_at, place=place, content=f"{content}\n{note}", attendees=attendees
        )
        for m in members
    ]


@transaction.atomic
def reach_joint_agreement(group: DisputeGroup, *, actor: User, **agreement: Any) -> list[Agreement]:
    """One agreement covering several disputes, recorded in each member's file."""
    members = [m for m in group.members.all() if m.status in (Status.ACCEPTED, Status.MEDIATING)]
    if len(members) < 2:
        raise DomainError("联合协议须覆盖两件以上正在调解的纠纷")
    note = f"本协议一并解决：{'、'.join(m.number for m in members)}。"
    terms = f"{agreement.pop('terms')}\n{note}"
    return [reach_agreement(m, actor=actor, terms=terms, **agreement) for m in members]


CORRECTABLE = {"name": "姓名或名称", "id_number": "身份证号码", "phone": "联系电话", "address": "住址"}


@transaction.atomic
def correct_party(
    dispute: Dispute, *, actor: User, party_id: int, field: str, value: str, reason: str
) -> Party:
    """Correct a party's particulars at his request (个人信息保护法 Art. 46), validated as at
    registration and recorded in the timeline and the audit log (old values are not)."""
    from fengqiao.cases.schemas import PartyIn

    d = _lock(dispute, actor)
    party = d.parties.filter(pk=party_id).first()
    if party is None:
        raise DomainError("当事人不属于该纠纷", field="party_id")
    if field not in CORRECTABLE:
        raise DomainError("该项不能更正", field="field")
    if not reason.strip():
        raise DomainError("请说明更正依据", field="reason")
    try:
        checked = PartyIn.model_validate(
            {"role": party.role, "kind": party.kind, "name": party.name, field: value}
        )
    except ValidationError as e:
        raise DomainError("；".join(x["message"] for x in chinese_errors(e)), field=field) from None
    _authorize(actor, d, Action.RECORD_REFUSAL)  # those who may act on the case
    setattr(party, field, getattr(checked, field))
    if field == "id_number":
        party.gender = checked.gender
    party.save()
    d.updated_at = clock.now()
    d.save(update_fields=["updated_at"])
    Transition.objects.create(
        dispute=d,
        action=Action.CORRECT_PARTY,
        from_status=d.status,
        to_status=d.status,
        actor=actor,
        actor_name=actor.display_name,
        reason=reason,
        data={"party": party.pk, "field": CORRECTABLE[field]},
    )
    audit.record(actor, "correct_party", party, field=field)
    return party
