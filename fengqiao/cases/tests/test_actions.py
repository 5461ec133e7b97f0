"""Actions on the database: each writes its change, a transition and an audit entry."""

import datetime as dt

import pytest

from fengqiao.accounts.models import AuditEntry
from fengqiao.cases import actions, queries
from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    ConfirmationResult,
    Outcome,
    PerformanceStatus,
    Satisfaction,
    Status,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.testing import OTHER_COUNTY_VILLAGE, TOWNSHIP, Personas, register
from fengqiao.geography.choices import OrgKind

pytestmark = pytest.mark.django_db


def mediate_to_agreement(p: Personas, d: Dispute, form: AgreementForm = AgreementForm.WRITTEN) -> Dispute:
    actor = p.village_mediator
    actions.accept_dispute(d, actor=actor)
    actions.assign_mediator(d, actor=actor, mediator=p.mediator)
    actions.record_session(
        d, actor=actor, held_at=clock.now(), place="村委会调解室", content="双方陈述，达成一致"
    )
    actions.reach_agreement(
        d,
        actor=actor,
        form=form,
        facts="被申请人修院墙堵塞排水沟",
        responsibilities="被申请人负主要责任",
        terms="被申请人七日内疏通排水沟并赔偿1500元",
        performance_method="现金支付、现场疏通",
        performance_deadline=clock.today() + dt.timedelta(days=7),
    )
    d.refresh_from_db()
    return d


def test_the_whole_village_journey_ends_resolved_with_every_step_in_the_timeline(personas: Personas) -> None:
    p = personas
    d = register(p.village_mediator)
    assert d.status == Status.REGISTERED and d.tier == Tier.VILLAGE
    d = mediate_to_agreement(p, d)
    assert d.status == Status.AGREED
    assert d.handling_org is not None and d.handling_org.kind == OrgKind.MEDIATION_COMMITTEE
    # the agreement met the mediation term and started the 30 days for judicial confirmation
    assert list(d.deadlines.values_list("rule", "status")) == [
        ("mediation", "met"),
        ("judicial_confirmation", "open"),
    ]
    actions.apply_confirmation(d, actor=p.village_mediator)
    actions.record_confirmation(d, actor=p.village_mediator, result=ConfirmationResult.VALID)
    actions.record_performance(d, actor=p.village_mediator, status=PerformanceStatus.FULL)
    actions.record_follow_up(
        d, actor=p.grid_worker, method=VisitMethod.HOME, satisfaction=Satisfaction.SATISFIED
    )
    actions.close_dispute(d, actor=p.village_mediator)
    d.refresh_from_db()
    assert (d.status, d.outcome) == (Status.CLOSED, Outcome.RESOLVED)
    assert d.closed_at is not None
    steps = list(queries.timeline(d).values_list("action", "from_status", "to_status"))
    assert [s[0] for s in steps] == [
        Action.REGISTER,
        Action.ACCEPT,
        Action.ASSIGN_MEDIATOR,
        Action.RECORD_SESSION,
        Action.REACH_AGREEMENT,
        Action.APPLY_CONFIRMATION,
        Action.RECORD_CONFIRMATION,
        Action.RECORD_PERFORMANCE,
        Action.RECORD_FOLLOW_UP,
        Action.CLOSE,
    ]
    assert steps[-1][1:] == (Status.PERFORMED, Status.CLOSED)
    assert AuditEntry.objects.filter(object_type="cases.dispute", object_id=str(d.pk)).count() == len(steps)


def test_a_refused_step_writes_nothing(personas: Personas) -> None:
    d = register(personas.village_mediator)
    actions.accept_dispute(d, actor=personas.village_mediator)
    before = (d.transitions.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match="笔录"):
        actions.reach_agreement(
            d,
            actor=personas.village_mediator,
            form=AgreementForm.ORAL,
            facts="",
            terms="赔偿",
            performance_method="",
        )
    d.refresh_from_db()
    assert d.status == Status.ACCEPTED
    assert (d.transitions.count(), AuditEntry.objects.count()) == before
    assert not d.agreements.exists()


def test_a_partys_refusal_stops_mediation_until_withdrawn(personas: Personas) -> None:
    actor = personas.village_mediator
    d = register(actor)
    respondent = d.parties.get(role="respondent")
    actions.record_refusal(d, actor=actor, party_id=respondent.pk, refuses=True, reason="李四表示不接受调解")
    with pytest.raises(DomainError, match="第十七条"):
        actions.accept_dispute(d, actor=actor)
    actions.record_refusal(d, actor=actor, party_id=respondent.pk, refuses=False, reason="李四同意调解")
    assert actions.accept_dispute(d, actor=actor).status == Status.ACCEPTED


def test_confirmation_after_thirty_days_is_refused(personas: Personas) -> None:
    p = personas
    with clock.frozen(dt.datetime(2026, 3, 2, 9, 0)):
        d = mediate_to_agreement(p, register(p.village_mediator))
    with clock.frozen(dt.datetime(2026, 4, 2, 9, 0)), pytest.raises(DomainError, match="三十日"):
        actions.apply_confirmation(d, actor=p.village_mediator)
    with clock.frozen(dt.datetime(2026, 4, 1, 9, 0)):
        assert actions.apply_confirmation(d, actor=p.village_mediator).court.kind == OrgKind.COURT


