"""A small county's year of disputes, built through the real write paths
(``cases.actions`` and ``intake.submit_dispute``) with the clock set to each step's day.

Every path the figures distinguish is here: resolved at village, township and county
tier, oral and written agreements, judicial confirmation valid / invalid (remediated) /
rejected, partial then full performance, failure closed or transferred, escalation up
to the county and failure there (上交), transfer before acceptance, withdrawal,
refusal to accept, reclassification, follow-up after closing, disputes recorded at the
township and county themselves, another county, a dispute a year earlier, and open
disputes in several statuses, one past its mediation term.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fengqiao.accounts.models import User
from fengqiao.cases import actions
from fengqiao.cases.choices import (
    AgreementForm,
    ConfirmationResult,
    DisputeType,
    PerformanceStatus,
    Satisfaction,
    Tier,
    TransferTarget,
    VisitMethod,
)
from fengqiao.cases.models import Dispute
from fengqiao.cases.schemas import DisputeIn
from fengqiao.core import clock
from fengqiao.core.testing import (
    COUNTY,
    OTHER_COUNTY_VILLAGE,
    OTHER_VILLAGE,
    SECOND_TOWNSHIP,
    TOWNSHIP,
    Personas,
    dispute_payload,
    register,
)
from fengqiao.intake.actions import submit_dispute

TODAY = dt.date(2026, 11, 3)


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Local ``hour`` o'clock of ``day`` (Asia/Shanghai is UTC+8)."""
    with clock.frozen(dt.datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=dt.UTC)):
        yield


def _session(d: Dispute, actor: User) -> None:
    actions.record_session(
        d, actor=actor, held_at=clock.now(), place="调解室", content="双方陈述，调解员释法说理"
    )


def _agree(d: Dispute, actor: User, form: AgreementForm = AgreementForm.WRITTEN) -> None:
    _session(d, actor)
    actions.reach_agreement(
        d,
        actor=actor,
        form=form,
        facts="双方就赔偿数额发生争议",
        terms="被申请人于十日内赔偿申请人二千元",
        performance_method="现金支付",
        performance_deadline=clock.today() + dt.timedelta(days=10),
    )


def _visit(d: Dispute, actor: User, satisfaction: Satisfaction = Satisfaction.SATISFIED) -> None:
    actions.record_follow_up(d, actor=actor, method=VisitMethod.PHONE, satisfaction=satisfaction)


def _finish(
    d: Dispute, actor: User, visitor: User, satisfaction: Satisfaction = Satisfaction.SATISFIED
) -> None:
    actions.record_performance(d, actor=actor, status=PerformanceStatus.FULL)
    _visit(d, visitor, satisfaction)
    actions.close_dispute(d, actor=actor)


def _reg(actor: User, day: dt.date, **kw: Any) -> Dispute:
    with on(day):
        return register(actor, **kw)


