"""How a dispute is shown to an actor: one place for labels, countdowns and masking,
used by both the web pages and the API."""

from typing import Any

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import FULL_IDENTITY_ROLES, may_mediate_at
from fengqiao.cases import workflow
from fengqiao.cases.choices import Action, Status, Tier
from fengqiao.cases.models import Dispute, Party
from fengqiao.cases.queries import MEDIATION_RULES
from fengqiao.core import clock, identity
from fengqiao.deadlines import queries as deadline_queries
from fengqiao.deadlines.models import DeadlineStatus
from fengqiao.geography import queries as geo
from fengqiao.geography.choices import Level

TIER_LEVEL = {Tier.VILLAGE: Level.VILLAGE, Tier.TOWNSHIP: Level.TOWNSHIP, Tier.COUNTY: Level.COUNTY}
MEDIATION_PHASE = frozenset({Status.ACCEPTED, Status.MEDIATING})


def countdown(d: Dispute) -> dict[str, Any] | None:
    """The mediation-term countdown while mediation is under way (人民调解工作若干规定 Art. 33),
    from the deadline engine; lists prefetch ``live_deadlines`` to stay at one query."""
    if d.status not in MEDIATION_PHASE:
        return None
    live = getattr(d, "live_deadlines", None)
    if live is None:
        live = list(d.deadlines.filter(status=DeadlineStatus.OPEN, rule__in=MEDIATION_RULES))
    term = next((x for x in live if x.rule in MEDIATION_RULES), None)
    return deadline_queries.countdown(term, clock.today()) if term else None


def summary(d: Dispute) -> dict[str, Any]:
    return {
        "id": d.pk,
        "number": d.number,
        "summary": d.summary,
        "dispute_type": d.dispute_type,
        "dispute_type_label": d.get_dispute_type_display(),
        "channel": d.channel,
        "channel_label": d.get_channel_display(),
        "status": d.status,
        "status_label": d.get_status_display(),
        "outcome": d.outcome,
        "outcome_label": d.get_outcome_display() if d.outcome else "",
        "tier": d.tier,
        "tier_label": d.get_tier_display(),
        "admin_unit": d.admin_unit_id,
        "admin_unit_name": d.admin_unit.short_name,
        "handling_org": d.handling_org.name if d.handling_org else "",
        "received_at": d.received_at,
        "countdown": countdown(d),
        "risk_level": d.risk_level,
        "risk_level_label": d.get_risk_level_display() if d.risk_level else "",
        "is_demo": d.is_demo,
    }


def party(p: Party, full: bool) -> dict[str, Any]:
    return {
        "id": p.pk,
        "role": p.role,
        "role_label": p.get_role_display(),
        "kind": p.kind,
        "name": p.name,
        "id_number": p.id_number if full else identity.mask_id(p.id_number) if p.id_number else "",
        "org_code": p.org_code,
        "gender_label": p.get_gender_display() if p.gender else "",
        "phone": p.phone if full else identity.mask_phone(p.phone) if p.phone else "",
        "address": p.address if full else ("（已隐藏）" if p.address else ""),
        "language": p.language,
        "refuses_mediation": p.refuses_mediation,
    }


def may_act(actor: User, d: Dispute) -> bool:
    return may_mediate_at(actor.role, TIER_LEVEL[Tier(d.tier)])


def actions_for(actor: User, d: Dispute) -> list[dict[str, str]]:
    """The steps this actor can take now (status allows it and the role reaches the tier)."""
    if not may_act(actor, d):
        if d.status in workflow.ALLOWED_FROM[Action.RECORD_FOLLOW_UP] and actor.role == "grid_worker":
            return [{"action": Action.RECORD_FOLLOW_UP.value, "label": str(Action.RECORD_FOLLOW_UP.label)}]
        return []
    facts = workflow.Facts(status=Status(d.status), today=clock.today(), tier=Tier(d.tier))
    return [{"action": a.value, "label": str(a.label)} for a in workflow.available(facts)]


def detail(d: Dispute, actor: User) -> dict[str, Any]:
    full = actor.role in FULL_IDENTITY_ROLES
    data = summary(d)
    agreements = list(d.agreements.all())
    data.update(
        {
            "place": geo.full_name(d.admin_unit_id, from_level=Level.COUNTY),
            "narrative": d.narrative,
            "address": d.address if full else "",
            "amount": d.amount,
            "people_involved": d.people_involved,
            "mediator": d.mediator.name if d.mediator else "",
            "referred_by_org": d.referred_by_org.name if d.referred_by_org else "",
            "transfer_target": d.transfer_target,
            "transfer_target_label": d.get_transfer_target_display() if d.transfer_target else "",
            "transferred_to_org": d.transferred_to_org.name if d.transferred_to_org else "",
            "accepted_at": d.accepted_at,
            "closed_at": d.closed_at,
            "parties": [party(p, full) for p in d.parties.all()],
            "sessions": [
                {
                    "id": s.pk,
                    "held_at": s.held_at,
                    "place": s.place,
                    "attendees": s.attendees,
                    "content": s.content,
                    "mediator": s.mediator.name if s.mediator else "",
                }
                for s in d.sessions.select_related("mediator")
            ],
            "agreements": [
                {
                    "id": a.pk,
                    "form": a.form,
                    "form_label": a.get_form_display(),
                    "facts": a.facts,
                    "responsibilities": a.responsibilities,
                    "terms": a.terms,
                    "performance_method": a.performance_method,
                    "performance_place": a.performance_place,
                    "performance_deadline": a.performance_deadline,
                    "effective_on": a.effective_on,
                    "confirmations": [
                        {
                            "court": c.court.name,
                            "applied_on": c.applied_on,
                            "result": c.result,
                            "result_label": c.get_result_display(),
                            "decided_on": c.decided_on,
                        }
                        for c in a.confirmations.select_related("court")
                    ],
                }
                for a in agreements
            ],
            "performances": [
                {
                    "status": p.status,
                    "status_label": p.get_status_display(),
                    "recorded_on": p.recorded_on,
                    "note": p.note,
                }
                for p in d.performances.all()
            ],
            "follow_ups": [
                {
                    "visited_on": f.visited_on,
                    "method_label": f.get_method_display(),
                    "satisfaction": f.satisfaction,
                    "satisfaction_label": f.get_satisfaction_display(),
                    "note": f.note,
                }
                for f in d.follow_ups.all()
            ],
            "deadlines": deadline_queries.countdowns(d, clock.today()) if d.status != Status.CLOSED else [],
            "available_actions": actions_for(actor, d),
        }
    )
    return data


def timeline_entry(t: Any) -> dict[str, Any]:
    return {
        "at": t.at,
        "action": t.action,
        "action_label": t.get_action_display(),
        "from_status": t.from_status,
        "from_status_label": t.get_from_status_display() if t.from_status else "",
        "to_status": t.to_status,
        "to_status_label": t.get_to_status_display(),
        "actor": t.actor_name,
        "reason": t.reason,
        "data": t.data,
    }
