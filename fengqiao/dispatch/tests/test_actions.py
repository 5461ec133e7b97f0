"""Dispatch on the database: proposals, single and batch assignment, and the rules the
actions enforce whatever the solver said."""

from collections.abc import Callable

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.accounts.choices import Role
from fengqiao.accounts.models import AuditEntry, Mediator, User
from fengqiao.cases.choices import Action, Status
from fengqiao.cases.models import AccessGrant, Dispute, Transition
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.testing import (
    COUNTY,
    OTHER_COUNTY,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    Personas,
    make_id_number,
)
from fengqiao.dispatch import actions, queries, solver
from fengqiao.dispatch.choices import ObjectionGround, Relation
from fengqiao.dispatch.models import DispatchRun, Interpreter, InterpreterBooking
from fengqiao.dispatch.tests.conftest import (
    MAERKANG,
    MAERKANG_VILLAGE,
    add_mediator,
    party,
    staff,
)
from fengqiao.geography.models import AdminUnit

pytestmark = pytest.mark.django_db

ANREN_VILLAGE = 510129105001  # 仁和街社区 of 安仁镇, the county's other township
Accepted = Callable[..., Dispute]


def open_load(m: Mediator) -> int:
    return Dispute.objects.filter(mediator=m).exclude(status=Status.CLOSED).count()


# ------------------------------------------------------------------ proposals


