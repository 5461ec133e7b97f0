"""Each signal fires on its planted situation, digests into one alert as it grows, and
stays quiet on a realistic background."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fengqiao.cases import actions
from fengqiao.cases.choices import Tier
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.testing import Personas, make_id_number, register, sign_in
from fengqiao.warning import jobs, simulator
from fengqiao.warning.choices import ACTIVE_STATUSES, AlertKind
from fengqiao.warning.models import Alert
from fengqiao.warning.queries import alerts_for

pytestmark = pytest.mark.django_db

DAY0 = dt.datetime(2026, 3, 2, 9, 0)


def at(days: float) -> dt.datetime:
    return DAY0 + dt.timedelta(days=days)


def alerts(kind: AlertKind) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind, status__in=ACTIVE_STATUSES).order_by("id"))


def neighbours(a: str = "张建国", b: str = "李秀英", **over: Any) -> dict[str, Any]:
    return {
        "parties": [
            {
                "role": "applicant",
                "name": a,
                "id_number": over.pop("a_id", make_id_number(seq=101)),
                "phone": over.pop("a_phone", "13812345678"),
            },
            {
                "role": "respondent",
                "name": b,
                "id_number": over.pop("b_id", make_id_number(seq=202)),
                "phone": over.pop("b_phone", "13987654321"),
            },
        ],
        **over,
    }


def test_repeat_disputes_with_typos_and_a_missing_id_are_one_growing_alert(personas: Personas) -> None:
    p = personas
    with clock.frozen(at(0)):
        first = register(p.village_mediator, **neighbours())
        jobs.drain()
    assert alerts(AlertKind.REPEAT_DISPUTE) == []
    with clock.frozen(at(12)):  # a homophone in the name, the respondent's ID not taken
        second = register(p.village_mediator, summary="排水沟纠纷再起", **neighbours("张健国", b_id=""))
        jobs.drain()
    [alert] = alerts(AlertKind.REPEAT_DISPUTE)
    assert alert.severity == "medium" and alert.owner_unit_id == second.admin_unit_id
    assert ("第2起" in alert.title and "张健国" in alert.reason) or "张建国" in alert.reason
    assert [d["id"] for d in alert.evidence["disputes"]] == [first.pk, second.pk]
    with clock.frozen(at(25)):  # two digits of the applicant's phone swapped, no IDs at all
        third = register(
            p.village_mediator,
            summary="排水沟纠纷第三次发生",
            **neighbours(a_id="", b_id="", a_phone="13812345687"),
        )
        jobs.drain()
    [alert] = alerts(AlertKind.REPEAT_DISPUTE)  # the same alert, grown
    assert alert.severity == "high" and "第3起" in alert.title
    assert [d["id"] for d in alert.evidence["disputes"]] == [first.pk, second.pk, third.pk]
    assert "联系电话仅一位之差" in "".join(alert.evidence["matched_by"])


def accepted(p: Personas, **kw: Any) -> Dispute:
    d = register(p.village_mediator, **kw)
    actions.accept_dispute(d, actor=p.village_mediator)
    return d


def session(p: Personas, d: Dispute, content: str) -> None:
    actions.record_session(
        d, actor=p.village_mediator, held_at=clock.now(), place="村调委会", content=content
    )


def test_threats_in_session_records_raise_one_escalation_alert_that_grows(personas: Personas) -> None:
    p = personas
    with clock.frozen(at(0)):
        d = accepted(p)
        session(p, d, "双方陈述了各自意见。被申请人情绪激动，拿起菜刀比划，扬言要砍了申请人。")
        jobs.drain()
    [alert] = alerts(AlertKind.ESCALATION)
    assert alert.severity == "high" and alert.owner_unit_id == d.admin_unit_id and alert.dispute_id == d.pk
    assert "菜刀" in "".join(alert.evidence["words"]) and "第二十五条" in alert.reason
    with clock.frozen(at(3)):
        session(p, d, "申请人表示调解再不成就去北京上访，到县里讨个说法。")
        jobs.drain()
    [alert] = alerts(AlertKind.ESCALATION)  # the same alert, its evidence grown
    assert len(alert.evidence["session_records"]) == 2
    assert any("上访" in w for w in alert.evidence["words"]) and any(
        "菜刀" in w for w in alert.evidence["words"]
    )


def test_ordinary_session_records_and_narratives_raise_nothing(personas: Personas) -> None:
    p = personas
    with clock.frozen(at(0)):
        d = accepted(p)
        for text in (
            "调解员在村调委会主持调解，双方陈述了各自意见，调解员释明民法典相邻关系的有关规定。",
            "双方同意回去与家人商量，约定下周再次调解。申请人说气死我了，这事拖了太久。",
            "经调解员耐心疏导，双方互谅互让，自愿达成协议：被申请人于月底前疏通排水沟。",
        ):
            session(p, d, text)
        jobs.drain()
    assert Alert.objects.exclude(kind=AlertKind.HIGH_RISK).count() == 0


def test_failed_mediation_on_a_flagged_dispute_is_a_civil_to_criminal_risk(personas: Personas) -> None:
    p = personas
    with clock.frozen(at(0)):
        risky = accepted(p)
        calm = accepted(
            p,
            summary="承包地边界纠纷",
            **neighbours("王建华", "赵桂兰", a_id="", b_id="", a_phone="", b_phone=""),
        )
        session(p, risky, "被申请人说再这样就跟他同归于尽，大不了坐牢。")
        session(p, calm, "双方就边界走向各执一词，约定请村组干部现场指界。")
        jobs.drain()
    with clock.frozen(at(10)):
        for d in (risky, calm):
            actions.fail_mediation(d, actor=p.village_mediator, advice="可向人民法院起诉")
        jobs.drain()
    [alert] = alerts(AlertKind.CIVIL_TO_CRIMINAL)
    assert alert.dispute_id == risky.pk and alert.owner_unit_id == risky.admin_unit_id
    assert "第二十五条" in alert.reason and "第二十六条" in alert.reason and "同归于尽" in alert.reason


def wage_claim(p: Personas, n: int, firm: str, village: int, people: int = 2) -> Dispute:
    return register(
        p.township_officer,
        admin_unit=village,
        dispute_type="labour",
        summary=f"工人{n}追索劳务报酬",
        narrative="申请人在被申请人承包的工地做钢筋工，工程完工后被拖欠工资，多次讨要未果。",
        people_involved=people,
        parties=[
            {"role": "applicant", "name": f"工人{n}号", "id_number": make_id_number(seq=300 + n)},
            {"role": "respondent", "name": firm, "kind": "organisation"},
        ],
    )


def test_claims_against_one_firm_grow_into_one_mass_alert(personas: Personas) -> None:
    p = personas
    firms = ["成都宏发建筑劳务有限公司", "宏发建筑劳务公司", "四川成都宏发建筑劳务有限责任公司"]
    with clock.frozen(at(0)):
        for n in range(4):
            wage_claim(p, n, firms[n % 3], VILLAGE_OF[n % 2])
        jobs.drain()
    assert alerts(AlertKind.MASS_DISPUTE) == []  # four claimants: not yet
    with clock.frozen(at(2)):
        wage_claim(p, 4, firms[1], VILLAGE_OF[0])
        jobs.drain()
    [alert] = alerts(AlertKind.MASS_DISPUTE)
    assert alert.severity == "medium" and alert.evidence["claimants"] == 5
    assert alert.owner_unit_id == 510129101000  # claims from two villages: the township
    with clock.frozen(at(4)):
        wage_claim(p, 5, firms[2], VILLAGE_OF[1], people=6)  # one filed for five workers
        jobs.drain()
    [alert] = alerts(AlertKind.MASS_DISPUTE)
    assert alert.severity == "high" and alert.evidence["claimants"] == 10 and alert.evidence["count"] == 6


VILLAGE_OF = [510129101203, 510129101206]


def test_a_dispute_referred_back_twice_is_bouncing(personas: Personas) -> None:
    p = personas
    with clock.frozen(at(0)):
        d = accepted(p)
        for _ in range(2):
            actions.escalate_dispute(
                d, actor=p.village_mediator, to_tier=Tier.TOWNSHIP, reason="村里调不下来"
            )
            actions.refer_back_dispute(d, actor=p.township_officer, to_tier=Tier.VILLAGE, reason="属村级事务")
            jobs.drain()
    [alert] = alerts(AlertKind.TIER_BOUNCING)
    assert alert.owner_unit_id == 510129101000 and "退回2次" in alert.title
    assert "第三十三条" in alert.reason and len(alert.evidence["moves"]) == 4


def test_each_officer_sees_his_own_alerts_and_the_county_its_townships(personas: Personas) -> None:
    p = personas
    with clock.frozen(at(0)):
        register(p.village_mediator, **neighbours())
        jobs.drain()
    with clock.frozen(at(5)):
        again = accepted(p, summary="排水沟纠纷再起", **neighbours())
        actions.escalate_dispute(again, actor=p.village_mediator, to_tier=Tier.TOWNSHIP, reason="调不下来")
        actions.refer_back_dispute(again, actor=p.township_officer, to_tier=Tier.VILLAGE, reason="村级事务")
        actions.escalate_dispute(again, actor=p.village_mediator, to_tier=Tier.TOWNSHIP, reason="仍调不下来")
        actions.refer_back_dispute(again, actor=p.township_officer, to_tier=Tier.VILLAGE, reason="村级事务")
        jobs.drain()
    village_alert = Alert.objects.get(kind=AlertKind.REPEAT_DISPUTE)
    township_alert = Alert.objects.get(kind=AlertKind.TIER_BOUNCING)
    assert village_alert.owner_unit_id == 510129101203 and township_alert.owner_unit_id == 510129101000

    def seen(user: Any) -> set[int]:
        return set(alerts_for(user).values_list("id", flat=True))

    both = {village_alert.pk, township_alert.pk}
    assert seen(p.village_mediator) == {village_alert.pk}
    assert (
        seen(p.township_officer) == both and seen(p.county_officer) == both and seen(p.city_analyst) == both
    )
    assert seen(p.other_township_officer) == set() and seen(p.other_county_officer) == set()
    assert seen(p.citizen) == set() and seen(p.system_admin) == set()


def background(p: Personas, start: dt.date, days: int, seed: int = 3, scale: float = 2.0) -> int:
    """Realistic disputes for 大邑县 (the demo generator's stream), registered in bulk."""
    stream = simulator.Stream(simulator.Config(seed=seed, area=510129000000, scale=scale))
    rows = [
        simulator.submission(d) for i in range(days) for d in stream.background(start + dt.timedelta(days=i))
    ]
    actions.register_disputes_bulk(rows, actor=p.county_officer, check=False)
    return len(rows)


def surge(p: Personas, day: dt.date, n: int) -> None:
    for i in range(n):
        register(
            p.township_officer,
            admin_unit=VILLAGE_OF[i % 2],
            summary=f"村民因修路占地与邻居发生纠纷{i}",
            received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9 + i % 8, 0))).isoformat(),
            parties=[
                {
                    "role": "applicant",
                    "name": f"申请人{day.day}{i}",
                    "id_number": make_id_number(seq=500 + i),
                },
                {"role": "respondent", "name": f"被申请人{day.day}{i}"},
            ],
        )


