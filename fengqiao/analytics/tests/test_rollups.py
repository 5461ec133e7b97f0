"""The incremental job and the full rebuild agree, row for row, and the job never counts
a step twice — with two workers, late commits, or a rebuild in between."""

import datetime as dt
import io

import numpy as np
import pytest
from django.core.management import call_command

from fengqiao.analytics import rebuild, rollups, sql
from fengqiao.analytics.models import Grain, Rollup, RollupState
from fengqiao.cases import actions
from fengqiao.cases.choices import AgreementForm, DisputeType, RiskLevel, Satisfaction, Tier, VisitMethod
from fengqiao.cases.models import Dispute, Transition
from fengqiao.core import clock
from fengqiao.core.testing import COUNTY, VILLAGE, Personas, register
from fengqiao.demo import generator

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 10, 20, 10, 0, tzinfo=dt.UTC)


def _incremental_from_scratch() -> dict[rollups.Cell, list[int]]:
    Rollup.objects.all().delete()
    RollupState.objects.all().delete()
    rollups.catch_up(limit=997)  # an odd batch size splits disputes across steps
    return rollups.rows_by_cell()


def _rebuilt() -> dict[rollups.Cell, list[int]]:
    rollups.rebuild()
    return rollups.rows_by_cell()


def test_incremental_and_rebuild_agree_on_a_generated_province() -> None:
    with clock.frozen(AT):
        generator.generate(400, seed=11, all_committees=False)
    incremental = _incremental_from_scratch()
    rebuilt = _rebuilt()
    assert incremental.keys() == rebuilt.keys()
    assert incremental == rebuilt
    assert any(c[0] == Grain.PROVINCE and c[3] == "" for c in rebuilt)  # month totals exist
    # and the province's rows sum to its villages' rows
    base = [v for c, v in rebuilt.items() if c[0] == Grain.BASE]
    province = [v for c, v in rebuilt.items() if c[0] == Grain.PROVINCE and c[3] and c[4] and c[5]]
    totals = [v for c, v in rebuilt.items() if c[0] == Grain.CITY and not (c[3] or c[4] or c[5])]
    sums = [sum(col) for col in zip(*base, strict=True)]
    assert sums == [sum(col) for col in zip(*province, strict=True)]
    assert sums == [sum(col) for col in zip(*totals, strict=True)]


