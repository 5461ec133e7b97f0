"""The demo data set: lawful histories, complete case files, a believable mix, no duplicates.

One small set (400 cases, mediators only where those cases can go) is generated once
for the module inside a transaction that is rolled back at the end; each test then
runs in its own savepoint.
"""

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import AuditEntry, Mediator, User
from fengqiao.cases import workflow
from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    Channel,
    Outcome,
    PartyKind,
    Status,
    Tier,
)
from fengqiao.cases.models import (
    Agreement,
    Dispute,
    FollowUpVisit,
    JudicialConfirmation,
    Party,
    Performance,
    SessionRecord,
    Transition,
)
from fengqiao.cases.schemas import parse_org_code
from fengqiao.core import clock, identity
from fengqiao.demo import consultations as demo_consultations
from fengqiao.demo import generator
from fengqiao.demo.mediators import ROSTER_SIZE, build_roster
from fengqiao.demo.places import Atlas
from fengqiao.demo.stories import account_reach
from fengqiao.demo.users import DEMO_PASSWORD, USERNAMES
from fengqiao.geography import codes
from fengqiao.geography.choices import Level
from fengqiao.legalaid.models import Consultation

pytestmark = pytest.mark.django_db

CASES = 400
SEED = 7
NOW = dt.datetime(2026, 3, 2, 15, 30)  # Asia/Shanghai; inside the official holiday calendar
HOME_TIER = {Level.VILLAGE: Tier.VILLAGE, Level.TOWNSHIP: Tier.TOWNSHIP, Level.COUNTY: Tier.COUNTY}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        with clock.frozen(NOW):
            counts = generator.generate(CASES, SEED, all_committees=False)
        yield counts
        transaction.set_rollback(True)


def histories() -> dict[int, list[Transition]]:
    out: dict[int, list[Transition]] = defaultdict(list)
    for t in Transition.objects.filter(dispute__is_demo=True).order_by("dispute_id", "at", "id"):
        out[t.dispute_id].append(t)
    return out


def intent_for(t: Transition) -> workflow.Intent:
    """The request a transition answered, rebuilt from what it recorded."""
    data = t.data
    return workflow.Intent(
        reason=t.reason,
        advice=data.get("advice", ""),
        to_tier=Tier(data["to_tier"]) if "to_tier" in data else None,
        target=data.get("target"),
        both_parties_consent=t.action == Action.EXTEND_DEADLINE,
        confirmation_result=data.get("result"),
        performance=data.get("performance"),
    )


def test_every_history_is_a_chain_from_registration_to_the_current_status(demo: dict[str, int]) -> None:
    disputes = {d.pk: d for d in Dispute.objects.filter(is_demo=True)}
    users = User.objects.select_related("organisation").in_bulk()
    assert len(disputes) == CASES
    signed = 0
    for pk, steps in histories().items():
        first = steps[0]
        assert (first.action, first.from_status, first.to_status) == (Action.REGISTER, "", Status.REGISTERED)
        assert first.at == disputes[pk].received_at
        for before, after in pairwise(steps):
            assert after.from_status == before.to_status
            assert after.at > before.at
        assert steps[-1].to_status == disputes[pk].status
        assert steps[-1].at <= timezone.make_aware(NOW)
        assert all(s.actor_name for s in steps)
        # a demo account signs only what lies in its own jurisdiction
        for s in steps:
            if s.actor_id is not None:
                signed += 1
                assert codes.contains(account_reach(users[s.actor_id]), disputes[pk].admin_unit_id)
    assert signed > 0


def test_every_step_is_one_the_workflow_allows_at_that_moment(demo: dict[str, int]) -> None:
    """Replay each history through workflow.decide with the facts of the moment."""
    disputes = {d.pk: d for d in Dispute.objects.filter(is_demo=True)}
    for pk, steps in histories().items():
        d = disputes[pk]
        status, tier = Status.REGISTERED, HOME_TIER[codes.level_of(d.admin_unit_id)]
        sessions = follow_ups = 0
        form: AgreementForm | None = None
        effective: dt.date | None = None
        refusing: set[str] = set()
        outcome = ""
        for t in steps[1:]:
            action = Action(t.action)
            if action == Action.ACCEPT:
                tier = Tier(t.data["to_tier"])
            facts = workflow.Facts(
                status=status,
                today=timezone.localdate(t.at),
                tier=tier,
                refusing_parties=tuple(sorted(refusing)),
                sessions=sessions,
                agreement_form=form,
                agreement_effective_on=effective,
                follow_ups=follow_ups,
            )
            decision = workflow.decide(action, facts, intent_for(t))
            assert decision.to_status == t.to_status, (pk, action)
            status, outcome = decision.to_status, decision.outcome or outcome
            if action in (Action.ESCALATE, Action.REFER_BACK):
                tier = Tier(t.data["to_tier"])
            elif action == Action.RECORD_SESSION:
                sessions += 1
            elif action == Action.REACH_AGREEMENT:
                form, effective = AgreementForm(t.data["form"]), dt.date.fromisoformat(t.data["effective_on"])
            elif action == Action.RECORD_FOLLOW_UP:
                follow_ups += 1
            elif action == Action.RECORD_REFUSAL:
                (refusing.add if t.data["refuses"] else refusing.discard)(t.data["party"])
        assert (d.status, d.outcome, d.tier) == (status, outcome, tier)


