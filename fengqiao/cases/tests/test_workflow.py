"""The lifecycle rules, tested without the database."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    ConfirmationResult,
    Outcome,
    PerformanceStatus,
    Status,
    Tier,
    TransferTarget,
)
from fengqiao.cases.workflow import ALLOWED_FROM, Facts, Intent, WorkflowError, confirmation_due, decide

TODAY = dt.date(2026, 3, 2)


def facts(status: Status, **kw: object) -> Facts:
    return Facts(status=status, today=kw.pop("today", TODAY), **kw)  # type: ignore[arg-type]


def test_accepting_a_registered_dispute_opens_it() -> None:
    assert decide(Action.ACCEPT, facts(Status.REGISTERED)).to_status == Status.ACCEPTED


def test_no_mediation_against_a_partys_clear_refusal() -> None:
    refusing = facts(Status.REGISTERED, refusing_parties=("李四",))
    with pytest.raises(WorkflowError, match="第十七条"):
        decide(Action.ACCEPT, refusing)
    with pytest.raises(WorkflowError, match="李四"):
        decide(Action.RECORD_SESSION, facts(Status.MEDIATING, refusing_parties=("李四",)))


def test_refusal_still_allows_ending_mediation_with_advice() -> None:
    f = facts(Status.MEDIATING, refusing_parties=("李四",))
    assert decide(Action.FAIL_MEDIATION, f, Intent(advice="可向人民法院起诉")).to_status == Status.FAILED


def test_no_agreement_without_a_session_record() -> None:
    with pytest.raises(WorkflowError, match="笔录"):
        decide(Action.REACH_AGREEMENT, facts(Status.MEDIATING, sessions=0))
    assert decide(Action.REACH_AGREEMENT, facts(Status.MEDIATING, sessions=1)).to_status == Status.AGREED


def test_failed_mediation_requires_advice_on_other_routes() -> None:
    with pytest.raises(WorkflowError, match="第二十六条") as e:
        decide(Action.FAIL_MEDIATION, facts(Status.MEDIATING), Intent(advice="  "))
    assert e.value.field == "advice"


def test_judicial_confirmation_only_within_thirty_days_of_the_agreement() -> None:
    effective = dt.date(2026, 3, 2)  # a Monday; +30 days is Wednesday 1 April 2026
    due = confirmation_due(effective)
    assert due == dt.date(2026, 4, 1)
    ok = facts(
        Status.AGREED, today=due, agreement_form=AgreementForm.WRITTEN, agreement_effective_on=effective
    )
    assert decide(Action.APPLY_CONFIRMATION, ok).to_status == Status.CONFIRMING
    late = facts(
        Status.AGREED,
        today=due + dt.timedelta(days=1),
        agreement_form=AgreementForm.WRITTEN,
        agreement_effective_on=effective,
    )
    with pytest.raises(WorkflowError, match="第三十三条"):
        decide(Action.APPLY_CONFIRMATION, late)


def test_confirmation_period_ending_on_a_holiday_runs_to_the_next_working_day() -> None:
    # Agreement effective 2025-09-01: day 30 is 1 October 2025, National Day; the
    # holiday runs to 8 October, so the last day is 9 October (民法典 Art. 203).
    assert confirmation_due(dt.date(2025, 9, 1)) == dt.date(2025, 10, 9)


def test_oral_agreements_cannot_be_sent_for_confirmation() -> None:
    oral = facts(Status.AGREED, agreement_form=AgreementForm.ORAL, agreement_effective_on=TODAY)
    with pytest.raises(WorkflowError, match="书面"):
        decide(Action.APPLY_CONFIRMATION, oral)


def test_invalid_confirmation_returns_the_case_to_mediation() -> None:
    f = facts(Status.CONFIRMING)
    assert decide(
        Action.RECORD_CONFIRMATION, f, Intent(confirmation_result=ConfirmationResult.VALID)
    ).to_status == (Status.CONFIRMED)
    assert (
        decide(
            Action.RECORD_CONFIRMATION, f, Intent(confirmation_result=ConfirmationResult.INVALID)
        ).to_status
        == Status.MEDIATING
    )


def test_closing_after_performance_requires_a_follow_up_visit() -> None:
    with pytest.raises(WorkflowError, match="回访"):
        decide(Action.CLOSE, facts(Status.PERFORMED, follow_ups=0))
    d = decide(Action.CLOSE, facts(Status.PERFORMED, follow_ups=1))
    assert (d.to_status, d.outcome) == (Status.CLOSED, Outcome.RESOLVED)


def test_partial_performance_keeps_the_agreement_open() -> None:
    f = facts(Status.AGREED)
    assert decide(Action.RECORD_PERFORMANCE, f, Intent(performance=PerformanceStatus.PARTIAL)).to_status == (
        Status.AGREED
    )
    assert decide(Action.RECORD_PERFORMANCE, f, Intent(performance=PerformanceStatus.FULL)).to_status == (
        Status.PERFORMED
    )


def test_escalation_must_go_up_and_say_why() -> None:
    f = facts(Status.MEDIATING, tier=Tier.TOWNSHIP)
    with pytest.raises(WorkflowError, match="高于"):
        decide(Action.ESCALATE, f, Intent(reason="复杂", to_tier=Tier.VILLAGE))
    with pytest.raises(WorkflowError, match="理由"):
        decide(Action.ESCALATE, f, Intent(to_tier=Tier.COUNTY))
    assert (
        decide(Action.ESCALATE, f, Intent(reason="涉及多村", to_tier=Tier.COUNTY)).to_status
        == Status.ACCEPTED
    )


def test_extension_needs_both_parties_consent() -> None:
    with pytest.raises(WorkflowError, match="双方当事人同意"):
        decide(Action.EXTEND_DEADLINE, facts(Status.MEDIATING), Intent(reason="需鉴定"))
    ok = Intent(reason="需鉴定", both_parties_consent=True)
    assert decide(Action.EXTEND_DEADLINE, facts(Status.MEDIATING), ok).to_status == Status.MEDIATING


def test_transfer_closes_the_mediation_case() -> None:
    d = decide(Action.TRANSFER, facts(Status.FAILED), Intent(target=TransferTarget.COURT, reason="起诉"))
    assert (d.to_status, d.outcome) == (Status.CLOSED, Outcome.TRANSFERRED)


# ------------------------------------------------------------------ property-based

ACTIONS = list(ALLOWED_FROM)
INTENTS = st.builds(
    Intent,
    reason=st.sampled_from(["", "理由"]),
    advice=st.sampled_from(["", "可起诉"]),
    to_tier=st.none() | st.sampled_from(list(Tier)),
    target=st.none() | st.sampled_from(list(TransferTarget)),
    both_parties_consent=st.booleans(),
    confirmation_result=st.none() | st.sampled_from(list(ConfirmationResult)),
    performance=st.none() | st.sampled_from(list(PerformanceStatus)),
)
STEPS = st.lists(
    st.tuples(st.sampled_from(ACTIONS), INTENTS, st.integers(0, 40), st.booleans()), min_size=1, max_size=40
)


@settings(max_examples=400, deadline=None)
@given(steps=STEPS)
def test_random_action_sequences_respect_the_law(steps: list[tuple[Action, Intent, int, bool]]) -> None:
    """Whatever users try, in any order: a closed case stays closed, an agreement always
    follows a recorded session, confirmation is only applied for in time, and a status
    only changes by an allowed transition."""
    state = Facts(status=Status.REGISTERED, today=TODAY)
    for action, intent, days_later, refuse in steps:
        today = state.today + dt.timedelta(days=days_later)
        state = Facts(**{**vars(state), "today": today, "refusing_parties": ("甲",) if refuse else ()})
        before = state.status
        try:
            decision = decide(action, state, intent)
        except WorkflowError:
            continue
        assert before in ALLOWED_FROM[action]
        assert before != Status.CLOSED or decision.to_status == Status.CLOSED
        if decision.to_status == Status.AGREED and before == Status.MEDIATING:
            assert state.sessions >= 1 and not refuse
        if action == Action.APPLY_CONFIRMATION:
            assert state.agreement_effective_on is not None
            assert today <= confirmation_due(state.agreement_effective_on)
        if action in (Action.ACCEPT, Action.RECORD_SESSION, Action.REACH_AGREEMENT):
            assert not refuse
        if decision.to_status == Status.CLOSED and before != Status.CLOSED:
            assert decision.outcome is not None
        # evolve the facts as the database would
        changes: dict[str, object] = {"status": decision.to_status}
        if action == Action.RECORD_SESSION:
            changes["sessions"] = state.sessions + 1
        if action == Action.REACH_AGREEMENT:
            changes["agreement_form"] = AgreementForm.WRITTEN
            changes["agreement_effective_on"] = today
        if action == Action.RECORD_FOLLOW_UP:
            changes["follow_ups"] = state.follow_ups + 1
        if action in (Action.ESCALATE, Action.REFER_BACK, Action.ACCEPT) and intent.to_tier:
            changes["tier"] = intent.to_tier
        state = Facts(**{**vars(state), **changes})
