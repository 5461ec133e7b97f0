"""The kept division file and what loading it gives: all of Sichuan, on the real codes."""

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from fengqiao.geography import codes
from fengqiao.geography.actions import division_rows
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.geography.models import AdminUnit, Organisation
from fengqiao.geography.naming import short_village_name
from fengqiao.geography.queries import committee_for, full_name, nearest_org


def test_the_file_holds_all_of_sichuan_at_every_level() -> None:
    counts = {level: 0 for level in Level}
    for code, _ in division_rows():
        counts[codes.level_of(code)] += 1
    assert counts == {
        Level.PROVINCE: 1,
        Level.CITY: 21,
        Level.COUNTY: 183,
        Level.TOWNSHIP: 3111,
        Level.VILLAGE: 34412,
    }


def test_every_unit_nests_under_a_unit_of_the_level_above() -> None:
    known = {code for code, _ in division_rows()}
    for code in known:
        parent = codes.parent_of(code)
        assert parent is None or parent in known, code


@given(st.sampled_from(sorted(c for c, _ in division_rows())), st.integers(100000000000, 999999999999))
def test_subtree_range_agrees_with_ancestry(unit: int, other: int) -> None:
    assert codes.contains(unit, other) == (unit in codes.ancestors(other) if len(str(other)) == 12 else False)


@pytest.mark.django_db
def test_loaded_units_and_reference_organisations() -> None:
    assert AdminUnit.objects.filter(level=Level.VILLAGE).count() == 34412
    assert AdminUnit.objects.get(code=510129101203).parent_id == 510129101000
    assert full_name(510129101203) == "四川省成都市大邑县王泗镇飞羊村"
    assert full_name(510129101203, from_level=Level.COUNTY) == "大邑县王泗镇飞羊村"
    # a committee for every village and township (人民调解法 Art. 8)
    assert Organisation.objects.filter(kind=OrgKind.MEDIATION_COMMITTEE).count() == 34412 + 3111
    village_committee = committee_for(510129101203, Level.VILLAGE)
    assert village_committee is not None and village_committee.name == "王泗镇飞羊村人民调解委员会"
    centre = committee_for(510129101203, Level.COUNTY)
    assert centre is not None and centre.kind == OrgKind.RESOLUTION_CENTER
    court = nearest_org(510129101203, OrgKind.COURT)
    assert court is not None and court.name == "成都市大邑县人民法院"
    assert (
        Organisation.objects.filter(kind=OrgKind.STATIONED_MEDIATION_ROOM, admin_unit_id=510129000000).count()
        == 3
    )


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    before = (AdminUnit.objects.count(), Organisation.objects.count())
    call_command("geo", "load", stdout=None)
    assert (AdminUnit.objects.count(), Organisation.objects.count()) == before


def test_village_names_are_shortened_the_way_people_say_them() -> None:
    assert short_village_name("多福巷社区居委会") == "多福巷社区"
    assert short_village_name("飞羊村村委会") == "飞羊村"
    assert short_village_name("石桥村民委员会") == "石桥村"
