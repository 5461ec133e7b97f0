"""How a triage proposal is shown (web and API alike)."""

from typing import Any

from fengqiao.cases.choices import DisputeType, Tier, TransferTarget
from fengqiao.triage.models import Proposal
from fengqiao.triage.risk import FLAG_NAMES, LEVEL_NAMES, Flag, Level

CHANNEL_NAMES = {"mediation": "人民调解", **{t.value: str(t.label) for t in TransferTarget}}


def risk(level: str, flags: list[str], reasons: list[str]) -> dict[str, Any]:
    """A stored risk assessment as shown: level and flags with their Chinese names, and why."""
    return {
        "risk_level": level,
        "risk_level_name": LEVEL_NAMES[Level(level)],
        "risk_flags": flags,
        "risk_flag_names": [FLAG_NAMES[Flag(f)] for f in flags],
        "risk_reasons": reasons,
    }


def proposal(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "created_at": p.created_at,
        "model_version": p.model_version,
        "rules_version": p.rules_version,
        "dispute_type": p.dispute_type,
        "dispute_type_name": str(DisputeType(p.dispute_type).label),
        "confidence": p.type_confidence,
        "type_reasons": p.type_reasons,
        "needs_review": p.needs_review,
        **risk(p.risk_level, p.risk_flags, p.risk_reasons),
        "complex": p.is_complex,
        "tier": p.tier,
        "tier_name": str(Tier(p.tier).label),
        "channel": p.channel,
        "channel_name": CHANNEL_NAMES.get(p.channel, p.channel),
        "also": [CHANNEL_NAMES.get(a, a) for a in p.also],
        "route_reasons": p.route_reasons,
        "decision": p.decision,
        "decision_name": p.get_decision_display(),
        "decided_by": p.decided_by.display_name if p.decided_by else "",
        "decided_at": p.decided_at,
        "decision_note": p.decision_note,
    }