def test_a_realistic_background_is_quiet_and_a_township_surge_is_one_hotspot(personas: Personas) -> None:
    p = personas
    start = dt.date(2026, 1, 5)
    with clock.frozen(dt.datetime(2026, 3, 30, 20, 0)):
        cases = background(p, start, 84)
        jobs.drain()
        jobs.nightly()
    assert cases > 700
    signals = Alert.objects.filter(
        kind__in=[AlertKind.REPEAT_DISPUTE, AlertKind.MASS_DISPUTE, AlertKind.HOTSPOT]
    )
    assert list(signals.values_list("title", flat=True)) == []
    for day, n in ((dt.date(2026, 3, 31), 3), (dt.date(2026, 4, 1), 4)):
        with clock.frozen(dt.datetime.combine(day, dt.time(20, 0))):
            surge(p, day, n)
            jobs.drain()
    [alert] = alerts(AlertKind.HOTSPOT)  # the township's; its county is not told twice
    assert alert.owner_unit_id == 510129101000 and alert.evidence["dispute_type"] == "neighbour"
    assert (
        alert.evidence["count"] >= 5
        and alert.evidence["p_value"] < 1e-4
        and len(alert.evidence["disputes"]) >= 5
    )
    first_count = alert.evidence["count"]
    with clock.frozen(dt.datetime(2026, 4, 2, 20, 0)):
        surge(p, dt.date(2026, 4, 2), 3)
        jobs.drain()
    [alert] = alerts(AlertKind.HOTSPOT)
    assert alert.evidence["count"] > first_count
    assert alert.pk in set(alerts_for(p.county_officer).values_list("id", flat=True))
    assert alert.pk not in set(alerts_for(p.village_mediator).values_list("id", flat=True))


def test_the_evidence_api_shows_an_alert_to_its_jurisdiction_only(personas: Personas) -> None:
    from django.test import Client

    p = personas
    with clock.frozen(at(0)):
        register(p.village_mediator, **neighbours())
        jobs.drain()
    with clock.frozen(at(3)):
        register(p.village_mediator, summary="排水沟纠纷再起", **neighbours())
        jobs.drain()
    alert = Alert.objects.get(kind=AlertKind.REPEAT_DISPUTE)
    c = sign_in(Client(), p.township_officer)
    body = c.get(f"/api/v1/warning/alerts/{alert.pk}").json()
    assert body["kind_label"] == "重复纠纷" and len(body["evidence"]["disputes"]) == 2
    assert body["disputes_outside_jurisdiction"] == 0
    c = sign_in(Client(), p.other_township_officer)
    assert c.get(f"/api/v1/warning/alerts/{alert.pk}").status_code == 404
