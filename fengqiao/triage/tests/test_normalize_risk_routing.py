"""Pure parts of triage: normalisation, risk rules and routing."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fengqiao.cases.choices import DisputeType, Tier, TransferTarget
from fengqiao.triage.normalize import MAX_CHARS, normalise
from fengqiao.triage.risk import Facts, Flag, Level, assess
from fengqiao.triage.routing import route


def test_traditional_and_full_width_are_normalised() -> None:
    n = normalise("我們ＡＢＣ１２３　離婚了\t\t孩子撫養權")
    assert n.text == "我们ABC123 离婚了 孩子抚养权"
    assert n.script == "han" and n.readable


def test_tibetan_yi_emoji_and_empty_are_recognised_not_crashed_on() -> None:
    assert normalise("ང་ཚོའི་ཞིང་ཁ་ལ་རྩོད་པ་བྱུང་").script == "tibetan"
    assert normalise("ꆈꌠꁱꂷ ꀊꆨꌠ").script == "yi"
    assert not normalise("😀😡🔪").readable
    assert normalise("").script == "none"
    assert normalise(None).text == ""


def test_very_long_input_is_cut_and_says_so() -> None:
    n = normalise("邻居占用通道" * 20_000)
    assert n.truncated and n.original_length == 120_000 and len(n.text) <= MAX_CHARS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_normalises_and_assesses_without_error(text: str) -> None:
    n = normalise(text)
    result = assess(n.text)
    assert result.level in set(Level)
    assert len(n.text) <= MAX_CHARS


def test_threat_with_a_weapon_is_high_risk_with_quoted_reasons() -> None:
    r = assess("被申请人提着菜刀追到申请人家门口，扬言要砍死他")
    assert r.level == Level.HIGH
    assert {Flag.WEAPON, Flag.VIOLENCE_THREAT} <= set(r.flags)
    assert any("菜刀" in reason for reason in r.reasons)


def test_hyperbole_and_tools_in_ordinary_use_are_not_risks() -> None:
    for text in (
        "邻居家的狗天天叫，气死我了",
        "张某用锄头挖地时越过了界址",
        "双方在村委会吵了一架后同意调解",
        "准备去法院起诉",
    ):
        assert assess(text).level == Level.LOW, text


def test_self_harm_threat_is_high() -> None:
    assert assess("他说再不给工钱就从脚手架上跳下去").level == Level.HIGH


def test_mass_dispute_with_gathering_or_petition_is_high_and_alone_is_medium() -> None:
    assert assess("三十多名农民工聚集在项目部门口讨要工资").level == Level.HIGH
    assert assess("二十多户村民要去省里上访").level == Level.HIGH
    assert assess("十几户业主对物业费上涨有意见").level == Level.MEDIUM


def test_facts_from_the_record_add_flags() -> None:
    r = assess("双方因宅基地界址发生争执", Facts(people_involved=12, party_ages=(83,), earlier_disputes=2))
    assert {Flag.MASS_DISPUTE, Flag.VULNERABLE_PARTY, Flag.REPEAT_DISPUTE} <= set(r.flags)


def test_simple_village_matter_stays_in_the_village() -> None:
    r = route(
        dispute_type=DisputeType.NEIGHBOUR,
        risk=assess("两家因排水沟堵塞吵架"),
        text="两家因排水沟堵塞吵架",
        amount=Decimal(2000),
        people=2,
    )
    assert (r.complex, r.tier, r.channel) == (False, Tier.VILLAGE, "mediation")


def test_large_and_mass_disputes_go_up_with_reasons() -> None:
    r = route(
        dispute_type=DisputeType.LABOUR,
        risk=assess("四十名工人讨薪"),
        text="四十名工人讨薪",
        amount=Decimal(800_000),
        people=40,
    )
    assert r.tier == Tier.COUNTY and r.complex
    assert TransferTarget.ARBITRATION in r.also
    assert any("劳动争议调解仲裁法第五条" in x for x in r.reasons)


def test_violence_recommends_reporting_to_police_and_admin_acts_reconsideration() -> None:
    text = "对方拿刀威胁"
    assert TransferTarget.POLICE in route(dispute_type="neighbour", risk=assess(text), text=text).also
    text = "不服镇政府作出的罚款决定"
    r = route(dispute_type="other", risk=assess(text), text=text)
    assert r.channel == TransferTarget.ADMIN_RECONSIDERATION
    assert any("行政复议法第二十条" in x for x in r.reasons)


def test_cut_questions_are_openings_of_the_longer_written_ones() -> None:
    from fengqiao.triage.classifier import CUT_MAX, CUT_MIN, cut_examples
    from fengqiao.triage.types import Example

    long = Example(
        "我在工地干了半年活，包工头一直拖着工资不给，现在人也找不到了，我该去哪里告他呢？", "建设工程"
    )
    short = Example("欠条丢了还能要钱吗", "债权债务")
    cut = cut_examples([long, short])
    assert [c.label for c in cut] == ["建设工程"]  # a short question is already its own opening
    assert long.text.startswith(cut[0].text) and CUT_MIN <= len(cut[0].text) <= min(
        CUT_MAX, len(long.text) - 5
    )
    assert cut_examples([long, short]) == cut  # the same cut every time: training is reproducible
