"""The cost model and the conflict rules, without the database."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fengqiao.dispatch import costs, solver
from fengqiao.dispatch.costs import CaseFacts, MediatorFacts, Proximity
from fengqiao.dispatch.eligibility import (
    DeclarationFacts,
    DeclarationIndex,
    ObjectionFacts,
    PartyFacts,
    conflict_reasons,
    declaration_matches,
    problems,
)

VILLAGE = 510129101203  # 飞羊村, 王泗镇, 大邑县, 成都
OTHER_VILLAGE = 510129101206  # same township
TOWNSHIP = 510129101000
SECOND_TOWNSHIP_VILLAGE = 510129105201  # 安仁镇, same county
COUNTY = 510129000000
PAIRED_COUNTY_VILLAGE = 513201100201  # 马尔康市
SAME_CITY_VILLAGE = 510131101200  # 蒲江县
ELSEWHERE = 511702001001  # 达州


def test_distance_follows_the_hierarchy_from_the_handling_body_outward() -> None:
    def near(unit: int, org: int = 99) -> Proximity:
        return costs.proximity(VILLAGE, 1, org, unit, paired=[513201000000])

    order = [
        near(VILLAGE, org=1),
        near(VILLAGE),
        near(OTHER_VILLAGE),
        near(TOWNSHIP),
        near(SECOND_TOWNSHIP_VILLAGE),
        near(COUNTY),
        near(PAIRED_COUNTY_VILLAGE),
        near(SAME_CITY_VILLAGE),
        near(ELSEWHERE),
    ]
    assert order == [
        Proximity.HANDLING_ORG,
        Proximity.SAME_VILLAGE,
        Proximity.SAME_TOWNSHIP,
        Proximity.SAME_TOWNSHIP,
        Proximity.SAME_COUNTY,
        Proximity.SAME_COUNTY,
        Proximity.PAIRED_COUNTY,
        Proximity.SAME_CITY,
        Proximity.ELSEWHERE,
    ]
    points = [costs.PROXIMITY_POINTS[p] for p in order]
    assert points == sorted(points)


def test_coordinates_add_travel_where_known() -> None:
    case = CaseFacts(1, VILLAGE, 1, "neighbour", 5, False)
    m = MediatorFacts(2, 9, SECOND_TOWNSHIP_VILLAGE, costs.specialty_mask(["neighbour"]), 0, False, 0, 8)
    plain = costs.assignment_cost(case, m)
    coords = {TOWNSHIP: (30.58, 103.52), 510129105000: (30.53, 103.70)}
    far = costs.assignment_cost(case, m, coords=coords)
    assert far.total > plain.total
    assert any("公里" in label for label, _ in far.items)


def test_load_cost_is_convex_so_work_spreads() -> None:
    for cap in range(1, 20):
        steps = [costs.load_step(k, cap) for k in range(cap)]
        assert steps == sorted(steps)
        # two mediators at half load cost no more than one full and one idle
        half = cap // 2
        even = 2 * sum(steps[:half])
        lopsided = sum(steps[: 2 * half])
        assert even <= lopsided


def test_every_cost_item_is_explained_in_chinese() -> None:
    case = CaseFacts(1, VILLAGE, 1, "labour", 3, True, languages=costs.LANGUAGE_BIT["bo"])
    m = MediatorFacts(2, 9, OTHER_VILLAGE, costs.specialty_mask(["neighbour"]), 0, False, 3, 8)
    b = costs.assignment_cost(case, m, type_label="劳动争议", tier_label="县级")
    labels = " ".join(label for label, _ in b.items)
    assert "同乡镇" in labels and "不擅长劳动争议纠纷" in labels and "兼职" in labels
    assert "藏语" in labels and "第二十条" in labels and "现有在办案件3件" in labels
    assert b.total == sum(points for _, points in b.items)


def test_a_declaration_matches_by_identity_number_when_both_have_one_else_by_name() -> None:
    ident = "510129198005171234"
    decl = DeclarationFacts(7, "张三", ident, "近亲属")
    assert declaration_matches(decl, PartyFacts(1, "张三丰", ident))  # the number decides
    assert not declaration_matches(decl, PartyFacts(1, "张三", "510129198005170000"))  # a namesake
    assert declaration_matches(decl, PartyFacts(1, "张三"))  # no number given: the name decides
    assert declaration_matches(DeclarationFacts(7, "李四"), PartyFacts(1, "李四", ident))
    assert not declaration_matches(DeclarationFacts(7, "李四"), PartyFacts(1, "王五"))


@given(
    declarations=st.lists(
        st.builds(
            DeclarationFacts,
            st.integers(1, 5),
            st.sampled_from(["张三", "李四", "王五"]),
            st.sampled_from(["", "A1", "B2"]),
        ),
        max_size=6,
    ),
    parties=st.lists(
        st.builds(
            PartyFacts,
            st.integers(1, 9),
            st.sampled_from(["张三", "李四", "赵六"]),
            st.sampled_from(["", "A1", "C3"]),
        ),
        max_size=3,
    ),
)
def test_the_index_bars_exactly_the_mediators_a_declaration_matches(
    declarations: list[DeclarationFacts], parties: list[PartyFacts]
) -> None:
    expected = {d.mediator_id for d in declarations for p in parties if declaration_matches(d, p)}
    assert DeclarationIndex.of(declarations).barred_for(parties) == expected


def test_refusals_name_the_rule_and_its_article() -> None:
    parties = [PartyFacts(1, "张三", "", "bo"), PartyFacts(2, "李四")]
    reasons = conflict_reasons(
        7,
        parties,
        [DeclarationFacts(7, "张三", "", "近亲属")],
        [ObjectionFacts(7, "李四", "系对方当事人所在村(社区)干部")],
    )
    assert any("第二十一条" in r for r in reasons) and any("第二十三条" in r for r in reasons)
    out = problems(
        name="王调解",
        is_active=True,
        load=8,
        cap=8,
        conflicts=reasons,
        missing_languages=costs.LANGUAGE_BIT["bo"],
        interpreters=0,
    )
    assert any("上限8件" in r for r in out) and any("藏语翻译" in r for r in out)
    assert (
        problems(name="x", is_active=True, load=0, cap=8, conflicts=[], missing_languages=1, interpreters=1)
        == []
    )


units = st.sampled_from(
    [VILLAGE, OTHER_VILLAGE, TOWNSHIP, SECOND_TOWNSHIP_VILLAGE, COUNTY, PAIRED_COUNTY_VILLAGE]
)


@settings(max_examples=200)
@given(
    case_unit=st.sampled_from([VILLAGE, OTHER_VILLAGE, TOWNSHIP, COUNTY]),
    handling=st.integers(1, 3),
    dispute_type=st.sampled_from(list(costs.TYPE_INDEX)),
    tier_level=st.sampled_from([3, 4, 5]),
    complex_=st.booleans(),
    languages=st.integers(0, 3),
    m_unit=units,
    m_org=st.integers(1, 4),
    specialties=st.integers(0, 2**18 - 1),
    m_languages=st.integers(0, 3),
    full_time=st.booleans(),
)
def test_the_solver_prices_a_pair_exactly_as_the_explained_model(
    case_unit: int,
    handling: int,
    dispute_type: str,
    tier_level: int,
    complex_: bool,
    languages: int,
    m_unit: int,
    m_org: int,
    specialties: int,
    m_languages: int,
    full_time: bool,
) -> None:
    case = CaseFacts(1, case_unit, handling, dispute_type, tier_level, complex_, languages)
    m = MediatorFacts(5, m_org, m_unit, specialties, m_languages, full_time, 2, 8)
    inst = solver.Instance(roster=solver.Roster.of([m]), cases=[case], pairings={COUNTY: (513201000000,)})
    explained = costs.assignment_cost(case, m, paired=(513201000000,))
    assert solver.arc_cost(inst, case, 0) == explained.total - costs.load_step(2, 8)


def test_gini_is_zero_for_even_loads_and_grows_with_inequality() -> None:
    assert solver.gini([3, 3, 3]) == 0
    assert solver.gini([0, 0, 9]) > solver.gini([2, 3, 4]) > 0
    assert solver.gini(np.zeros(4)) == 0
