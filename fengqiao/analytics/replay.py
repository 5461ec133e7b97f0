"""One dispute's contribution to the rollups, replayed from its transitions — pure Python.

``contribution(case, steps, included)`` walks the dispute's recorded steps (the
``cases.Transition`` log, in id order) and returns the dispute's type, tier and, per
month, the vector of measures (``measures.MEASURES``) it adds. It is the one
definition of every figure: the nightly rebuild sums it over all disputes, and the
incremental job applies ``contribution(after) − contribution(before)`` for each
dispute that has new steps. The two paths therefore agree by construction, and the
tests check that they do.

The result depends only on the steps chosen by ``included`` and on facts that never
change after registration (place, channel, registration time, amount, people), so
replaying the same prefix of the log always gives the same answer — which is what
lets the job subtract what it added before without storing it. The dispute's type is
the one exception: the register step does not record it, so it is read from the
dispute row and corrected by the reclassification steps (see ``type_as_of``).
"""

from collections.abc import Callable, Sequence
from typing import NamedTuple

from fengqiao.analytics import measures as m
from fengqiao.cases.choices import Action, ConfirmationResult, Satisfaction, Status, Tier
from fengqiao.geography import codes
from fengqiao.geography.choices import Level

IX = m.INDEX
_REGISTERED, _ACCEPTED, _DECLINED = IX["registered"], IX["accepted"], IX["declined"]
_ESCALATED, _REFERRED_BACK = IX["escalated"], IX["referred_back"]
_WRITTEN, _ORAL, _MED_FAILED = IX["agreements_written"], IX["agreements_oral"], IX["mediation_failed"]
_APPLIED, _VALID, _PERFORMED = IX["confirm_applied"], IX["confirm_valid"], IX["performed"]
_TRANSFERRED, _WITHDRAWN, _FOLLOW_UPS = IX["transferred"], IX["withdrawn"], IX["follow_ups"]
_SATISFACTION = {
    Satisfaction.SATISFIED.value: IX["sat_satisfied"],
    Satisfaction.FAIRLY.value: IX["sat_fairly"],
    Satisfaction.DISSATISFIED.value: IX["sat_dissatisfied"],
}
_AMOUNT, _PEOPLE = IX["accepted_amount"], IX["accepted_people"]

CLOSED = Status.CLOSED.value
PERFORMED = Status.PERFORMED.value
TIER_STEPS = frozenset({Action.ACCEPT.value, Action.ESCALATE.value, Action.REFER_BACK.value})


class Case(NamedTuple):
    """The facts of a dispute the replay needs that no step changes (and its type now)."""

    id: int
    unit: int
    channel: str
    type_now: str
    amount_cents: int
    people: int
    received_month: int
    received_day: int  # days since 2000-01-01 in local time


class Step(NamedTuple):
    """One transition, reduced to what the replay reads.

    ``detail``: the new tier (accept, escalate, refer back), the agreement's form, the
    court's result, the satisfaction of a visit, or the new type of a reclassification.
    ``old_type``: the type a reclassification changed from ('' when it kept the type).
    """

    id: int
    action: str
    from_status: str
    to_status: str
    month: int
    day: int
    detail: str = ""
    old_type: str = ""


class Contribution(NamedTuple):
    dispute_type: str
    tier: str
    months: dict[int, list[int]]  # month -> measure vector (measures.MEASURES order)


def home_tier(unit: int) -> str:
    """The tier a dispute starts at: the lowest body for its place (as ``cases.actions``
    sets it at registration: 小事不出村)."""
    level = codes.level_of(unit)
    if level == Level.VILLAGE:
        return Tier.VILLAGE.value
    if level == Level.TOWNSHIP:
        return Tier.TOWNSHIP.value
    return Tier.COUNTY.value


def type_as_of(type_now: str, steps: Sequence[Step], included: Callable[[int], bool]) -> str:
    """The dispute's type after the included steps, the same whenever it is asked.

    The type changes only by reclassification steps, which record old and new. After
    an included one, the type is its new value; before any, it is the first one's old
    value; with none recorded at all, the dispute row's type has never changed. (The
    job reads dispute rows before their steps, so a type change visible in the row has
    its step visible too.)
    """
    changes = [s for s in steps if s.old_type]
    if not changes:
        return type_now
    done = [s for s in changes if included(s.id)]
    return done[-1].detail if done else changes[0].old_type


def _all(_: int) -> bool:
    return True


