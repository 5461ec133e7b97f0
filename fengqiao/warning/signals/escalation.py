"""Escalation language (激化苗头) and failed mediation with risk flags (民转刑风险).

Words are read by triage's risk assessment (``triage.risk.assess`` with the learned
model of ``triage.store``, as ``triage.service.assess_risk`` does: the reviewed rules,
the same exclusions for hyperbole), so a threat is recognised the same way at intake and in the middle of
mediation. What this module adds is *when* it reads:

- **session records** as they are written: what a party says in mediation — threats,
  weapons, self-harm, extreme words, going over the township's head (越级上访) or
  "讨说法" from a higher body — is the freshest sign a dispute is turning;
- **narratives** at registration, for the flags that do not make a dispute high-risk
  (extreme words, upward petition): a high-risk narrative is already alerted by
  triage (``triage.actions.alert_if_high``) and not repeated here;
- a **failed mediation** (a transition to 调解不成) on a dispute that carries risk
  flags from its narrative or its records: the parties leave mediation with the
  conflict unresolved, the moment 民转刑 happens. 人民调解法 Art. 25 requires a
  dispute likely to lead to a public-order or criminal case to be reported to the
  police; Art. 26 requires the parties to be told their other routes.

The learned model's thresholds were chosen on narratives for recall (F2); a session
record is a different genre and every session of every case is read, so here a flag
the rules did not raise counts only when the model is confident (``MODEL_CONFIDENT``,
triage's own level for overruling a harmless reading) — an alert needs the words, or
a model that is sure.

"讨说法" alone is ordinary in a complaint (people come to the committee to get one);
in a session record, said of a body above the committee, it means the party intends
to take the matter elsewhere — the ``DEMAND`` pattern below asks for that. One alert
per dispute and kind, growing with each record (the words accumulate in its evidence).
Owner: the unit of the body handling the case at its current tier.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from fengqiao.cases.models import Dispute, SessionRecord
from fengqiao.triage import risk, store
from fengqiao.triage.models import Proposal
from fengqiao.triage.normalize import normalise
from fengqiao.triage.risk import FLAG_NAMES, MODEL_OVERRULES_EXCUSE, Flag, RiskAssessment
from fengqiao.triage.risk_model import RiskScores
from fengqiao.warning.actions import AlertSpec
from fengqiao.warning.choices import AlertKind, Severity
from fengqiao.warning.signals import ART_25, ART_26, accumulated, is_live, owner_at_tier

SEVERE = frozenset({Flag.VIOLENCE_THREAT, Flag.WEAPON, Flag.SELF_HARM, Flag.CIVIL_TO_CRIMINAL})
WATCHED = SEVERE | {Flag.EXTREME_WORDS, Flag.UPWARD_PETITION}
# Flags that make a failed mediation a 民转刑 risk: the watched ones, and a dispute that
# keeps coming back (积怨).
FAILURE_RISKS = WATCHED | {Flag.REPEAT_DISPUTE}
DEMAND = re.compile(
    r"(?:讨|要)(?:个|一个)?(?:说法|公道)"
    r".{0,8}?(?:镇上|乡里|县里|市里|省里|政府|上级|上面|信访|北京|成都)"
    r"|(?:镇上|乡里|县里|市里|省里|政府|上级|上面|信访局?).{0,6}(?:讨|要)(?:个|一个)?(?:说法|公道)"
)
DEMAND_NAME = "讨说法（向上级讨要说法）"
_QUOTED = re.compile(r"“([^”]+)”")
SESSION_LIMIT = 20
MODEL_CONFIDENT = MODEL_OVERRULES_EXCUSE


@dataclass
class Reading:
    """What the words of one text raise: watched flags and the words that raised them."""

    flags: list[Flag]
    words: list[str]
    reasons: list[str]
    demand: bool = False

    @property
    def severity(self) -> Severity:
        return Severity.HIGH if set(self.flags) & SEVERE else Severity.MEDIUM

    @property
    def names(self) -> list[str]:
        return [FLAG_NAMES[f] for f in self.flags] + ([DEMAND_NAME] if self.demand else [])


def read(text: str, assessment: RiskAssessment) -> Reading:
    """The watched part of a risk assessment of ``text``, with the words quoted."""
    flags = [f for f in assessment.flags if f in WATCHED]
    reasons = [r for r in assessment.reasons if any(r.startswith(FLAG_NAMES[f]) for f in flags)]
    words = [w for r in reasons for w in _QUOTED.findall(r)]
    demand = DEMAND.search(text)
    if demand:
        words.append(demand.group(0))
        reasons.append(f"{DEMAND_NAME}：文中出现“{demand.group(0)}”")
    return Reading(flags, list(dict.fromkeys(words)), reasons, demand is not None)


def _spec(d: Dispute, reading: Reading, source: str, evidence: dict[str, Any]) -> AlertSpec:
    key = f"escalation:dispute:{d.pk}"
    evidence = accumulated(
        key,
        {"dispute": d.pk, "words": reading.words, "flags": [f.value for f in reading.flags], **evidence},
        lists=("words", "flags", "session_records"),
    )
    advice = (
        f"依据{ART_25}。"
        if reading.severity == Severity.HIGH
        else "请及时做好当事人的疏导和稳控，必要时上报司法所或县级矛调中心。"
    )
    return AlertSpec(
        key=key,
        kind=AlertKind.ESCALATION,
        severity=reading.severity,
        owner_unit=owner_at_tier(d.admin_unit_id, d.tier),
        dispute_id=d.pk,
        title=f"激化苗头（{'、'.join(reading.names)}）：{d.summary}"[:200],
        reason=f"{source}出现激化言辞：{'；'.join(reading.reasons)}。{advice}",
        evidence=evidence,
    )


def assess(texts: list[str]) -> list[RiskAssessment]:
    """Triage's risk assessment (rules and model, one model call), the model held to
    ``MODEL_CONFIDENT`` where the rules are silent."""
    if not texts:
        return []
    norms = [normalise(t).text for t in texts]
    out = []
    for norm, scores in zip(norms, store.current_risk().score(norms), strict=True):
        strict = RiskScores(scores.probs, {k: max(v, MODEL_CONFIDENT) for k, v in scores.thresholds.items()})
        out.append(risk.assess(norm, None, strict))
    return out


def sessions(records: list[SessionRecord]) -> list[AlertSpec]:
    """Alerts for session records just written (one model call for the batch)."""
    if not records:
        return []
    assessments = assess([r.content for r in records])
    out = []
    for record, assessment in zip(records, assessments, strict=True):
        d = record.dispute
        reading = read(record.content, assessment)
        if not (reading.flags or reading.demand) or not is_live(d, record.recorded_at):
            continue
        out.append(
            _spec(
                d,
                reading,
                f"{record.held_at:%Y年%m月%d日}的调解笔录中",
                {"session_records": [record.pk]},
            )
        )
    return out


def narrative(d: Dispute) -> AlertSpec | None:
    """At registration: extreme words or an upward petition in a narrative that triage
    did not rate high-risk (those it alerts itself)."""
    if not is_live(d):
        return None
    proposal = Proposal.objects.filter(dispute_id=d.pk).order_by("-created_at", "-id").first()
    if proposal is None or proposal.risk_level == "high":
        return None
    flags = [Flag(f) for f in proposal.risk_flags if Flag(f) in WATCHED]
    if not flags:
        return None
    reasons = [r for r in proposal.risk_reasons if any(r.startswith(FLAG_NAMES[f]) for f in flags)]
    words = list(dict.fromkeys(w for r in reasons for w in _QUOTED.findall(r)))
    return _spec(d, Reading(flags, words, reasons), "登记的纠纷事实经过中", {"source": "narrative"})


def _dispute_flags(d: Dispute) -> tuple[set[Flag], list[str]]:
    """Risk flags a dispute carries: its triage proposal's and its session records'."""
    flags: set[Flag] = set()
    reasons: list[str] = []
    proposal = Proposal.objects.filter(dispute_id=d.pk).order_by("-created_at", "-id").first()
    if proposal is not None:
        flags |= {Flag(f) for f in proposal.risk_flags}
        reasons += proposal.risk_reasons
    contents = list(
        SessionRecord.objects.filter(dispute_id=d.pk)
        .order_by("-id")
        .values_list("content", flat=True)[:SESSION_LIMIT]
    )
    for text, assessment in zip(contents, assess(contents), strict=True):
        reading = read(text, assessment)
        flags |= set(reading.flags)
        reasons += reading.reasons
    return flags, list(dict.fromkeys(reasons))


def failed_mediation(d: Dispute, transition_id: int, at: dt.datetime, advice: str) -> AlertSpec | None:
    """民转刑 risk: mediation failed on a dispute with risk flags (人民调解法 Arts. 25–26)."""
    if not is_live(d, at):
        return None
    flags, reasons = _dispute_flags(d)
    risky = sorted(flags & FAILURE_RISKS, key=list(Flag).index)
    if not risky and d.risk_level != "high":
        return None
    severe = bool(set(risky) & SEVERE) or d.risk_level == "high"
    names = "、".join(FLAG_NAMES[f] for f in risky) or "高风险"
    shown = [r for r in reasons if any(r.startswith(FLAG_NAMES[f]) for f in risky)][:6]
    words = list(dict.fromkeys(w for r in shown for w in _QUOTED.findall(r)))
    reason = (
        f"调解不成，而该纠纷带有{names}风险标记（{'；'.join(shown) or '风险等级为高'}），矛盾未解，存在民转刑风险。"
        f"依据{ART_25}；依据{ART_26}。请做好稳控和跟踪回访。"
    )
    return AlertSpec(
        key=f"civil_to_criminal:dispute:{d.pk}",
        kind=AlertKind.CIVIL_TO_CRIMINAL,
        severity=Severity.HIGH if severe else Severity.MEDIUM,
        owner_unit=owner_at_tier(d.admin_unit_id, d.tier),
        dispute_id=d.pk,
        title=f"民转刑风险（调解不成）：{d.summary}"[:200],
        reason=reason,
        evidence={
            "dispute": d.pk,
            "transition": transition_id,
            "flags": [f.value for f in risky],
            "words": words,
            "advice_given": advice,
        },
    )
