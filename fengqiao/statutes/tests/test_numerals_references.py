"""Chinese numerals and the detection of citations in free text (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengqiao.statutes import catalogue, references, source
from fengqiao.statutes.numerals import article_label, cn_to_int, int_to_cn, parse_article_no


@given(st.integers(min_value=1, max_value=99_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一千零七十九", 1079),
        ("十", 10),
        ("十二", 12),
        ("一百一十", 110),
        ("二百六十四", 264),
        ("1079", 1079),
        ("１０７９", 1079),
    ],
)
def test_statute_numerals(text: str, value: int) -> None:
    assert cn_to_int(text) == value


def test_every_article_number_of_the_corpus_is_read_and_written_back_exactly() -> None:
    for row in source.rows():
        if row.number_text.startswith("第"):
            parsed = parse_article_no(row.number_text)
            assert parsed is not None and parsed[0] == row.number, row.number_text
            assert article_label(*parsed) == row.number_text


def found(text: str) -> list[tuple[str, list[tuple[int, int, int | None]]]]:
    cat = catalogue.current()
    return [
        (c.law_key, [(a.number, a.sub, a.paragraph) for a in c.articles]) for c in references.find(text, cat)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《中华人民共和国民法典》第一千零七十九条", [("民法典", [(1079, 0, None)])]),
        ("《民法典》第1079条", [("民法典", [(1079, 0, None)])]),
        ("民法典第1079条第二款", [("民法典", [(1079, 0, 2)])]),
        ("劳动合同法 第八十二条", [("劳动合同法", [(82, 0, None)])]),
        ("劳动合同法第82条", [("劳动合同法", [(82, 0, None)])]),
        ("刑法第二百六十四条之一", [("刑法", [(264, 1, None)])]),
        ("《民法典》第十条、第十一条", [("民法典", [(10, 0, None), (11, 0, None)])]),
        ("《民法典》第十条至第十二条", [("民法典", [(10, 0, None), (11, 0, None), (12, 0, None)])]),
        ("《劳动合同法》第10、11条", [("劳动合同法", [(10, 0, None), (11, 0, None)])]),
        ("依据民法典婚姻家庭编第1079条", [("民法典", [(1079, 0, None)])]),
        ("按刑诉法第六十七条取保候审", [("刑诉法", [(67, 0, None)])]),
        ("根据《邻里和睦法》第三条", [("邻里和睦法", [(3, 0, None)])]),
        ("本法第十条另有规定", []),
    ],
)
def test_citations_are_found_in_the_forms_people_write(text: str, expected: list[object]) -> None:
    assert found(text) == expected


def test_an_article_without_a_law_continues_the_previous_citation_in_the_sentence() -> None:
    assert found("《民法典》第1079条规定了离婚，第1087条规定了财产分割。第5条") == [
        ("民法典", [(1079, 0, None)]),
        ("民法典", [(1087, 0, None)]),
    ]


def test_a_clause_of_a_contract_is_not_taken_for_the_previous_law() -> None:
    assert found("根据《民法典》第509条，被申请人应依照合同第5条履行") == [("民法典", [(509, 0, None)])]


def test_short_names_aliases_and_repealed_laws_resolve() -> None:
    cat = catalogue.current()
    assert cat.law_named("民法典").name == "中华人民共和国民法典"  # type: ignore[union-attr]
    assert cat.law_named("刑诉法").name == "中华人民共和国刑事诉讼法"  # type: ignore[union-attr]
    arbitration = cat.law_named("仲裁法")
    assert arbitration is not None and arbitration.status == "in_force"  # the current one of two versions
    repeal = cat.repeal_of("婚姻法")
    assert (
        repeal is not None and cat.laws[repeal.by_law].short_name == "民法典" and repeal.date == "2021-01-01"
    )


@pytest.mark.parametrize(
    ("text", "value"), [("二万零十", 20010), ("二万零一十", 20010), ("一千零一十", 1010)]
)
def test_a_ten_after_a_held_place_counts(text: str, value: int) -> None:
    """Found by the round trip above: 零 held the place and then multiplied the 十 by zero."""
    assert cn_to_int(text) == value
