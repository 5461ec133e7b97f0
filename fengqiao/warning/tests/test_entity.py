"""Entity resolution rules, without the database: typo tolerance, symmetry, ID links."""

import string

from hypothesis import given
from hypothesis import strategies as st

from fengqiao.warning import entity
from fengqiao.warning.entity import Record, name_similarity, phone_near, phone_variants, same_person

NAME_CHARS = "张王李刘陈杨建健剑国军君明敏秀英芳丽华伟强勇平志红兵刚波林峰涛斌辉鹏超杰文光德福贵成祥海庆"
names = st.text(alphabet=NAME_CHARS, min_size=2, max_size=4)
phones = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
ids = st.from_regex(r"51[0-9]{15}[0-9X]", fullmatch=True) | st.just("")
units = st.sampled_from([510129101203, 510129101206, 510131101200])
records = st.builds(
    Record,
    name=names,
    id_number=ids,
    phone=phones | st.just(""),
    unit=units,
)


def test_homophone_and_sichuan_fuzzy_sounds_share_a_sound_key() -> None:
    assert entity.sound_key("张建国") == entity.sound_key("张健国")
    assert entity.sound_key("李明") == entity.sound_key("李敏")  # in/ing, as Sichuan speech has it
    assert entity.sound_key("刘建国") != entity.sound_key("牛建国")  # but not in the surname


def test_one_character_typo_is_close_but_a_different_surname_is_not() -> None:
    assert name_similarity("张建国", "张健国") == 0.95
    assert name_similarity("张建国", "张建图") == 0.8
    assert name_similarity("张建国", "李建国") < 0.8


def test_a_phone_with_one_wrong_or_two_swapped_digits_is_near() -> None:
    assert phone_near("13812345678", "13812345687")
    assert phone_near("13812345678", "13812345670")
    assert not phone_near("13812345678", "13812345600")
    assert "13812345687" in phone_variants("13812345678")


def test_organisations_match_across_place_prefix_and_company_form() -> None:
    a = Record("眉山市鑫源建筑劳务有限责任公司", is_org=True)
    b = Record("四川眉山鑫源建筑劳务有限公司", is_org=True)
    c = Record("鑫源建筑劳务公司", is_org=True)
    assert a.block == b.block == c.block
    assert same_person(a, c) is not None
    assert same_person(a, Record("眉山恒达建筑劳务有限公司", is_org=True)) is None


def test_links_need_two_pieces_of_evidence() -> None:
    v = 510129101203
    assert same_person(
        Record("张建国", phone="13812345678", unit=v), Record("张健国", unit=v)
    )  # village + sound
    assert same_person(Record("张建国", unit=v), Record("张建国", unit=510129101206)) is None  # other village
    assert same_person(Record("张建国", phone="13812345678"), Record("张建图", phone="13812345678"))
    assert same_person(Record("张建国", phone="13812345678"), Record("张建图", phone="13812345687")) is None
    assert (
        same_person(
            Record("张建国", phone="13812345678", unit=v), Record("张建国", phone="13900000000", unit=v)
        )
        is None
    )


@given(records, records)
def test_matching_is_symmetric(a: Record, b: Record) -> None:
    assert (same_person(a, b) is None) == (same_person(b, a) is None)
    assert name_similarity(a.norm, b.norm) == name_similarity(b.norm, a.norm)
    if a.phone and b.phone:
        assert phone_near(a.phone, b.phone) == phone_near(b.phone, a.phone)


@given(records, records, st.from_regex(r"51[0-9]{15}[0-9X]", fullmatch=True))
def test_an_exact_id_number_always_links(a: Record, b: Record, id_number: str) -> None:
    a2 = Record(a.name, id_number, a.phone, unit=a.unit)
    b2 = Record(b.name, id_number, b.phone, unit=b.unit)
    link = same_person(a2, b2)
    assert link is not None and link.reason == "身份证号码相同"


@given(names, phones, st.integers(0, 9), st.sampled_from(string.digits))
def test_a_typo_in_the_phone_still_links_the_same_name(name: str, phone: str, i: int, digit: str) -> None:
    typo = phone[: i + 1] + digit + phone[i + 2 :]
    assert typo in phone_variants(phone)
    assert same_person(Record(name, phone=phone), Record(name, phone=typo)) is not None


@given(names, names)
def test_normalisation_ignores_spaces_and_full_width_forms(a: str, b: str) -> None:
    spaced = " ".join(a)
    assert entity.normal_name(spaced) == entity.normal_name(a)
    assert name_similarity(entity.normal_name(spaced), b) == name_similarity(a, b)