def test_no_agreement_without_an_earlier_session_record(demo: dict[str, int]) -> None:
    first_session = {
        row["dispute_id"]: row["held_at"]
        for row in SessionRecord.objects.filter(dispute__is_demo=True).order_by("-held_at").values()
    }
    agreements = Agreement.objects.filter(dispute__is_demo=True)
    assert agreements.count() > CASES / 2
    for a in agreements:
        assert a.dispute_id in first_session and first_session[a.dispute_id] < a.created_at
        assert a.performance_deadline is not None and a.effective_on <= a.performance_deadline
        if a.form == AgreementForm.WRITTEN:
            assert a.facts and a.terms and a.performance_method
        assert "{" not in a.terms + a.responsibilities


def test_judicial_confirmation_is_applied_for_within_thirty_days_of_the_agreement(
    demo: dict[str, int],
) -> None:
    confirmations = JudicialConfirmation.objects.filter(agreement__dispute__is_demo=True).select_related(
        "agreement", "court"
    )
    assert confirmations.exists()
    for c in confirmations:
        assert c.agreement.form == AgreementForm.WRITTEN
        assert c.agreement.effective_on <= c.applied_on <= workflow.confirmation_due(c.agreement.effective_on)
        assert c.court.kind == "court"
        assert c.decided_on is None or c.decided_on >= c.applied_on


def test_closed_disputes_have_an_outcome_and_a_closing_time_and_open_ones_neither(
    demo: dict[str, int],
) -> None:
    for d in Dispute.objects.filter(is_demo=True):
        if d.status == Status.CLOSED:
            assert d.outcome in Outcome.values and d.closed_at is not None
        else:
            assert d.outcome == "" and d.closed_at is None
        if d.accepted_at is not None:
            assert d.handling_org_id is not None
        # the deadline engine's rows: a running term while mediation is under way
        live = set(d.deadlines.filter(status="open").values_list("rule", flat=True))
        if d.status in (Status.ACCEPTED, Status.MEDIATING):
            assert live & {"mediation", "court_referred_mediation"}
        elif d.status == Status.CLOSED:
            assert not live
        if d.outcome == Outcome.TRANSFERRED:
            assert d.transfer_target


def test_resolved_disputes_were_performed_and_visited(demo: dict[str, int]) -> None:
    resolved = Dispute.objects.filter(is_demo=True, outcome=Outcome.RESOLVED)
    assert resolved.count() > CASES / 2
    performed = set(Performance.objects.filter(status="full").values_list("dispute_id", flat=True))
    visited = set(FollowUpVisit.objects.values_list("dispute_id", flat=True))
    for pk in resolved.values_list("pk", flat=True):
        assert pk in performed and pk in visited


def test_most_closed_disputes_are_resolved_and_recent_ones_are_still_open(demo: dict[str, int]) -> None:
    demo_disputes = Dispute.objects.filter(is_demo=True)
    closed = demo_disputes.filter(status=Status.CLOSED)
    rate = closed.filter(outcome=Outcome.RESOLVED).count() / closed.count()
    assert 0.7 < rate < 0.95
    cutoff = timezone.make_aware(NOW) - dt.timedelta(days=7)
    recent = demo_disputes.filter(received_at__gte=cutoff)
    assert recent.exclude(status=Status.CLOSED).count() > recent.count() / 2
    old = demo_disputes.filter(received_at__lt=timezone.make_aware(NOW) - dt.timedelta(days=120))
    assert old.exclude(status=Status.CLOSED).count() == 0


