"""The replay, without the database: what one dispute's steps add to the rollups, and why
the incremental difference always lands on the full replay."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fengqiao.analytics import measures as m
from fengqiao.analytics.indicators import Figures
from fengqiao.analytics.replay import Case, Step, contribution, difference, type_as_of
from fengqiao.cases import workflow
from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    ConfirmationResult,
    PerformanceStatus,
    Satisfaction,
    Status,
    Tier,
    TransferTarget,
)

VILLAGE = 510129101203
CASE = Case(1, VILLAGE, "walk_in", "neighbour", 300000, 2, 202609, 9740)


def step(
    pk: int,
    action: str,
    frm: str,
    to: str,
    month: int = 202610,
    day: int = 9760,
    detail: str = "",
    old: str = "",
) -> Step:
    return Step(pk, action, frm, to, month, day, detail, old)


JOURNEY = [
    step(1, "register", "", "registered", 202609, 9740),
    step(2, "accept", "registered", "accepted", 202609, 9741, "village"),
    step(3, "record_session", "accepted", "mediating", 202609, 9742),
    step(4, "reach_agreement", "mediating", "agreed", 202609, 9742, "written"),
    step(5, "apply_confirmation", "agreed", "confirming", 202610, 9760),
    step(6, "record_confirmation", "confirming", "confirmed", 202610, 9765, "valid"),
    step(7, "record_performance", "confirmed", "performed", 202610, 9770),
    step(8, "record_follow_up", "performed", "performed", 202610, 9775, "satisfied"),
    step(9, "close", "performed", "closed", 202610, 9780),
]


def totals(c: object) -> Figures:
    assert c is not None
    return Figures.total(Figures(dict(zip(m.NAMES, v, strict=True))) for v in c.months.values())  # type: ignore[attr-defined]


def test_a_resolved_village_journey_counts_once_in_each_family() -> None:
    c = contribution(CASE, JOURNEY)
    assert c is not None and (c.dispute_type, c.tier) == ("neighbour", "village")
    sep, oct_ = (Figures(dict(zip(m.NAMES, c.months[k], strict=True))) for k in (202609, 202610))
    assert (sep["registered"], sep["accepted"], sep["accepted_amount"], sep["agreements_written"]) == (
        1,
        1,
        300000,
        1,
    )
    assert (sep["agreed"], sep["agreed_written"], sep["agreed_confirmed"], sep["agreed_performed"]) == (
        1,
        1,
        1,
        1,
    )
    assert (oct_["closed"], oct_["resolved"], oct_["resolved_village"], oct_["followed_end"]) == (1, 1, 1, 1)
    assert oct_["resolve_days"] == 40 and oct_[m.bucket_name(6)] == 1  # 31–45 days
    assert (oct_["follow_ups"], oct_["sat_satisfied"], oct_["confirm_valid"]) == (1, 1, 1)
    f = totals(c)
    assert f.open_total == 0 and f.success_rate == 1.0 and f.upward_rate == 0.0


def test_only_the_included_steps_count_and_the_difference_completes_them() -> None:
    early = contribution(CASE, JOURNEY, lambda pk: pk <= 4)
    assert early is not None
    f = totals(early)
    assert f.open_by_status["agreed"] == 1 and f["closed"] == 0
    assert f["agreed_confirmed"] == 0  # not yet: it is counted when the court confirms
    full = contribution(CASE, JOURNEY)
    merged: dict[int, list[int]] = {k: list(v) for k, v in early.months.items()}
    for _, _, month, vector in difference(early, full):
        row = merged.setdefault(month, [0] * m.WIDTH)
        merged[month] = [a + b for a, b in zip(row, vector, strict=True)]
    assert {k: v for k, v in merged.items() if any(v)} == full.months  # type: ignore[union-attr]
    assert contribution(CASE, JOURNEY, lambda pk: False) is None


def test_reclassification_moves_the_whole_history_and_reads_the_same_at_any_time() -> None:
    steps = [
        step(1, "register", "", "registered"),
        step(2, "reclassify", "registered", "registered", detail="labour", old="neighbour"),
        step(3, "accept", "registered", "accepted", detail="township"),
    ]
    # the row already says labour; before the reclassification the type was neighbour
    assert type_as_of("labour", steps, lambda pk: pk <= 1) == "neighbour"
    assert type_as_of("labour", steps, lambda pk: True) == "labour"
    assert type_as_of("labour", [steps[0]], lambda pk: True) == "labour"
    before = contribution(
        Case(1, VILLAGE, "walk_in", "labour", 0, 2, 202610, 9760), steps, lambda pk: pk <= 1
    )
    after = contribution(Case(1, VILLAGE, "walk_in", "labour", 0, 2, 202610, 9760), steps)
    assert before is not None and after is not None
    assert (before.dispute_type, before.tier) == ("neighbour", "village")
    assert (after.dispute_type, after.tier) == ("labour", "township")
    moved = difference(before, after)
    assert {(t, tier) for t, tier, _, _ in moved} == {("neighbour", "village"), ("labour", "township")}


def test_failure_at_the_county_is_upward_and_a_transfer_before_acceptance_is_not_mediated() -> None:
    up = [
        step(1, "register", "", "registered"),
        step(2, "accept", "registered", "accepted", detail="village"),
        step(3, "escalate", "accepted", "accepted", detail="township"),
        step(4, "escalate", "accepted", "accepted", detail="county"),
        step(5, "fail_mediation", "accepted", "failed"),
        step(6, "transfer", "failed", "closed"),
    ]
    f = totals(contribution(CASE, up))
    assert (f["transferred_mediated"], f["upward"], f.mediated_end, f["escalated"]) == (1, 1, 1, 2)
    handed = [step(1, "register", "", "registered"), step(2, "transfer", "registered", "closed")]
    g = totals(contribution(CASE, handed))
    assert (g["closed"], g["transferred"], g.mediated_end, g["upward"]) == (1, 1, 0, 0)


def test_day_buckets_cover_every_duration_once() -> None:
    seen = [m.bucket_of(d) for d in range(0, 800)]
    assert seen == sorted(seen) and set(seen) == set(range(len(m.DAY_BUCKETS)))
    assert m.bucket_of(30) == 5 and m.bucket_of(31) == 6 and m.bucket_of(10_000) == len(m.DAY_BUCKETS) - 1


# ------------------------------------------------------------------ any lawful history

INTENTS = {
    Action.ESCALATE: [
        workflow.Intent(reason="r", to_tier=Tier.TOWNSHIP),
        workflow.Intent(reason="r", to_tier=Tier.COUNTY),
    ],
    Action.REFER_BACK: [
        workflow.Intent(reason="r", to_tier=Tier.VILLAGE),
        workflow.Intent(reason="r", to_tier=Tier.TOWNSHIP),
    ],
    Action.TRANSFER: [workflow.Intent(reason="r", target=TransferTarget.COURT)],
    Action.RECORD_CONFIRMATION: [
        workflow.Intent(confirmation_result=r) for r in ConfirmationResult if r != "pending"
    ],
    Action.RECORD_PERFORMANCE: [workflow.Intent(performance=p) for p in PerformanceStatus],
    Action.EXTEND_DEADLINE: [workflow.Intent(both_parties_consent=True)],
    Action.FAIL_MEDIATION: [workflow.Intent(advice="a")],
    Action.DECLINE: [workflow.Intent(reason="r")],
    Action.WITHDRAW: [workflow.Intent(reason="r")],
    Action.RECORD_REFUSAL: [workflow.Intent(reason="r")],
}
ACCEPT_TIERS = [Tier.VILLAGE, Tier.TOWNSHIP, Tier.COUNTY]


@st.composite
def histories(draw: st.DrawFn) -> list[Step]:
    """A lawful sequence of steps, each allowed by ``cases.workflow.decide``."""
    facts = workflow.Facts(status=Status.REGISTERED, today=dt.date(2026, 10, 1))
    steps = [step(1, "register", "", "registered", 202601, 9500)]
    month, day = 202601, 9500
    for pk in range(2, draw(st.integers(2, 25))):
        options = [a for a in workflow.available(facts) if a not in (Action.LINK,)]
        action = draw(st.sampled_from(options))
        intent = draw(st.sampled_from(INTENTS.get(action, [workflow.Intent()])))
        detail = ""
        if action == Action.ACCEPT:
            tier = draw(st.sampled_from(ACCEPT_TIERS))
            detail = tier.value
        try:
            decision = workflow.decide(action, facts, intent)
        except workflow.WorkflowError:
            continue
        if action in (Action.ESCALATE, Action.REFER_BACK):
            detail = intent.to_tier.value if intent.to_tier else ""
        elif action == Action.REACH_AGREEMENT:
            form = draw(st.sampled_from(list(AgreementForm)))
            detail = form.value
            facts = workflow.Facts(
                **{**facts.__dict__, "agreement_form": form, "agreement_effective_on": facts.today}
            )
        elif action == Action.RECORD_CONFIRMATION:
            detail = intent.confirmation_result.value if intent.confirmation_result else ""
        elif action == Action.RECORD_FOLLOW_UP:
            detail = draw(st.sampled_from(list(Satisfaction))).value
        if draw(st.booleans()):
            month = month + 1 if month % 100 < 12 else month + 89
            day += 31
        steps.append(step(pk, action.value, facts.status.value, decision.to_status.value, month, day, detail))
        tier = Tier(detail) if detail in Tier.values else facts.tier
        facts = workflow.Facts(
            **{
                **facts.__dict__,
                "status": decision.to_status,
                "tier": tier,
                "sessions": facts.sessions + (action == Action.RECORD_SESSION),
                "follow_ups": facts.follow_ups + (action == Action.RECORD_FOLLOW_UP),
            }
        )
    return steps


@settings(max_examples=300, deadline=None)
@given(histories(), st.data())
def test_for_any_history_and_any_split_the_difference_lands_on_the_full_replay(
    steps: list[Step], data: st.DataObject
) -> None:
    split = data.draw(st.integers(0, len(steps)))
    before = contribution(CASE, steps, lambda pk: pk <= split)
    after = contribution(CASE, steps)
    assert after is not None
    sums: dict[tuple[str, str, int], list[int]] = {}
    if before is not None:
        for month, v in before.months.items():
            sums[(before.dispute_type, before.tier, month)] = list(v)
    for kind, tier, month, v in difference(before, after):
        row = sums.setdefault((kind, tier, month), [0] * m.WIDTH)
        sums[(kind, tier, month)] = [a + b for a, b in zip(row, v, strict=True)]
    assert {k: v for k, v in sums.items() if any(v)} == {
        (after.dispute_type, after.tier, month): v for month, v in after.months.items() if any(v)
    }
    f = totals(after)
    closed = steps[-1].to_status == Status.CLOSED or any(s.to_status == Status.CLOSED for s in steps)
    # the stock changes sum to exactly one open status, or none once closed
    assert f.open_total == (0 if closed else 1)
    assert f["closed"] == (1 if closed else 0)
    assert f["registered"] == 1 and f["agreed"] <= 1 and f.mediated_end <= f["closed"]
