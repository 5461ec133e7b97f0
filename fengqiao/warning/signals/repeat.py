"""Repeat disputes between the same parties (重复纠纷).

A new dispute whose applicant and respondent (as resolved by ``warning.resolution``,
typos and missing ID numbers tolerated) already met in an earlier dispute is a repeat:
the earlier mediation did not end the matter. Severity grows as it repeats:

- medium for the second dispute between them (low when the first was over a year
  ago and neither carried risk);
- high for the third or later, or when the risk level rises (the newest dispute is
  riskier than every earlier one), or the newest is high-risk.

A dispute that keeps coming back is the classic path to violence; the alert asks for
the earlier agreement's performance to be checked, the disputes to be handled together
(一揽子调处) and, where it may turn violent, the steps of 人民调解法 Art. 25. Owner:
the unit of the newest case.
"""

import datetime as dt
from collections import defaultdict

from fengqiao.cases.choices import PartyRole, RiskLevel
from fengqiao.cases.models import Dispute
from fengqiao.warning.actions import AlertSpec
from fengqiao.warning.choices import AlertKind, Severity
from fengqiao.warning.resolution import EPOCH, Resolved, persons_rows
from fengqiao.warning.signals import ART_25, active_key, dispute_ref, is_live

CHAIN_LIMIT = 20  # disputes cited in one alert
RISK_RANK = {"": 0, RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}
STALE = dt.timedelta(days=365)


def chain_of(dispute_id: int, resolved: list[Resolved]) -> tuple[set[int], list[tuple[Resolved, Resolved]]]:
    """Earlier disputes in which an applicant and a respondent of this one both appear
    (as two different people), and the pairs that made them."""
    applicants = [r for r in resolved if r.role == PartyRole.APPLICANT and r.matches]
    respondents = [r for r in resolved if r.role == PartyRole.RESPONDENT and r.matches]
    if not applicants or not respondents:
        return set(), []  # someone new on either side: no earlier dispute between them
    everyone = set().union(*(r.persons for r in applicants + respondents))
    by_person: dict[int, set[int]] = defaultdict(set)
    for dispute, person, _role, _unit in persons_rows(sorted(everyone), EPOCH):
        by_person[person].add(dispute)
    chain: set[int] = set()
    pairs = []
    for a in applicants:
        for b in respondents:
            if a.persons & b.persons:
                continue  # both sides resolved to one person: not a dispute between two
            with_a = set().union(*(by_person[p] for p in a.persons)) - {dispute_id}
            with_b = set().union(*(by_person[p] for p in b.persons)) - {dispute_id}
            common = with_a & with_b
            if common:
                chain |= common
                pairs.append((a, b))
    return chain, pairs


def evaluate(dispute: Dispute, resolved: list[Resolved]) -> AlertSpec | None:
    """The repeat-dispute alert for a newly registered dispute, or None."""
    earlier, pairs = chain_of(dispute.pk, resolved)
    if not earlier or not is_live(dispute):
        return None
    rows = list(
        Dispute.objects.filter(pk__in=earlier)
        .only("id", "received_at", "summary", "risk_level", "admin_unit_id", "dispute_type")
        .order_by("-received_at")[: CHAIN_LIMIT - 1]
    )
    chain = sorted([*rows, dispute], key=lambda d: (d.received_at, d.pk))
    count = len(earlier) + 1
    risks = [RISK_RANK.get(d.risk_level, 0) for d in chain]
    rising = risks[-1] > max(risks[:-1])
    if count >= 3 or rising or risks[-1] == 2:
        severity = Severity.HIGH
    elif dispute.received_at - chain[-2].received_at > STALE and max(risks) == 0:
        severity = Severity.LOW
    else:
        severity = Severity.MEDIUM
    a, b = pairs[0]
    how = sorted({m.link.reason for r in (a, b) for m in r.matches if m.dispute_id in earlier})
    seen = {
        r.name: sorted({m.name for m in r.matches if m.dispute_id in earlier and m.name != r.name})
        for r in (a, b)
    }
    aliases = "；".join(f"{name}又记作{'、'.join(v)}" for name, v in seen.items() if v)
    dates = "、".join(f"{d.received_at:%Y年%m月%d日}" for d in chain)
    trend = ""
    if rising:
        names = {0: "低", 1: "中", 2: "高"}
        trend = f"，风险等级由{names[max(risks[:-1])]}升至{names[risks[-1]]}"
    reason = (
        f"{a.name}与{b.name}之间已发生{count}起纠纷（{dates}）{trend}。"
        f"当事人识别依据：{'、'.join(how) or '同一当事人'}{('（' + aliases + '）') if aliases else ''}。"
        "请核实前次调解协议的履行情况，将相关纠纷关联并案、一揽子调处；"
        f"纠纷有激化可能的，依据{ART_25}。"
    )
    first = min(d.pk for d in chain)
    key = active_key(f"repeat:{d.pk}" for d in chain) or f"repeat:{first}"
    return AlertSpec(
        key=key,
        kind=AlertKind.REPEAT_DISPUTE,
        severity=severity,
        owner_unit=dispute.admin_unit_id,
        dispute_id=dispute.pk,
        title=f"重复纠纷：{a.name}与{b.name}之间第{count}起纠纷"[:200],
        reason=reason,
        evidence={
            "disputes": [dispute_ref(d) for d in chain],
            "count": count,
            "parties": [
                {"name": r.name, "side": str(PartyRole(r.role).label), "also_recorded_as": seen[r.name]}
                for r in (a, b)
            ],
            "matched_by": how,
            "risk_levels": [d.risk_level for d in chain],
        },
    )