def test_the_mix_of_types_and_channels_is_not_degenerate(demo: dict[str, int]) -> None:
    demo_disputes = Dispute.objects.filter(is_demo=True)
    types = Counter(demo_disputes.values_list("dispute_type", flat=True))
    assert len(types) >= 10
    top3 = {t for t, _ in types.most_common(3)}
    assert "neighbour" in top3 and "marriage_family" in top3
    channels = Counter(demo_disputes.values_list("channel", flat=True))
    assert channels[Channel.WALK_IN] + channels[Channel.GRID_SWEEP] > CASES / 2
    assert (
        demo_disputes.filter(admin_unit_id__gte=510100000000, admin_unit_id__lt=510200000000).count()
        > CASES / 8
    )
    assert len({code // 10**8 for code in demo_disputes.values_list("admin_unit_id", flat=True)}) >= 15


def test_text_is_filled_in_and_referrals_name_their_source(demo: dict[str, int]) -> None:
    for d in Dispute.objects.filter(is_demo=True):
        assert d.summary and d.narrative and "{" not in d.summary + d.narrative
        if d.channel in ("court_referral", "police_referral", "petition_referral"):
            assert d.referred_by_org_id is not None
    for s in SessionRecord.objects.filter(dispute__is_demo=True):
        assert s.content and "{" not in s.content and s.place


def test_parties_carry_valid_identifiers(demo: dict[str, int]) -> None:
    parties = Party.objects.filter(dispute__is_demo=True)
    assert parties.count() >= 2 * CASES
    for p in parties:
        assert identity.parse_phone(p.phone) == p.phone
        if p.kind == PartyKind.PERSON:
            assert identity.parse_resident_id(p.id_number, today=NOW.date()) == p.id_number
            assert identity.gender_from_id(p.id_number) == p.gender
        elif p.org_code:
            assert parse_org_code(p.org_code) == p.org_code
    for d in Dispute.objects.filter(is_demo=True).prefetch_related("parties"):
        assert {p.role for p in d.parties.all()} >= {"applicant", "respondent"}


def test_mediators_staff_every_body_the_cases_reach(demo: dict[str, int]) -> None:
    disputes = Dispute.objects.filter(is_demo=True)
    rosters = Counter(Mediator.objects.filter(is_demo=True).values_list("organisation_id", flat=True))
    for org in set(disputes.exclude(handling_org=None).values_list("handling_org_id", flat=True)):
        assert rosters[org] >= 2
    for d in disputes.exclude(mediator=None).select_related("mediator"):
        assert d.mediator is not None and d.mediator.organisation_id == d.handling_org_id
    feiyang = User.objects.get(username="feiyang")
    assert Mediator.objects.get(user=feiyang).is_demo


def test_the_default_roster_covers_every_committee_and_centre(demo: dict[str, int]) -> None:
    atlas = Atlas()
    roster = build_roster(random.Random(1), atlas)
    committees = atlas.committees()
    assert len(committees) > 37_000
    per_org = Counter(m["organisation_id"] for m in roster)
    for org, unit in committees:
        assert per_org[org] == ROSTER_SIZE[codes.level_of(unit)]
    yi = [m for m in roster if "ii" in m["languages"]]
    liangshan = sum(1 for org, unit in committees if unit // 10**8 == 5134)
    assert yi and 0.2 < len(yi) / (liangshan * 2.2) < 0.5  # about a third (villages have 2, towns 5)


def test_everything_generated_is_marked_demo_and_the_accounts_work(demo: dict[str, int]) -> None:
    users = User.objects.filter(username__in=USERNAMES)
    assert users.count() == len(USERNAMES) and all(u.is_demo for u in users)
    assert {u.role for u in users} == set(Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    assert Dispute.objects.filter(is_demo=False).count() == 0
    assert Mediator.objects.filter(is_demo=False).count() == 0
    assert AuditEntry.objects.filter(action="demo_generate", detail__cases=CASES).count() == 1
    consultations = Consultation.objects.all()
    assert consultations.count() == demo_consultations.COUNT and all(c.is_demo for c in consultations)
    left_online = consultations.filter(from_citizen=True, received_by__username="qunzhong", reply="")
    assert left_online.count() == demo_consultations.LEFT_ONLINE  # awaiting the township's call back


def test_running_again_creates_nothing_more(demo: dict[str, int]) -> None:
    before = (
        Dispute.objects.count(),
        Mediator.objects.count(),
        User.objects.count(),
        Transition.objects.count(),
    )
    assert generator.demo_exists()
    assert generator.generate(CASES, SEED, all_committees=False) == {"skipped": 1}
    after = (
        Dispute.objects.count(),
        Mediator.objects.count(),
        User.objects.count(),
        Transition.objects.count(),
    )
    assert after == before


def test_reset_removes_the_demo_data_and_what_demo_accounts_created(demo: dict[str, int]) -> None:
    removed = generator.reset()
    assert removed["disputes"] == CASES and removed["users"] == len(USERNAMES)
    assert not generator.demo_exists()
    assert not Transition.objects.exists() and not Party.objects.exists()
    assert AuditEntry.objects.filter(action="demo_generate").exists()  # the log stays


def test_the_same_seed_gives_the_same_plan(demo: dict[str, int]) -> None:
    atlas = Atlas()
    day = dt.date(2026, 3, 2)
    first = generator.case_plan(random.Random(SEED), atlas, 50, day)
    assert first == generator.case_plan(random.Random(SEED), atlas, 50, day)
    assert first != generator.case_plan(random.Random(SEED + 1), atlas, 50, day)


def test_the_command_leaves_existing_demo_data_alone_and_lists_the_accounts(demo: dict[str, int]) -> None:
    out = io.StringIO()
    before = Dispute.objects.count()
    call_command("demo", cases=10, stdout=out)
    text = out.getvalue()
    assert "演示数据已存在" in text and DEMO_PASSWORD in text
    assert all(name in text for name in USERNAMES)
    assert Dispute.objects.count() == before
