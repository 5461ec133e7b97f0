"""Rules of the citation rewrite and of masking, without the database."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fengqiao.assist import llm
from fengqiao.assist.grounding import verify
from fengqiao.core.identity import id_check_char
from fengqiao.statutes import citations

HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=12)


def test_correct_citations_are_left_exactly_as_written() -> None:
    text = "依据《民法典》第1079条第二款和《劳动合同法》第八十二条，"
    result = verify(text)
    assert result.text == text and not result.corrections and result.clean


def test_a_list_keeps_its_good_articles_and_loses_only_the_bad_one() -> None:
    result = verify("《民法典》第1079条、第9999条规定了离婚。")
    assert result.text == "《民法典》第一千零七十九条、〔已删除：无此条〕规定了离婚。"
    assert [c.cited for c in result.checks] == ["《民法典》第一千零七十九条"]


def test_a_repealed_law_is_replaced_by_its_successor_article() -> None:
    result = verify("按照《婚姻法》第三十二条，感情确已破裂的应准予离婚。")
    assert "《民法典》第一千零七十九条〔已更正〕" in result.text and "婚姻法" not in result.text
    assert result.corrections[0].action == "corrected" and result.clean


def test_a_regulation_is_kept_for_documents_but_not_from_a_model() -> None:
    text = "依照《人民调解工作若干规定》第三十五条。"
    assert verify(text, strict=False).text == text
    assert verify(text, strict=True).text == "依照〔已删除：法律库无法核对〕。"


def test_the_marks_hold_no_citation_so_the_result_checks_clean() -> None:
    messy = "《民法典》第2000条；《合同法》第一百零七条；《宇宙法》第1条；《民法典》第577条规定：“随便赔”。"
    result = verify(messy)
    assert all(c.ok for c in citations.check(result.text))
    assert len(result.corrections) == 4


def _id(born: dt.date, seq: int) -> str:
    first = f"510129{born:%Y%m%d}{seq:03d}"
    return first + id_check_char(first)


@settings(max_examples=200, deadline=None)
@given(
    before=HAN,
    after=HAN,
    born=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)),
    seq=st.integers(0, 999),
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    sep=st.sampled_from(["", " ", "-"]),
)
def test_no_id_number_or_mobile_survives_masking(
    before: str, after: str, born: dt.date, seq: int, mobile: str, sep: str
) -> None:
    number = _id(born, seq)
    phone = f"{mobile[:3]}{sep}{mobile[3:7]}{sep}{mobile[7:]}"
    masked = llm.mask(f"{before}身份证{number}{after}电话{phone}。{before}")
    assert number not in masked
    assert mobile not in (masked.replace(sep, "") if sep else masked)
    assert "〔身份证号〕" in masked and "〔电话〕" in masked
    assert masked.startswith(before)
