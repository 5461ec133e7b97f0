"""The measures a rollup row carries — one integer column each, in this order.

Every measure is additive: a jurisdiction's figure is the sum over its rows, and the
incremental job applies differences. Pure data, no ORM: the model, the replay, the
readers and the report all take their column order from ``MEASURES``.

Four families, each attributed to one month (local time, Asia/Shanghai):

- event flows — counted in the month the step was recorded (``Transition.at``),
  except ``registered``, which counts in the month of ``Dispute.received_at`` (登记时间,
  which an import may set in the past);
- closing cohort — one per closed dispute, in the month it was closed;
- agreement cohort — one per dispute that reached an agreement, in the month of its
  first agreement, with what has happened to that agreement since (confirmed,
  performed), so the rates follow the agreements of a month to their end;
- open-stock changes — for each open status, +1 when a dispute enters it and −1 when
  it leaves; summed over all months up to M they give the disputes in that status at
  the end of M (the current backlog when summed over everything).

Every dispute's figures carry its current type, tier and channel: a reclassification
or an escalation moves the dispute's whole history to its new type or tier, so
"by tier" reads "by the tier that handles (or finally handled) the dispute".
"""

from dataclasses import dataclass
from enum import StrEnum

from fengqiao.cases.choices import Status


class Family(StrEnum):
    FLOW = "flow"
    CLOSING = "closing"
    AGREEMENT = "agreement"
    STOCK = "stock"


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    family: Family


# Days from registration to resolution: bucket upper bounds (inclusive); None = no bound.
# Fine where most cases fall (the one-month term, 人民调解工作若干规定 Art. 33), coarse after.
DAY_BUCKETS: tuple[int | None, ...] = (1, 3, 7, 14, 21, 30, 45, 60, 90, 180, 365, None)


def bucket_name(i: int) -> str:
    lo = 0 if i == 0 else (DAY_BUCKETS[i - 1] or 0) + 1
    hi = DAY_BUCKETS[i]
    return f"days_{lo}_{hi}" if hi is not None else f"days_{lo}_plus"


def bucket_label(i: int) -> str:
    lo = 0 if i == 0 else (DAY_BUCKETS[i - 1] or 0) + 1
    hi = DAY_BUCKETS[i]
    return f"{lo}–{hi}天" if hi is not None else f"{lo}天以上"


def bucket_of(days: int) -> int:
    for i, hi in enumerate(DAY_BUCKETS):
        if hi is None or days <= hi:
            return i
    raise AssertionError("unreachable")  # the last bucket has no bound


# The open statuses whose stock is tracked, in workflow order.
STOCK_STATUSES: tuple[Status, ...] = (
    Status.REGISTERED,
    Status.ACCEPTED,
    Status.MEDIATING,
    Status.AGREED,
    Status.CONFIRMING,
    Status.CONFIRMED,
    Status.PERFORMED,
    Status.FAILED,
)

_F, _C, _A, _S = Family.FLOW, Family.CLOSING, Family.AGREEMENT, Family.STOCK

MEASURES: tuple[Measure, ...] = (
    # event flows
    Measure("registered", "登记", _F),
    Measure("accepted", "受理", _F),
    Measure("declined", "不予受理", _F),
    Measure("escalated", "上报", _F),
    Measure("referred_back", "退回下级", _F),
    Measure("agreements_written", "书面协议", _F),
    Measure("agreements_oral", "口头协议", _F),
    Measure("mediation_failed", "终止调解", _F),
    Measure("confirm_applied", "申请司法确认", _F),
    Measure("confirm_valid", "司法确认有效", _F),
    Measure("performed", "履行完毕", _F),
    Measure("transferred", "移交", _F),
    Measure("withdrawn", "撤回", _F),
    Measure("follow_ups", "回访", _F),
    Measure("sat_satisfied", "回访满意", _F),
    Measure("sat_fairly", "回访基本满意", _F),
    Measure("sat_dissatisfied", "回访不满意", _F),
    Measure("accepted_amount", "受理纠纷涉及金额(分)", _F),
    Measure("accepted_people", "受理纠纷涉及人数", _F),
    # closing cohort
    Measure("closed", "结案", _C),
    Measure("resolved", "化解(调解成功结案)", _C),
    Measure("resolved_village", "村级化解", _C),
    Measure("failed", "调解不成结案", _C),
    Measure("transferred_mediated", "调解后移交结案", _C),
    Measure("upward", "矛盾上交", _C),
    Measure("followed_end", "调结且已回访", _C),
    Measure("resolve_days", "化解用时合计(天)", _C),
    *(Measure(bucket_name(i), f"化解用时{bucket_label(i)}", _C) for i in range(len(DAY_BUCKETS))),
    # agreement cohort
    Measure("agreed", "达成协议(件)", _A),
    Measure("agreed_written", "达成书面协议(件)", _A),
    Measure("agreed_applied", "协议已申请司法确认", _A),
    Measure("agreed_confirmed", "协议经司法确认有效", _A),
    Measure("agreed_performed", "协议已履行完毕", _A),
    # open-stock changes
    *(Measure(f"open_{s.value}", f"在办·{s.label}(增减)", _S) for s in STOCK_STATUSES),
)

NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
WIDTH = len(MEASURES)
BUCKET_INDEX: tuple[int, ...] = tuple(INDEX[bucket_name(i)] for i in range(len(DAY_BUCKETS)))
STOCK_INDEX: dict[str, int] = {s.value: INDEX[f"open_{s.value}"] for s in STOCK_STATUSES}