def test_escalation_moves_the_case_to_the_township_and_out_of_the_villages_hands(personas: Personas) -> None:
    p = personas
    d = register(p.village_mediator)
    actions.accept_dispute(d, actor=p.village_mediator)
    actions.escalate_dispute(
        d, actor=p.village_mediator, to_tier=Tier.TOWNSHIP, reason="涉及宅基地权属，村级无法调处"
    )
    d.refresh_from_db()
    assert d.tier == Tier.TOWNSHIP and d.status == Status.ACCEPTED
    assert d.handling_org is not None and d.handling_org.admin_unit_id == TOWNSHIP
    # the village still sees it, but may no longer act on it
    assert queries.dispute_for(p.village_mediator, d.pk)
    with pytest.raises(PermissionDenied):
        actions.record_session(
            d, actor=p.village_mediator, held_at=clock.now(), place="村委会", content="调解"
        )
    actions.record_session(d, actor=p.township_officer, held_at=clock.now(), place="司法所", content="调解")
    last = d.transitions.filter(action=Action.ESCALATE).get()
    assert last.data["from_tier"] == Tier.VILLAGE and last.data["to_tier"] == Tier.TOWNSHIP
    assert "宅基地" in last.reason
    actions.refer_back_dispute(
        d, actor=p.township_officer, to_tier=Tier.VILLAGE, reason="权属已查明，退回村级调解"
    )
    d.refresh_from_db()
    assert d.tier == Tier.VILLAGE


def test_failed_mediation_then_transfer_to_court(personas: Personas) -> None:
    p = personas
    d = register(p.village_mediator)
    actions.accept_dispute(d, actor=p.village_mediator)
    actions.fail_mediation(d, actor=p.village_mediator, advice="可向大邑县人民法院提起诉讼")
    actions.transfer_dispute(
        d, actor=p.village_mediator, target=TransferTarget.COURT, reason="当事人选择诉讼"
    )
    d.refresh_from_db()
    assert (d.status, d.outcome, d.transfer_target) == (
        Status.CLOSED,
        Outcome.TRANSFERRED,
        TransferTarget.COURT,
    )
    assert d.transferred_to_org == p.partner_court.organisation
    # the court now sees the case it received
    assert queries.dispute_for(p.partner_court, d.pk) == d


def test_out_of_jurisdiction_actors_get_not_found(personas: Personas) -> None:
    p = personas
    d = register(p.village_mediator)
    for outsider in (
        p.other_township_officer,
        p.other_county_officer,
        p.citizen,
        p.audit_admin,
        p.system_admin,
    ):
        with pytest.raises(NotFound):
            queries.dispute_for(outsider, d.pk)
        with pytest.raises(NotFound):
            actions.accept_dispute(d, actor=outsider)
    for insider in (p.township_officer, p.county_officer, p.city_analyst, p.province_analyst):
        assert queries.dispute_for(insider, d.pk) == d


def test_analysts_read_but_do_not_act(personas: Personas) -> None:
    d = register(personas.village_mediator)
    with pytest.raises(PermissionDenied):
        actions.accept_dispute(d, actor=personas.city_analyst)


def test_registration_outside_ones_jurisdiction_is_refused(personas: Personas) -> None:
    with pytest.raises(DomainError, match="管辖范围") as e:
        register(personas.village_mediator, admin_unit=OTHER_COUNTY_VILLAGE)
    assert e.value.field == "admin_unit"


def test_a_citizen_sees_only_his_own_disputes(personas: Personas) -> None:
    mine = register(personas.citizen, channel="online")
    theirs = register(personas.village_mediator)
    assert list(queries.disputes_for(personas.citizen)) == [mine]
    with pytest.raises(NotFound):
        queries.dispute_for(personas.citizen, theirs.pk)


def test_extension_moves_the_deadline_with_consent(personas: Personas) -> None:
    actor = personas.village_mediator
    with clock.frozen(dt.datetime(2026, 3, 2, 9, 0)):
        d = register(actor)
        actions.accept_dispute(d, actor=actor)
        term = d.deadlines.get(status="open")
        assert (term.rule, term.due_on) == ("mediation", dt.date(2026, 4, 2))
        actions.extend_mediation(d, actor=actor, both_parties_consent=True, reason="需等待房屋鉴定")
        term.refresh_from_db()
        assert term.due_on == dt.date(2026, 5, 6) and term.extensions == 1  # 2 May: Labour Day holiday


def test_cross_region_dispatch_grants_time_bounded_access(personas: Personas) -> None:
    from fengqiao.accounts.models import Mediator
    from fengqiao.cases.models import AccessGrant
    from fengqiao.core.testing import OTHER_COUNTY_VILLAGE
    from fengqiao.geography.models import Organisation

    p = personas
    d = register(p.village_mediator)
    actions.accept_dispute(d, actor=p.township_officer)
    far = Mediator.objects.create(
        name="尔古",
        organisation=Organisation.objects.get(admin_unit_id=OTHER_COUNTY_VILLAGE),
        languages=["ii"],
    )
    with pytest.raises(DomainError, match="跨区域"):
        actions.assign_mediator(d, actor=p.township_officer, mediator=far)
    with pytest.raises(PermissionDenied):
        actions.assign_mediator(d, actor=p.village_mediator, mediator=far, cross_region=True, reason="需彝语")
    with pytest.raises(NotFound):
        queries.dispute_for(p.other_township_officer, d.pk)
    actions.assign_mediator(
        d, actor=p.township_officer, mediator=far, cross_region=True, reason="当事人只会彝语"
    )
    grant = AccessGrant.objects.get(dispute=d)
    assert grant.grantee_unit_id == OTHER_COUNTY_VILLAGE and grant.valid_until > clock.now()
    # the far village and the officers above it now see the case, until the grant lapses
    assert queries.dispute_for(p.other_county_officer, d.pk) == d
    with clock.frozen(grant.valid_until + dt.timedelta(seconds=1)), pytest.raises(NotFound):
        queries.dispute_for(p.other_county_officer, d.pk)
