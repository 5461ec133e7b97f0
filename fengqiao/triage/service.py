"""Triage of one text or many: label, risk and route together, with the versions that
produced them. Pure of the database: callers store what they need (``actions``)."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fengqiao.triage import risk, routing, store
from fengqiao.triage.normalize import normalise
from fengqiao.triage.taxonomies import Taxonomy
from fengqiao.triage.types import Prediction

RULES_VERSION = (
    "rules-"
    + hashlib.sha256(
        b"".join(Path(m.__file__).read_bytes() for m in (risk, routing) if m.__file__)
    ).hexdigest()[:10]
)


@dataclass(frozen=True)
class Case:
    """What triage reads: the narrative and the facts the record already has."""

    text: str
    amount: Decimal | None = None
    people: int | None = None
    parties: int = 2
    party_ages: tuple[int, ...] = ()
    earlier_disputes: int = 0
    dispute_type: str | None = None  # when the registrar chose one, routing uses it


@dataclass
class Result:
    label: Prediction
    risk: risk.RiskAssessment
    routing: routing.Routing
    model_version: str
    rules_version: str = RULES_VERSION
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dispute_type": self.label.label,
            "dispute_type_name": self.label.label_name,
            "confidence": self.label.confidence,
            "type_reasons": self.label.reasons,
            "needs_review": self.label.needs_review,
            "risk_level": self.risk.level.value,
            "risk_level_name": risk.LEVEL_NAMES[self.risk.level],
            "risk_flags": [f.value for f in self.risk.flags],
            "risk_flag_names": [risk.FLAG_NAMES[f] for f in self.risk.flags],
            "risk_reasons": self.risk.reasons,
            "complex": self.routing.complex,
            "tier": self.routing.tier.value,
            "channel": self.routing.channel,
            "also": self.routing.also,
            "route_reasons": self.routing.reasons,
            "model_version": self.model_version,
            "rules_version": self.rules_version,
            "notes": self.notes,
        }


def classify(texts: Sequence[str], taxonomy: Taxonomy) -> list[Prediction]:
    return store.current(taxonomy).predict(texts)


def assess_risk(text: str, facts: risk.Facts | None = None) -> risk.RiskAssessment:
    norm = normalise(text).text
    return risk.assess(norm, facts, store.current_risk().score([norm])[0])


def assess_risks(texts: Sequence[str]) -> list[risk.RiskAssessment]:
    norms = [normalise(t).text for t in texts]
    return [risk.assess(n, None, s) for n, s in zip(norms, store.current_risk().score(norms), strict=True)]


def triage_many(cases: Sequence[Case]) -> list[Result]:
    """Triage a batch (one model call for all texts)."""
    model = store.current(Taxonomy.MEDIATION)
    norms = [normalise(c.text) for c in cases]
    labels = model.predict_normalised(norms)
    out = []
    for case, norm, label in zip(cases, norms, labels, strict=True):
        assessment = risk.assess(norm.text, risk.Facts(case.people, case.party_ages, case.earlier_disputes))
        notes = []
        if norm.truncated:
            notes.append(f"文本共{norm.original_length}字，仅分析前{len(norm.text)}字")
        if not norm.readable:
            notes.append("文本无法自动分析，请人工研判")
        route = routing.route(
            dispute_type=case.dispute_type or label.label,
            risk=assessment,
            text=norm.text,
            amount=case.amount,
            people=case.people,
            parties=case.parties,
        )
        out.append(
            Result(
                label,
                assessment,
                route,
                model.version,
                f"{RULES_VERSION}+{store.current_risk().version}",
                notes,
            )
        )
    return out


def triage(case: Case) -> Result:
    return triage_many([case])[0]


def model_version(taxonomy: Taxonomy) -> str:
    return store.current(taxonomy).version
