"""一揽子调处: related disputes found, linked and handled together, each keeping its record."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from fengqiao.accounts.models import User
from fengqiao.cases import actions, related
from fengqiao.cases.choices import GroupKind, Status
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
from fengqiao.core.testing import (
    OTHER_COUNTY_VILLAGE,
    OTHER_VILLAGE,
    Personas,
    make_id_number,
    register,
    sign_in,
)

pytestmark = pytest.mark.django_db


def wage_claim(p: Personas, n: int, actor: User | None = None, **overrides: Any) -> Dispute:
    return register(
        actor or p.village_mediator,
        dispute_type="labour",
        summary=f"工人{n}被拖欠工资",
        parties=[
            {"role": "applicant", "name": f"工人{n}", "id_number": make_id_number(seq=300 + n)},
            {"role": "respondent", "name": "大邑宏发建筑劳务有限公司", "kind": "organisation"},
        ],
        **overrides,
    )


def test_same_parties_same_matter_and_mass_disputes_are_found_with_reasons(personas: Personas) -> None:
    p = personas
    first = register(p.village_mediator)
    again = register(p.village_mediator, summary="宅旁排水沟堵塞再次引发邻里纠纷")
    elsewhere = register(
        p.township_officer,
        admin_unit=OTHER_VILLAGE,
        summary="无关的纠纷",
        parties=[{"role": "applicant", "name": "某人"}],
    )
    found = {c.dispute.pk: c for c in related.related_to(p.township_officer, again)}
    assert first.pk in found and elsewhere.pk not in found
    assert found[first.pk].kind == GroupKind.SAME_PARTIES and "张三" in found[first.pk].reasons[0]
    claims = [wage_claim(p, n) for n in range(4)]
    mass = related.related_to(p.township_officer, claims[-1])
    assert {c.dispute.pk for c in mass if c.kind == GroupKind.MASS} == {d.pk for d in claims[:-1]}
    assert "大邑宏发建筑劳务有限公司" in mass[0].reasons[0]


def test_a_mass_dispute_counts_only_the_county_and_the_year(personas: Personas) -> None:
    """Claims against the respondent in another county, or more than a year before the
    new one, neither count towards the threshold nor appear as candidates."""
    p = personas
    old = wage_claim(p, 1)
    Dispute.objects.filter(pk=old.pk).update(received_at=clock.now() - dt.timedelta(days=400))
    elsewhere = wage_claim(p, 2, actor=p.other_county_officer, admin_unit=OTHER_COUNTY_VILLAGE)
    recent = wage_claim(p, 3)
    new = wage_claim(p, 4)
    assert not [c for c in related.related_to(p.county_officer, new) if c.kind == GroupKind.MASS]
    fourth = wage_claim(p, 5)
    mass = [c for c in related.related_to(p.county_officer, fourth) if c.kind == GroupKind.MASS]
    assert {c.dispute.pk for c in mass} == {recent.pk, new.pk}
    assert "前后一年内本县共有3件纠纷" in mass[0].reasons[0]
    assert old.pk not in {c.dispute.pk for c in mass} and elsewhere.pk not in {c.dispute.pk for c in mass}
    # the window lies on both sides: an earlier claim's page shows the later ones, and a
    # claim more than a year before them sees none of them
    earlier = [c for c in related.related_to(p.county_officer, recent) if c.kind == GroupKind.MASS]
    assert {c.dispute.pk for c in earlier} == {new.pk, fourth.pk}
    old.refresh_from_db()
    assert not [c for c in related.related_to(p.county_officer, old) if c.kind == GroupKind.MASS]


def test_linked_disputes_share_one_session_and_one_agreement_but_keep_their_records(
    personas: Personas,
) -> None:
    p = personas
    claims = [wage_claim(p, n) for n in range(3)]
    for d in claims:
        actions.accept_dispute(d, actor=p.village_mediator)
    with pytest.raises(DomainError, match="理由"):
        actions.link_disputes(
            claims[0], actor=p.village_mediator, others=[c.pk for c in claims], kind=GroupKind.MASS, reason=""
        )
    group = actions.link_disputes(
        claims[0],
        actor=p.village_mediator,
        others=[c.pk for c in claims[1:]],
        kind=GroupKind.MASS,
        reason="同一工地欠薪",
    )
    records = actions.record_joint_session(
        group, actor=p.village_mediator, held_at=clock.now(), place="村委会", content="三名工人与公司当面协商"
    )
    assert len(records) == 3 and all("联合调解" in r.content for r in records)
    agreements = actions.reach_joint_agreement(
        group,
        actor=p.village_mediator,
        form="written",
        facts="公司拖欠三名工人工资",
        terms="公司于十日内付清工资",
        performance_method="银行转账",
    )
    assert len({a.dispute_id for a in agreements}) == 3
    for d in claims:
        d.refresh_from_db()
        assert d.status == Status.AGREED and d.group_id == group.pk
        assert d.transitions.filter(action="link").count() == 1 and d.sessions.count() == 1
        assert "本协议一并解决" in d.agreements.get().terms


def test_the_case_page_proposes_related_disputes_and_links_them(personas: Personas) -> None:
    p = personas
    first = register(p.village_mediator)
    second = register(p.village_mediator, summary="排水沟堵塞又起纠纷")
    c = Client()
    sign_in(c, p.village_mediator)
    page = c.get(f"/cases/{second.pk}/").content.decode()
    assert "系统发现以下可能相关的纠纷" in page and first.number in page
    r = c.post(
        f"/cases/{second.pk}/link/",
        {"others": [first.pk], "kind": "same_parties", "reason": "同一当事人反复纠纷"},
    )
    assert r.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.group_id == second.group_id is not None