def test_the_handling_bodys_mediator_comes_first_with_every_item_explained(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    add_mediator(OTHER_VILLAGE, "陈调解")
    found = queries.propose_mediators(d)
    assert [p.mediator.name for p in found] == ["王调解", "陈调解"]
    best = found[0]
    assert not best.cross_region and best.items[0] == ("距离：承办调解组织", 0)
    assert ("擅长邻里纠纷", 0) in best.items
    assert found[1].cross_region and found[1].total > best.total


def test_the_proposal_widens_to_the_county_only_when_the_township_cannot_serve(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    add_mediator(ANREN_VILLAGE, "安仁调解")
    assert [p.mediator.name for p in queries.propose_mediators(d, limit=1)] == ["王调解"]
    Mediator.objects.filter(pk=personas.mediator.pk).update(max_load=0)
    assert [p.mediator.name for p in queries.propose_mediators(d, limit=1)] == ["安仁调解"]


# ------------------------------------------------------------------ conflicts of interest


def test_a_declared_relation_by_identity_number_bars_the_mediator(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    # the mediator declares it himself; a different spelling of the name does not matter
    actions.declare_conflict(
        personas.mediator,
        actor=personas.village_mediator,
        person_name="张叁",
        id_number=make_id_number(seq=101),
        relation=Relation.KIN,
        reason="表兄弟",
    )
    assert personas.mediator not in [p.mediator for p in queries.propose_mediators(d)]
    with pytest.raises(DomainError, match="回避") as e:
        actions.assign_checked(d, actor=personas.township_officer, mediator=personas.mediator)
    assert e.value.field == "mediator" and "第二十一条" in e.value.message
    entry = AuditEntry.objects.get(action="declare_conflict")
    assert entry.detail["id_number"].startswith("5101") and "*" in entry.detail["id_number"]


def test_a_name_only_declaration_bars_and_a_withdrawn_one_does_not(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    decl = actions.declare_conflict(
        personas.mediator, actor=personas.township_officer, person_name="李四", relation=Relation.BUSINESS
    )
    with pytest.raises(DomainError, match="回避"):
        actions.assign_checked(d, actor=personas.township_officer, mediator=personas.mediator)
    actions.withdraw_declaration(decl, actor=personas.township_officer)
    actions.assign_checked(d, actor=personas.township_officer, mediator=personas.mediator)
    d.refresh_from_db()
    assert d.mediator == personas.mediator


def test_a_partys_objection_bars_the_mediator_for_that_dispute_only(
    personas: Personas, accepted: Accepted
) -> None:
    d, other = accepted(), accepted()
    respondent = d.parties.get(name="李四")
    actions.record_objection(
        d,
        actor=personas.township_officer,
        party_id=respondent.pk,
        mediator_id=personas.mediator.pk,
        ground=ObjectionGround.VILLAGE_OFFICIAL,
    )
    with pytest.raises(DomainError, match="第二十三条"):
        actions.assign_checked(d, actor=personas.township_officer, mediator=personas.mediator)
    with pytest.raises(DomainError, match="没有"):  # no one else in reach
        actions.dispatch_one(d, personas.township_officer)
    actions.assign_checked(other, actor=personas.township_officer, mediator=personas.mediator)


def test_an_objection_must_come_from_a_party_of_the_dispute(personas: Personas, accepted: Accepted) -> None:
    d, other = accepted(), accepted()
    stranger = other.parties.first()
    assert stranger is not None
    with pytest.raises(DomainError) as e:
        actions.record_objection(
            d,
            actor=personas.township_officer,
            party_id=stranger.pk,
            mediator_id=personas.mediator.pk,
            ground=ObjectionGround.PARTIALITY,
        )
    assert e.value.field == "party"


# ------------------------------------------------------------------ caps


def test_never_over_the_cap_even_when_asked_directly(personas: Personas, accepted: Accepted) -> None:
    Mediator.objects.filter(pk=personas.mediator.pk).update(max_load=1)
    first, second = accepted(), accepted()
    actions.assign_checked(first, actor=personas.township_officer, mediator=personas.mediator)
    with pytest.raises(DomainError, match="上限1件"):
        actions.assign_checked(second, actor=personas.township_officer, mediator=personas.mediator)
    colleague = add_mediator(VILLAGE, "赵调解")
    assert actions.dispatch_one(second, personas.township_officer).mediator == colleague


def test_cross_township_dispatch_when_the_township_is_full_grants_access(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    Mediator.objects.filter(pk=personas.mediator.pk).update(max_load=0)
    helper = add_mediator(ANREN_VILLAGE, "安仁调解")
    done = actions.dispatch_one(d, personas.township_officer)
    assert done.mediator == helper
    grant = AccessGrant.objects.get(dispute=d)
    assert grant.grantee_unit_id == ANREN_VILLAGE
    t = Transition.objects.filter(dispute=d, action=Action.ASSIGN_MEDIATOR).get()
    assert "跨区域调配" in t.reason and "没有可指派的调解员" in t.reason and t.data["cross_region"]


def test_a_village_mediator_cannot_dispatch_across_regions(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    helper = add_mediator(OTHER_VILLAGE, "陈调解")
    with pytest.raises(PermissionDenied):
        actions.assign_checked(d, actor=personas.village_mediator, mediator=helper, reason="人手不足")


# ------------------------------------------------------------------ the parties' choice


def test_a_partys_choice_is_honoured_when_eligible(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    chosen = add_mediator(OTHER_VILLAGE, "陈调解", specialties=[])
    actions.record_party_choice(
        d, actor=personas.township_officer, party_id=d.parties.get(name="张三").pk, mediator_id=chosen.pk
    )
    first = queries.propose_mediators(d)[0]
    assert first.mediator == chosen and first.chosen_by_party
    done = actions.dispatch_one(d, personas.township_officer)
    assert done.mediator == chosen and "第十九条" in done.reason


def test_a_choice_the_other_side_objects_to_is_not_honoured(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    chosen = add_mediator(OTHER_VILLAGE, "陈调解")
    actions.record_party_choice(
        d, actor=personas.township_officer, party_id=d.parties.get(name="张三").pk, mediator_id=chosen.pk
    )
    actions.record_objection(
        d,
        actor=personas.township_officer,
        party_id=d.parties.get(name="李四").pk,
        mediator_id=chosen.pk,
        ground=ObjectionGround.RELATION,
    )
    found = queries.proposals_for(d)
    assert chosen not in [p.mediator for p in found.items]
    assert any("陈调解" in n and "不接受" in n for n in found.notes)
    assert actions.dispatch_one(d, personas.township_officer).mediator == personas.mediator


# ------------------------------------------------------------------ languages


def _ethnic_dispute(language: str, county: int, village: int, officer_name: str) -> tuple[Dispute, User]:
    from fengqiao.cases import actions as case_actions
    from fengqiao.core.testing import register

    officer = staff(officer_name, Role.COUNTY_OFFICER, county)
    d = register(
        officer,
        admin_unit=village,
        parties=[party("扎西" if language == "bo" else "阿果", 301, language=language), party("王五", 302)],
    )
    return case_actions.accept_dispute(d, actor=officer), officer


@pytest.mark.parametrize(("language", "county"), [("bo", MAERKANG), ("ii", 513401000000)])
def test_a_tibetan_or_yi_speaking_party_gets_a_speaker(
    personas: Personas, language: str, county: int
) -> None:
    village = (
        AdminUnit.objects.filter(code__gt=county, code__lt=county + 10**6, level=5).order_by("code").first()
    )
    assert village is not None
    d, officer = _ethnic_dispute(language, county, village.code, f"officer_{language}")
    add_mediator(village.code, "李华")  # a Mandarin speaker, same committee, listed first
    speaker = add_mediator(village.code, "次仁", languages=["zh", language], specialties=[], max_load=3)
    best = queries.propose_mediators(d)[0]
    assert best.mediator == speaker and not best.interpreters
    assert actions.dispatch_one(d, officer).mediator == speaker


def test_without_a_speaker_an_interpreter_is_booked_and_without_either_nobody_is_assigned(
    personas: Personas,
) -> None:
    d, officer = _ethnic_dispute("bo", MAERKANG, MAERKANG_VILLAGE, "maerkang")
    mandarin = add_mediator(MAERKANG_VILLAGE, "李华")
    with pytest.raises(DomainError, match="藏语翻译"):
        actions.dispatch_one(d, officer)
    interpreter = actions.add_interpreter(actor=officer, name="卓玛", languages=["bo"])
    assert Interpreter.objects.get().county_id == MAERKANG
    best = queries.propose_mediators(d)[0]
    assert best.mediator == mandarin and best.interpreters == ("bo",)
    assert any("第二十条" in label for label, _ in best.items)
    done = actions.dispatch_one(d, officer)
    assert [b.interpreter for b in done.interpreters] == [interpreter]
    assert InterpreterBooking.objects.get(dispute=d).language == "bo"


# ------------------------------------------------------------------ the batch


def test_the_batch_assigns_every_pending_dispute_in_the_county_within_the_rules(
    personas: Personas, accepted: Accepted
) -> None:
    p = personas
    Mediator.objects.filter(pk=p.mediator.pk).update(max_load=2)
    colleague = add_mediator(VILLAGE, "赵调解", max_load=1)
    add_mediator(OTHER_VILLAGE, "陈调解", max_load=2)
    far = add_mediator(ANREN_VILLAGE, "安仁调解", max_load=5)
    disputes = [accepted() for _ in range(6)]
    actions.declare_conflict(colleague, actor=p.township_officer, person_name="张三", relation=Relation.KIN)
    run = actions.dispatch_batch(COUNTY, p.county_officer)
    assert run.run.considered == 6 and run.run.assigned == 6 and run.run.unassigned == 0
    for m in Mediator.objects.all():
        assert open_load(m) <= m.max_load
    assert not Dispute.objects.filter(mediator=colleague).exists()  # 张三 is a party of every one
    assert Dispute.objects.filter(mediator=p.mediator).count() == 2
    assert set(
        Dispute.objects.filter(pk__in=[d.pk for d in disputes]).values_list("mediator__name", flat=True)
    ) == {
        "王调解",
        "陈调解",
        "安仁调解",
    }
    assert (
        AccessGrant.objects.filter(grantee_unit_id=ANREN_VILLAGE).count()
        == Dispute.objects.filter(mediator=far).count()
    )
    t = Transition.objects.filter(action=Action.ASSIGN_MEDIATOR, dispute__mediator=far).first()
    assert t is not None and "跨区域调配" in t.reason and "满额" in t.reason
    assert DispatchRun.objects.get().detail["arcs"] > 0
    # every assignment went through the one write path: its own Transition and audit entry
    assert Transition.objects.filter(action=Action.ASSIGN_MEDIATOR).count() == 6
    assert AuditEntry.objects.filter(action="assign_mediator").count() == 6
    assert AuditEntry.objects.filter(action="dispatch_batch").count() == 1
    # a second run finds nothing left to do
    assert actions.dispatch_batch(COUNTY, p.county_officer).run.considered == 0


def test_the_bulk_write_checks_again_what_changed_after_planning(
    personas: Personas, accepted: Accepted
) -> None:
    p = personas
    d = accepted()
    inst = queries.batch_instance(queries.pending_for(p.county_officer, COUNTY))
    plan = solver.plan(inst)
    assert plan.assignments[0].mediator_id == p.mediator.pk
    actions.declare_conflict(p.mediator, actor=p.township_officer, person_name="李四", relation=Relation.KIN)
    result = actions.apply_plan(inst, plan, actor=p.county_officer)
    assert result.applied == [] and "回避" in result.skipped[d.pk]
    d.refresh_from_db()
    assert d.mediator is None


def test_the_batch_is_scoped_to_the_actors_jurisdiction(personas: Personas) -> None:
    with pytest.raises(NotFound):
        actions.dispatch_batch(OTHER_COUNTY, personas.county_officer)
    with pytest.raises(PermissionDenied):
        actions.dispatch_batch(VILLAGE, personas.village_mediator)
    assert actions.dispatch_batch(TOWNSHIP, personas.township_officer).run.considered == 0


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    caps=st.lists(st.integers(0, 3), min_size=3, max_size=3),
    n=st.integers(1, 6),
    conflicted=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_on_the_database_the_batch_never_breaks_a_cap_or_a_conflict(
    personas: Personas, caps: list[int], n: int, conflicted: list[bool]
) -> None:
    from fengqiao.cases import actions as case_actions
    from fengqiao.core.testing import register

    with transaction.atomic():
        units = [VILLAGE, OTHER_VILLAGE, ANREN_VILLAGE]
        roster = [
            add_mediator(u, f"调解员{i}", max_load=c)
            for i, (u, c) in enumerate(zip(units, caps, strict=True))
        ]
        Mediator.objects.filter(pk=personas.mediator.pk).update(is_active=False)
        for m, bad in zip(roster, conflicted, strict=True):
            if bad:
                actions.declare_conflict(
                    m, actor=personas.county_officer, person_name="李四", relation=Relation.OTHER
                )
        for _ in range(n):
            case_actions.accept_dispute(register(personas.county_officer), actor=personas.county_officer)
        out = actions.dispatch_batch(COUNTY, personas.county_officer)
        for m, bad in zip(roster, conflicted, strict=True):
            load = open_load(m)
            assert load <= m.max_load and (load == 0 or not bad)
        free = sum(c for c, bad in zip(caps, conflicted, strict=True) if not bad)
        assert out.run.assigned == min(n, free)
        transaction.set_rollback(True)
