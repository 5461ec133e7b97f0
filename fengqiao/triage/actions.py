"""Writes of triage: the proposal stored with a dispute, and the officer's decision on it."""

from django.db import transaction

from fengqiao.accounts import audit
from fengqiao.accounts.models import User
from fengqiao.cases import actions as case_actions
from fengqiao.cases import queries as case_queries
from fengqiao.cases.choices import DisputeType, RiskLevel
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
from fengqiao.triage.models import Decision, Proposal
from fengqiao.triage.risk import FLAG_NAMES, LEVEL_NAMES, Level
from fengqiao.triage.service import Result
from fengqiao.warning import actions as warning_actions
from fengqiao.warning.choices import AlertKind, Severity


def proposal_row(dispute_id: int, result: Result) -> dict[str, object]:
    """The Proposal columns for one triage result (used singly and in bulk)."""
    return {
        "dispute_id": dispute_id,
        "created_at": clock.now(),
        "model_version": result.model_version,
        "rules_version": result.rules_version,
        "dispute_type": result.label.label,
        "type_confidence": result.label.confidence,
        "type_reasons": result.label.reasons + result.notes,
        "risk_level": result.risk.level.value,
        "risk_flags": [f.value for f in result.risk.flags],
        "risk_reasons": result.risk.reasons,
        "is_complex": result.routing.complex,
        "tier": result.routing.tier.value,
        "channel": result.routing.channel,
        "also": result.routing.also,
        "route_reasons": result.routing.reasons,
        "needs_review": result.label.needs_review,
        "decision": Decision.PROPOSED,
    }


def risk_reason(result: Result) -> str:
    """What an alert says of a high-risk assessment: the level, its flags and their reasons."""
    flags = "、".join(FLAG_NAMES[f] for f in result.risk.flags)
    return f"风险等级{LEVEL_NAMES[result.risk.level]}（{flags}）。" + "；".join(result.risk.reasons)


def alert_if_high(dispute: Dispute, result: Result) -> None:
    """A high-risk dispute raises an alert to the officers responsible for its place."""
    if result.risk.level != Level.HIGH:
        return
    warning_actions.raise_alert(
        key=f"high_risk:dispute:{dispute.pk}",
        kind=AlertKind.HIGH_RISK,
        severity=Severity.HIGH,
        owner_unit=dispute.admin_unit_id,
        dispute_id=dispute.pk,
        title=f"高风险纠纷：{dispute.summary}"[:200],
        reason=risk_reason(result),
        evidence={"flags": [f.value for f in result.risk.flags], "rules_version": result.rules_version},
    )


@transaction.atomic
def decide_proposal(
    proposal: Proposal,
    *,
    actor: User,
    dispute_type: str | None = None,
    risk_level: str | None = None,
    note: str = "",
) -> Proposal:
    """Confirm triage's proposal (adopting its type and risk level) or override it with other
    values and a reason. The dispute changes through ``cases.actions.reclassify_dispute``."""
    dispute = case_queries.dispute_for(actor, proposal.dispute_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.decision != Decision.PROPOSED:
        raise DomainError("该分流建议已处理")
    # Confirming adopts the proposal; an override names its own values and says why.
    final_type = dispute_type or proposal.dispute_type
    final_risk = risk_level or proposal.risk_level
    if final_type not in DisputeType.values:
        raise DomainError("纠纷类型无效", field="dispute_type")
    if final_risk not in RiskLevel.values:
        raise DomainError("风险等级无效", field="risk_level")
    overridden = final_type != proposal.dispute_type or final_risk != proposal.risk_level
    if overridden and not note.strip():
        raise DomainError("与系统建议不一致时，请说明理由", field="note")
    case_actions.reclassify_dispute(
        dispute,
        actor=actor,
        dispute_type=DisputeType(final_type),
        risk_level=RiskLevel(final_risk),
        reason=note or "确认系统分流建议",
    )
    proposal.decision = Decision.OVERRIDDEN if overridden else Decision.CONFIRMED
    proposal.decided_by = actor
    proposal.decided_at = clock.now()
    proposal.decision_note = note
    proposal.final = {"dispute_type": final_type, "risk_level": final_risk}
    proposal.save()
    audit.record(actor, "decide_triage", proposal, decision=proposal.decision)
    return proposal