def build(p: Personas, village_of_second_township: int) -> dict[str, Dispute]:
    """Create the scenario; returns the disputes by name."""
    vm, gw, to, co, oc = (
        p.village_mediator,
        p.grid_worker,
        p.township_officer,
        p.county_officer,
        p.other_county_officer,
    )
    a = actions
    out: dict[str, Dispute] = {}
    steps: list[tuple[dt.date, Callable[..., object], tuple[Any, ...], dict[str, Any]]] = []

    def later(day: dt.date, fn: Callable[..., object], *args: Any, **kw: Any) -> None:
        steps.append((day, fn, args, kw))

    # 1. resolved at the village with a written agreement confirmed by the court (45 days)
    d = out["confirmed"] = _reg(vm, dt.date(2026, 9, 5), amount="12000", people_involved=3)
    later(dt.date(2026, 9, 8), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 9, 8), _agree, d, vm)
    later(dt.date(2026, 9, 20), a.apply_confirmation, d, actor=vm)
    later(dt.date(2026, 10, 9), a.record_confirmation, d, actor=vm, result=ConfirmationResult.VALID)
    later(dt.date(2026, 10, 20), _finish, d, vm, gw)

    # 2. an oral agreement performed on the spot, closed the same month (grid sweep)
    d = out["oral"] = _reg(gw, dt.date(2026, 10, 2), channel="grid_sweep", dispute_type="housing_homestead")
    later(dt.date(2026, 10, 3), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 10, 3), _agree, d, vm, AgreementForm.ORAL)
    later(dt.date(2026, 10, 3), _finish, d, vm, gw)

    # 3. failed at the village and closed; visited after closing, dissatisfied
    d = out["failed"] = _reg(vm, dt.date(2026, 8, 3), amount="500")
    later(dt.date(2026, 8, 10), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 8, 10), _session, d, vm)
    later(dt.date(2026, 8, 10), a.fail_mediation, d, actor=vm, advice="可向大邑县人民法院起诉")
    later(dt.date(2026, 10, 12), a.close_dispute, d, actor=vm)
    later(dt.date(2026, 10, 25), _visit, d, gw, Satisfaction.DISSATISFIED)

    # 4. escalated to the township and resolved there
    d = out["township"] = _reg(
        vm, dt.date(2026, 9, 28), dispute_type="labour", amount="30000", people_involved=8
    )
    later(dt.date(2026, 9, 29), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 9, 29), a.escalate_dispute, d, actor=vm, to_tier=Tier.TOWNSHIP, reason="涉及多名工人")
    later(dt.date(2026, 10, 15), _agree, d, to)
    later(dt.date(2026, 10, 15), _finish, d, to, to, Satisfaction.FAIRLY)

    # 5. up to the county, failed there and transferred to court (矛盾上交)
    d = out["upward"] = _reg(vm, dt.date(2026, 9, 1), dispute_type="land_requisition")
    later(dt.date(2026, 9, 2), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 9, 2), _session, d, vm)
    later(dt.date(2026, 9, 2), a.fail_mediation, d, actor=vm, advice="上报镇司法所")
    later(dt.date(2026, 9, 2), a.escalate_dispute, d, actor=vm, to_tier=Tier.TOWNSHIP, reason="村级调解不成")
    later(dt.date(2026, 9, 16), a.escalate_dispute, d, actor=to, to_tier=Tier.COUNTY, reason="涉及征地补偿")
    later(dt.date(2026, 10, 16), _session, d, co)
    later(dt.date(2026, 10, 16), a.fail_mediation, d, actor=co, advice="可向人民法院起诉")
    later(
        dt.date(2026, 10, 16), a.transfer_dispute, d, actor=co, target=TransferTarget.COURT, reason="移交诉讼"
    )

    # 6.–8. handed to the police before acceptance; withdrawn; not accepted
    d = out["to_police"] = _reg(vm, dt.date(2026, 10, 4), dispute_type="damages")
    later(
        dt.date(2026, 10, 5),
        a.transfer_dispute,
        d,
        actor=vm,
        target=TransferTarget.POLICE,
        reason="涉嫌故意伤害",
    )
    d = out["withdrawn"] = _reg(vm, dt.date(2026, 10, 6))
    later(dt.date(2026, 10, 7), a.withdraw_dispute, d, actor=vm, reason="双方自行和解")
    d = out["declined"] = _reg(vm, dt.date(2026, 10, 8))
    later(dt.date(2026, 10, 8), a.decline_dispute, d, actor=vm, reason="已由人民法院受理")

    # 9. reclassified from neighbour to labour, agreed, still open
    d = out["reclassified"] = _reg(vm, dt.date(2026, 9, 10))
    later(
        dt.date(2026, 10, 1),
        a.reclassify_dispute,
        d,
        actor=vm,
        dispute_type=DisputeType.LABOUR,
        reason="实为劳务费",
    )
    later(dt.date(2026, 10, 1), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 10, 1), _agree, d, vm)

    # 10. open: one waiting, one accepted in August and past its one-month term
    out["waiting"] = _reg(vm, dt.date(2026, 10, 30), channel="phone_12348")
    d = out["overdue"] = _reg(vm, dt.date(2026, 8, 20), dispute_type="contract", amount="80000")
    later(dt.date(2026, 8, 21), a.accept_dispute, d, actor=vm)

    # 11. the other village of the township, through intake (with triage), grid sweep
    with on(dt.date(2026, 10, 10)):
        payload = dispute_payload(admin_unit=OTHER_VILLAGE, channel="grid_sweep")
        d = out["intake"] = submit_dispute(DisputeIn.model_validate(payload), actor=to)
    later(dt.date(2026, 10, 11), a.accept_dispute, d, actor=to)
    later(dt.date(2026, 10, 11), _session, d, to)

    # 12.–13. recorded at the township and at the county themselves
    d = out["at_township"] = _reg(to, dt.date(2026, 10, 13), admin_unit=TOWNSHIP)
    later(dt.date(2026, 10, 14), a.accept_dispute, d, actor=to)
    later(dt.date(2026, 10, 14), _agree, d, to)
    later(dt.date(2026, 10, 14), _finish, d, to, to)
    d = out["at_county"] = _reg(co, dt.date(2026, 10, 14), admin_unit=COUNTY)
    later(dt.date(2026, 10, 15), a.accept_dispute, d, actor=co)

    # 14. the second township of the county, and another county
    d = out["second_township"] = _reg(co, dt.date(2026, 10, 2), admin_unit=village_of_second_township)
    later(dt.date(2026, 10, 3), a.accept_dispute, d, actor=co)
    later(dt.date(2026, 10, 3), _agree, d, co)
    d = out["other_county"] = _reg(oc, dt.date(2026, 10, 5), admin_unit=OTHER_COUNTY_VILLAGE)
    later(dt.date(2026, 10, 6), a.accept_dispute, d, actor=oc)
    later(dt.date(2026, 10, 6), _agree, d, oc)
    later(dt.date(2026, 10, 6), _finish, d, oc, oc)

    # 15. confirmation found invalid: mediated again, a new (oral) agreement, resolved
    d = out["invalid"] = _reg(vm, dt.date(2026, 9, 12), dispute_type="contract", amount="6000")
    later(dt.date(2026, 9, 13), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 9, 13), _agree, d, vm)
    later(dt.date(2026, 9, 14), a.apply_confirmation, d, actor=vm)
    later(dt.date(2026, 10, 2), a.record_confirmation, d, actor=vm, result=ConfirmationResult.INVALID)
    later(dt.date(2026, 10, 2), _agree, d, vm, AgreementForm.ORAL)
    later(dt.date(2026, 10, 22), _finish, d, vm, vm)

    # 16. confirmation rejected, the agreement not performed: transferred to court
    d = out["rejected"] = _reg(vm, dt.date(2026, 10, 1), dispute_type="contract")
    later(dt.date(2026, 10, 2), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 10, 2), _agree, d, vm)
    later(dt.date(2026, 10, 3), a.apply_confirmation, d, actor=vm)
    later(dt.date(2026, 10, 9), a.record_confirmation, d, actor=vm, result=ConfirmationResult.REJECTED)
    later(dt.date(2026, 10, 9), a.record_performance, d, actor=vm, status=PerformanceStatus.NONE)
    later(
        dt.date(2026, 10, 9),
        a.transfer_dispute,
        d,
        actor=vm,
        target=TransferTarget.COURT,
        reason="申请强制执行",
    )

    # 17. partial performance first, the rest a month later
    d = out["partial"] = _reg(vm, dt.date(2026, 9, 15), dispute_type="marriage_family")
    later(dt.date(2026, 9, 16), a.accept_dispute, d, actor=vm)
    later(dt.date(2026, 9, 16), _agree, d, vm)
    later(dt.date(2026, 9, 16), a.record_performance, d, actor=vm, status=PerformanceStatus.PARTIAL)
    later(dt.date(2026, 10, 18), _finish, d, vm, gw)

    # 18. a year earlier (the same months last year)
    d = out["last_year"] = _reg(vm, dt.date(2025, 10, 10))
    later(dt.date(2025, 10, 11), a.accept_dispute, d, actor=vm)
    later(dt.date(2025, 10, 11), _agree, d, vm)
    later(dt.date(2025, 10, 11), _finish, d, vm, gw)

    # 19. registered late on the last evening of September (local time), accepted in October
    with on(dt.date(2026, 9, 30), hour=23):
        d = out["midnight"] = register(vm)
    later(dt.date(2026, 10, 1), a.accept_dispute, d, actor=vm)

    for day, fn, args, kw in sorted(steps, key=lambda s: s[0]):  # stable: a day's steps in order
        with on(day):
            fn(*args, **kw)
    for d in out.values():
        d.refresh_from_db()
    return out


__all__ = ["SECOND_TOWNSHIP", "TODAY", "build", "on"]
