"""Disputes bouncing between tiers (层级反复流转): escalated and referred back repeatedly.

分层递进 means a dispute goes up when the lower tier cannot resolve it and comes back
down when the higher tier judges the lower one can. A dispute that goes up and down
again and again is being passed around, not handled — and since every escalation and
every referral back starts a fresh one-month mediation term (人民调解工作若干规定
Art. 33; ``cases.actions._deadlines_after``), the deadline engine sees a case within
its term while the parties have waited for months. So the signal counts the moves:

- alert (medium) from the second referral back, or four moves in all;
- high from the third referral back, or six moves.

Owner: the unit of the highest tier the dispute reached — the body above that must
decide who handles it. Overdue terms themselves are the deadline sweep's.
"""

from fengqiao.cases.choices import TIER_ORDER, Action, Tier
from fengqiao.cases.models import Dispute, Transition
from fengqiao.core import clock
from fengqiao.warning.actions import AlertSpec
from fengqiao.warning.choices import AlertKind, Severity
from fengqiao.warning.signals import TERM_33, is_live, owner_at_tier

MIN_RETURNS = 2
MIN_MOVES = 4
HIGH_RETURNS = 3
HIGH_MOVES = 6
LABEL = {Tier.VILLAGE: "村", Tier.TOWNSHIP: "乡镇", Tier.COUNTY: "县"}


def evaluate(d: Dispute) -> AlertSpec | None:
    """The bouncing alert for a dispute that has just moved between tiers, or None."""
    moves = list(
        Transition.objects.filter(dispute_id=d.pk, action__in=[Action.ESCALATE, Action.REFER_BACK])
        .order_by("at", "id")
        .values("id", "action", "at", "data")
    )
    returns = sum(m["action"] == Action.REFER_BACK for m in moves)
    if (returns < MIN_RETURNS and len(moves) < MIN_MOVES) or not is_live(d, moves[-1]["at"]):
        return None
    tiers = [Tier(d.tier)] + [
        Tier(t) for m in moves for t in (m["data"].get("from_tier"), m["data"].get("to_tier")) if t
    ]
    top = max(tiers, key=lambda t: TIER_ORDER[t])
    path = "→".join(
        [LABEL[Tier(moves[0]["data"].get("from_tier") or d.tier)]]
        + [LABEL[Tier(m["data"].get("to_tier") or d.tier)] for m in moves]
    )
    days = (clock.now() - d.received_at).days
    high = returns >= HIGH_RETURNS or len(moves) >= HIGH_MOVES
    return AlertSpec(
        key=f"bouncing:dispute:{d.pk}",
        kind=AlertKind.TIER_BOUNCING,
        severity=Severity.HIGH if high else Severity.MEDIUM,
        owner_unit=owner_at_tier(d.admin_unit_id, top),
        dispute_id=d.pk,
        title=f"层级反复流转：上报{len(moves) - returns}次、退回{returns}次：{d.summary}"[:200],
        reason=(
            f"该纠纷登记已{days}天，在层级间流转{len(moves)}次（{path}）。每次上报或退回都重新起算调解期限"
            f"（{TERM_33}），期限预警因此难以反映当事人的实际等待时间。"
            "请上级明确承办层级和责任人，避免推诿，做到矛盾不上交。"
        ),
        evidence={
            "dispute": d.pk,
            "moves": [
                {"transition": m["id"], "action": m["action"], "at": m["at"].isoformat(), **m["data"]}
                for m in moves
            ],
            "days_since_registration": days,
        },
    )