def test_the_rebuild_in_many_id_ranges_gives_the_rows_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool replays id ranges in separate processes, each of which numbers the
    types, tiers and channels in the order it meets them; merged, the rows are the
    same as from one pass over every dispute."""
    with clock.frozen(AT):
        generator.generate(300, seed=5, all_committees=False)
    monkeypatch.setattr(rebuild, "workers", lambda: 1)
    monkeypatch.setattr(rebuild, "CHUNK", 10**9)
    assert len(rebuild._ranges(*sql.id_range(sql.DISPUTES))) == 1
    whole = _rebuilt()
    monkeypatch.setattr(rebuild, "CHUNK", 17)
    assert len(rebuild._ranges(*sql.id_range(sql.DISPUTES))) >= 300 // 17
    assert _rebuilt() == whole
    assert sum(v[0] for c, v in whole.items() if c[0] == Grain.BASE) == 300  # registered


def test_codes_numbered_by_another_process_are_adopted() -> None:
    ours, theirs = rebuild.Keys(), rebuild.Keys()
    unit = 510129101203
    ours.key(unit, 202601, DisputeType.LABOUR, Tier.VILLAGE, "walk_in")
    k = theirs.key(unit, 202602, DisputeType.NEIGHBOUR, Tier.TOWNSHIP, "online")
    part = rebuild.Part(
        theirs.types, theirs.tiers, theirs.channels, np.array([k]), np.zeros((1, 1), np.int32), np.zeros(1)
    )
    assert ours.adopt(part).tolist() == [
        ours.key(unit, 202602, DisputeType.NEIGHBOUR, Tier.TOWNSHIP, "online")
    ]
    assert ours.adopt(part).tolist() != [k]  # the codes did differ
    assert ours.combo(ours.adopt(part)[0]) == (DisputeType.NEIGHBOUR, Tier.TOWNSHIP, "online")


def test_steps_after_a_rebuild_are_applied_once(personas: Personas) -> None:
    p = personas
    with clock.frozen(AT):
        d = register(p.village_mediator)
        rollups.rebuild()
        actions.accept_dispute(d, actor=p.village_mediator)
        actions.reclassify_dispute(
            d, actor=p.village_mediator, dispute_type=DisputeType.LABOUR, reason="实为欠薪"
        )
        actions.escalate_dispute(d, actor=p.village_mediator, to_tier=Tier.TOWNSHIP, reason="涉及多方")
    assert rollups.update() == 3
    assert rollups.update() == 0
    incremental = rollups.rows_by_cell()
    assert incremental == _rebuilt()
    # the whole history moved to the new type and tier
    county = [c for c in incremental if c[0] == Grain.COUNTY and c[1] == COUNTY]
    assert {c[3] for c in county if c[3]} == {"labour"} and {c[4] for c in county if c[4]} == {"township"}


def test_a_second_worker_with_the_same_watermark_writes_nothing(personas: Personas) -> None:
    with clock.frozen(AT):
        register(personas.village_mediator)
    st = rollups.state()
    plan = rollups._plan(st, 100)
    assert plan is not None
    assert rollups.update() == 1
    # a worker that read the old watermark loses the compare-and-set
    moved = RollupState.objects.filter(pk=st.pk, version=plan.version).update(version=plan.version + 1)
    assert moved == 0
    assert rollups.update() == 0
    totals = [v for c, v in rollups.rows_by_cell().items() if c[0] == Grain.PROVINCE and not any(c[3:])]
    assert sum(v[0] for v in totals) == 1


def test_a_step_committed_late_below_the_watermark_is_found_in_the_gaps(personas: Personas) -> None:
    """PostgreSQL hands out ids before commit: a transaction can commit an id the job has
    already passed. Simulated here by hiding a row and putting it back."""
    p = personas
    with clock.frozen(AT):
        d = register(p.village_mediator)
        actions.accept_dispute(d, actor=p.village_mediator)
        actions.withdraw_dispute(d, actor=p.village_mediator, reason="双方已私下和解")
    accept = Transition.objects.get(dispute=d, action="accept")
    saved = {f.attname: getattr(accept, f.attname) for f in Transition._meta.concrete_fields}
    first = Transition.objects.filter(dispute=d).order_by("id")[0].id

    def gaps() -> list[list[int]]:
        # ids below this test's own (used by earlier tests: PostgreSQL's sequences go on)
        return [g[:2] for g in rollups.state().gaps if g[1] >= first]

    accept.delete()  # "not yet committed"
    assert rollups.update() == 2
    assert gaps() == [[saved["id"], saved["id"]]]
    Transition.objects.create(**saved)  # "committed now"
    assert rollups.update() == 1
    assert gaps() == []
    assert rollups.rows_by_cell() == _rebuilt()


def test_gaps_are_given_up_after_a_day(personas: Personas) -> None:
    with clock.frozen(AT):
        d = register(personas.village_mediator)
        actions.accept_dispute(d, actor=personas.village_mediator)
    Transition.objects.filter(dispute=d, action="register").delete()  # a rolled-back id
    with clock.frozen(AT):
        rollups.update()
    assert len(rollups.state().gaps) == 1
    with clock.frozen(AT + dt.timedelta(hours=25)):
        rollups.update()
    assert rollups.state().gaps == []


def test_the_rebuild_moves_the_watermark_so_a_worker_in_flight_loses(personas: Personas) -> None:
    with clock.frozen(AT):
        register(personas.village_mediator)
    st = rollups.state()
    rollups.rebuild()
    assert RollupState.objects.get(pk=st.pk).version == st.version + 1
    assert RollupState.objects.filter(pk=st.pk, version=st.version).update(last_id=0) == 0
    assert rollups.update() == 0


def test_local_month_and_day_follow_asia_shanghai(personas: Personas) -> None:
    # 2026-10-31 17:30 UTC is 1 November 01:30 in Sichuan
    with clock.frozen(dt.datetime(2026, 10, 31, 17, 30, tzinfo=dt.UTC)):
        d = register(personas.village_mediator, admin_unit=VILLAGE)
    rollups.update()
    assert {c[2] for c in rollups.rows_by_cell()} == {202611}
    (step,) = sql.steps_by_dispute([d.pk])[d.pk]
    assert (step.month, step.day) == (202611, sql.day_number(dt.date(2026, 11, 1)))
    case = sql.cases_by_id([d.pk])[d.pk]
    assert (case.received_month, case.received_day) == (202611, step.day)


def test_the_reader_extracts_what_each_action_records(personas: Personas) -> None:
    vm = personas.village_mediator
    with clock.frozen(AT):
        d = register(vm, amount="1234.56")
        actions.reclassify_dispute(d, actor=vm, dispute_type=DisputeType.LABOUR, reason="实为欠薪")
        actions.reclassify_dispute(d, actor=vm, risk_level=RiskLevel.HIGH, reason="有过激言辞")
        actions.accept_dispute(d, actor=vm)
        actions.record_session(d, actor=vm, held_at=clock.now(), place="村委会", content="调解")
        actions.reach_agreement(
            d, actor=vm, form=AgreementForm.ORAL, facts="", terms="当场赔偿", performance_method="现金"
        )
        actions.record_follow_up(d, actor=vm, method=VisitMethod.PHONE, satisfaction=Satisfaction.FAIRLY)
    steps = sql.steps_by_dispute([d.pk])[d.pk]
    got = [(s.action, s.detail, s.old_type) for s in steps]
    assert got == [
        ("register", "", ""),
        ("reclassify", "labour", "neighbour"),
        ("reclassify", "", ""),  # changed the risk level only
        ("accept", "village", ""),
        ("record_session", "", ""),
        ("reach_agreement", "oral", ""),
        ("record_follow_up", "fairly", ""),
    ]
    assert [s.id for s in steps] == sorted(s.id for s in steps)
    assert sql.cases_by_id([d.pk])[d.pk].amount_cents == 123456


def test_the_demo_reset_recounts_the_rollups_without_the_removed_disputes() -> None:
    """Deleted rows leave no step for the job to follow: ``fengqiao demo --reset`` rebuilds."""
    out = io.StringIO()
    with clock.frozen(AT):
        call_command("demo", "--cases", "60", stdout=out)
        rollups.catch_up()
        call_command("demo", "--cases", "25", "--reset", stdout=out)
    totals = [v for c, v in rollups.rows_by_cell().items() if c[0] == Grain.PROVINCE and not any(c[3:])]
    assert sum(v[0] for v in totals) == Dispute.objects.count() == 25
    assert rollups.update() == 0  # the watermark moved with the rebuild