def contribution(
    case: Case, steps: Sequence[Step], included: Callable[[int], bool] = _all
) -> Contribution | None:
    """What ``case`` adds to the rollups given the included ``steps`` (sorted by id);
    None when no step is included (the dispute is not in the rollups yet)."""
    chosen = [s for s in steps if included(s.id)]
    if not chosen:
        return None
    width = m.WIDTH
    months: dict[int, list[int]] = {}

    def vec(month: int) -> list[int]:
        v = months.get(month)
        if v is None:
            v = months[month] = [0] * width
        return v

    stock = m.STOCK_INDEX
    tier = home_tier(case.unit)
    accepted = followed = written = applied = confirmed = performed = False
    first_agreement: int | None = None
    closing: Step | None = None
    for s in chosen:
        a = s.action
        if s.from_status != s.to_status:
            v = vec(s.month)
            if s.from_status in stock:
                v[stock[s.from_status]] -= 1
            if s.to_status in stock:
                v[stock[s.to_status]] += 1
            if s.to_status == CLOSED and closing is None:
                closing = s
        if a == Action.REGISTER:
            vec(case.received_month)[_REGISTERED] += 1
            continue
        if a in TIER_STEPS:
            if s.detail:
                tier = s.detail
            v = vec(s.month)
            if a == Action.ACCEPT:
                accepted = True
                v[_ACCEPTED] += 1
                v[_AMOUNT] += case.amount_cents
                v[_PEOPLE] += case.people
            elif a == Action.ESCALATE:
                v[_ESCALATED] += 1
            else:
                v[_REFERRED_BACK] += 1
        elif a == Action.REACH_AGREEMENT:
            oral = s.detail == "oral"
            vec(s.month)[_ORAL if oral else _WRITTEN] += 1
            written = written or not oral
            if first_agreement is None:
                first_agreement = s.month
        elif a == Action.FAIL_MEDIATION:
            vec(s.month)[_MED_FAILED] += 1
        elif a == Action.APPLY_CONFIRMATION:
            vec(s.month)[_APPLIED] += 1
            applied = True
        elif a == Action.RECORD_CONFIRMATION:
            if s.detail == ConfirmationResult.VALID:
                vec(s.month)[_VALID] += 1
                confirmed = True
        elif a == Action.RECORD_PERFORMANCE:
            if s.to_status == PERFORMED and s.from_status != PERFORMED:
                vec(s.month)[_PERFORMED] += 1
                performed = True
        elif a == Action.RECORD_FOLLOW_UP:
            v = vec(s.month)
            v[_FOLLOW_UPS] += 1
            if s.detail in _SATISFACTION:
                v[_SATISFACTION[s.detail]] += 1
            followed = True
        elif a == Action.TRANSFER:
            vec(s.month)[_TRANSFERRED] += 1
        elif a == Action.WITHDRAW:
            vec(s.month)[_WITHDRAWN] += 1
        elif a == Action.DECLINE:
            vec(s.month)[_DECLINED] += 1
    if closing is not None:
        _close(case, closing, vec(closing.month), tier, accepted, followed)
    if first_agreement is not None:
        v = vec(first_agreement)
        v[IX["agreed"]] += 1
        v[IX["agreed_written"]] += written
        v[IX["agreed_applied"]] += applied
        v[IX["agreed_confirmed"]] += confirmed
        v[IX["agreed_performed"]] += performed
    return Contribution(type_as_of(case.type_now, steps, included), tier, months)


def outcome_of(closing: Step) -> str:
    """The outcome a closing step gives (as ``cases.workflow`` decides it)."""
    match closing.action:
        case Action.CLOSE:
            return "resolved" if closing.from_status == PERFORMED else "failed"
        case Action.TRANSFER:
            return "transferred"
        case Action.WITHDRAW:
            return "withdrawn"
        case Action.DECLINE:
            return "declined"
    return ""


def _close(case: Case, closing: Step, v: list[int], tier: str, accepted: bool, followed: bool) -> None:
    """The closing cohort: one closed dispute, with its outcome at the tier that closed it."""
    v[IX["closed"]] += 1
    outcome = outcome_of(closing)
    mediated_end = True
    if outcome == "resolved":
        v[IX["resolved"]] += 1
        if tier == Tier.VILLAGE:
            v[IX["resolved_village"]] += 1
        days = max(0, closing.day - case.received_day)
        v[IX["resolve_days"]] += days
        v[m.BUCKET_INDEX[m.bucket_of(days)]] += 1
    elif outcome == "failed":
        v[IX["failed"]] += 1
    elif outcome == "transferred" and accepted:
        v[IX["transferred_mediated"]] += 1
    else:
        mediated_end = False  # withdrawn, declined, or handed on before any mediation
    if mediated_end and outcome != "resolved" and tier == Tier.COUNTY:
        v[IX["upward"]] += 1
    if mediated_end and followed:
        v[IX["followed_end"]] += 1


def difference(
    before: Contribution | None, after: Contribution | None
) -> list[tuple[str, str, int, list[int]]]:
    """(type, tier, month, vector) deltas that turn ``before`` into ``after``."""
    out: list[tuple[str, str, int, list[int]]] = []
    if before is not None and after is not None and before[:2] == after[:2]:
        for month in before.months.keys() | after.months.keys():
            a = after.months.get(month)
            b = before.months.get(month)
            if a is None:
                assert b is not None
                out.append((after.dispute_type, after.tier, month, [-x for x in b]))
            elif b is None:
                out.append((after.dispute_type, after.tier, month, a))
            elif a != b:
                out.append(
                    (after.dispute_type, after.tier, month, [x - y for x, y in zip(a, b, strict=True)])
                )
        return out
    if before is not None:
        out.extend(
            (before.dispute_type, before.tier, month, [-x for x in v]) for month, v in before.months.items()
        )
    if after is not None:
        out.extend((after.dispute_type, after.tier, month, v) for month, v in after.months.items())
    return out
