"""The deadline engine on the database: countdowns, reminders and expiry alerts."""

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.cases import actions
from fengqiao.cases.choices import AgreementForm, Status, TransferTarget
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.testing import Personas, register, sign_in
from fengqiao.deadlines import actions as engine
from fengqiao.deadlines.jobs import sweep
from fengqiao.deadlines.models import Deadline, DeadlineStatus
from fengqiao.warning.choices import ACTIVE_STATUSES, AlertKind
from fengqiao.warning.models import Alert

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 9, 0)


def accepted(p: Personas, **kw: Any) -> Dispute:
    d = register(p.village_mediator, **kw)
    actions.accept_dispute(d, actor=p.village_mediator)
    return d


def test_acceptance_starts_the_mediation_term_and_the_case_page_counts_down(personas: Personas) -> None:
    from django.test import Client

    with clock.frozen(MONDAY):
        d = accepted(personas)
        c = Client()
        sign_in(c, personas.village_mediator)
        page = c.get(f"/cases/{d.pk}/").content.decode()
    assert "调解期限 2026年4月2日" in page and "还剩 31 天" in page and "第三十三条" in page


def test_court_referred_disputes_get_thirty_days(personas: Personas) -> None:
    from fengqiao.geography.models import Organisation

    court = Organisation.objects.get(admin_unit_id=510129000000, kind="court")
    with clock.frozen(MONDAY):
        d = accepted(personas, channel="court_referral", referred_by_org=court.pk)
    assert d.deadlines.get(status="open").due_on == dt.date(2026, 4, 1)


def test_reminder_then_expiry_alert_once_each_and_digested_into_one_alert(personas: Personas) -> None:
    with clock.frozen(MONDAY):
        d = accepted(personas)
    with clock.frozen(dt.datetime(2026, 3, 27, 8, 0)):  # a week before the last day: nothing yet
        assert sweep() == 0
    with clock.frozen(dt.datetime(2026, 3, 28, 8, 0)):  # within five days
        assert sweep() == 1
        assert sweep() == 0
    alert = Alert.objects.get(dispute=d)
    assert alert.kind == AlertKind.DEADLINE_SOON and "将于5天后届满" in alert.title
    with clock.frozen(dt.datetime(2026, 4, 3, 8, 0)):  # the day after the last day
        assert sweep() == 1
        assert sweep() == 0
    alert = Alert.objects.get(dispute=d)  # the same alert, updated
    assert (
        alert.kind == AlertKind.DEADLINE_EXPIRED and "已超期1天" in alert.title and alert.severity == "high"
    )
    assert d.deadlines.get().expired_at is not None


def test_consented_extension_moves_the_last_day_and_clears_the_warning(personas: Personas) -> None:
    with clock.frozen(MONDAY):
        d = accepted(personas)
    with clock.frozen(dt.datetime(2026, 3, 30, 8, 0)):
        sweep()
        actions.extend_mediation(
            d, actor=personas.village_mediator, both_parties_consent=True, reason="待鉴定"
        )
    term = d.deadlines.get(status="open")
    assert (
        term.due_on == dt.date(2026, 5, 6) and term.reminded_at is None
    )  # 2 May is in the Labour Day holiday


def test_agreement_meets_the_term_and_closing_ends_every_deadline(personas: Personas) -> None:
    u = personas.village_mediator
    with clock.frozen(MONDAY):
        d = accepted(personas)
        actions.record_session(d, actor=u, held_at=clock.now(), place="村委会", content="调解")
        actions.reach_agreement(
            d, actor=u, form=AgreementForm.WRITTEN, facts="事实", terms="赔偿", performance_method="现金"
        )
        assert set(d.deadlines.values_list("rule", "status")) == {
            ("mediation", DeadlineStatus.MET),
            ("judicial_confirmation", DeadlineStatus.OPEN),
        }
        actions.transfer_dispute(d, actor=u, target=TransferTarget.COURT, reason="对方反悔，起诉")
    assert not d.deadlines.filter(status=DeadlineStatus.OPEN).exists()


def test_transfer_to_reconsideration_starts_the_sixty_days(personas: Personas) -> None:
    with clock.frozen(MONDAY):
        d = accepted(personas)
        actions.transfer_dispute(
            d, actor=personas.village_mediator, target=TransferTarget.ADMIN_RECONSIDERATION, reason="不服罚款"
        )
    term = d.deadlines.get(status="open")
    assert term.rule == "reconsideration_application" and term.due_on == dt.date(2026, 5, 6)


def test_deadlines_of_other_subjects_use_the_same_engine(personas: Personas) -> None:
    with clock.frozen(MONDAY):
        aid = engine.start(
            "legal_aid_decision", subject="legalaid.application:7", admin_unit=510129101000, on=clock.today()
        )
    assert aid.due_on == dt.date(2026, 3, 9)
    with clock.frozen(dt.datetime(2026, 3, 10, 8, 0)):
        sweep()
    assert Alert.objects.get(key=f"deadline:{aid.pk}").owner_unit_id == 510129101000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=st.lists(st.integers(0, 70), min_size=1, max_size=6),
    sweep_day=st.integers(0, 90),
    close_first=st.booleans(),
)
def test_no_open_dispute_sits_past_an_expired_deadline_without_an_alert(
    personas: Personas, offsets: list[int], sweep_day: int, close_first: bool
) -> None:
    """Whatever the start days and the day the sweep runs: afterwards, every open dispute
    with a deadline past its last day has an active alert about it."""
    Alert.objects.all().delete()
    Deadline.objects.all().delete()
    disputes = []
    for offset in offsets:
        with clock.frozen(MONDAY + dt.timedelta(days=offset)):
            disputes.append(accepted(personas))
    if close_first:
        actions.withdraw_dispute(disputes[0], actor=personas.village_mediator, reason="和解")
    today = MONDAY.date() + dt.timedelta(days=sweep_day)
    with clock.frozen(MONDAY + dt.timedelta(days=sweep_day)):
        sweep()
    for d in disputes:
        d.refresh_from_db()
        overdue = d.deadlines.filter(status=DeadlineStatus.OPEN, due_on__lt=today)
        if d.status != Status.CLOSED and overdue.exists():
            for deadline in overdue:
                assert Alert.objects.filter(
                    key=f"deadline:{deadline.pk}", status__in=ACTIVE_STATUSES
                ).exists()
        if d.status == Status.CLOSED:
            assert not d.deadlines.filter(status=DeadlineStatus.OPEN).exists()
