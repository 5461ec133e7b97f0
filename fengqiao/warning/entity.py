"""Entity resolution over parties: is the 张建国 of this dispute the 张健国 of that one?

Pure rules, no database (``resolution`` applies them to the index). People recur in
the record with small differences: a name typed through a pinyin input method comes
out as a homophone (健 for 建), a phone number has two digits swapped, an ID number
was taken in one case and not in the next. So a person is matched on several keys,
each tolerant in the way its errors happen, and never on a tolerant name alone:

- **name**: full-width forms and separators removed (``normal_name``); its **sound**
  (``sound_key``) is the toneless pinyin of each character, the surname by its
  surname reading (曾 zēng, 单 shàn), the given name with the sounds Sichuan speech
  does not tell apart folded together (zh/z, ch/c, sh/s, n/l, in/ing, en/eng). Not
  folded in the surname, where they separate real names (刘/牛, 胡/付).
- **phone**: the same number, or one digit wrong, or two adjacent digits swapped
  (``phone_near``; ``phone_variants`` lists them for an indexed ``IN`` lookup).
- **ID number**: exact. It carries a check digit (GB 11643), so a typo is caught at
  entry; what happens is that it is missing. Only equality is asked of it, so the
  database side passes its blind index (core.crypto) instead of the number.

``name_similarity`` (symmetric, 0–1): 1 identical; 0.95 same sound (a homophone
typo); 0.8 one character different in a name of three or more characters, surname
kept; 0.7 one character more or fewer (three or more); lower otherwise.

``same_person`` links two records — symmetric, the first rule that applies decides:

1. Both have an ID number: equal → the same person, whatever the names say (an ID
   always links); different → different people.
2. The same phone and names at least 0.8 alike (张建国 / 张建图).
3. A phone one typo away and names of the same sound (≥ 0.9).
4. The same village (the disputes' admin unit) and names of the same sound (≥ 0.9),
   unless both phones are recorded and are not near each other.

An anonymised party (当事人甲 once the retention period has passed) links to no one.

Organisations (a firm, a villagers' group, a hospital) link by credit code when both
have one (equal → same, different → not), otherwise by ``org_key``: the name
without province/city prefix and company-form suffix (成都市鑫源建筑劳务有限公司 ≡
鑫源建筑劳务公司), exact. A person never links to an organisation.

Why these thresholds: a village has one or two thousand people and few full-name
namesakes, but many 张建X; a shared phone is a household, so it carries the name
only part of the way. Each rule needs two independent pieces of evidence.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

PINYIN_FILE = Path(__file__).resolve().parent / "data" / "pinyin.tsv"

# Surname readings that differ from the character's first reading in the table.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "尉": "yu",
    "员": "yun",
    "万": "wan",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "秘": "bi",
    "重": "chong",
    "长": "chang",
    "柏": "bai",
    "覃": "qin",
    "召": "shao",
    "宿": "su",
    "沈": "shen",
    "石": "shi",
    "华": "hua",
    "任": "ren",
    "纪": "ji",
    "燕": "yan",
    "蕃": "pi",
}

_SEPARATORS = re.compile(r"[\s·•・．.\-_、,，()（）]+")
_FULLWIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
_PROVINCE = re.compile(r"^四川省?")
_CITIES = "成都|自贡|攀枝花|泸州|德阳|绵阳|广元|遂宁|内江|乐山|南充|眉山|宜宾|广安|达州|雅安|巴中|资阳|阿坝|甘孜|凉山"
_CITY = re.compile(rf"^(?:{_CITIES})(?:市|藏族羌族自治州|藏族自治州|彝族自治州|州)?")
_COMPANY_FORM = re.compile(r"(?:股份)?有限(?:责任)?公司$|有限责任$")


@functools.cache
def pinyin_table() -> dict[str, str]:
    """Character → toneless pinyin (its first reading), from ``data/pinyin.tsv``."""
    table: dict[str, str] = {}
    for line in PINYIN_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        sound, chars = line.split("\t")
        for ch in chars:
            table[ch] = sound
    return table


def _fold(syllable: str) -> str:
    """Sichuan fuzzy sounds (模糊音): zh/z, ch/c, sh/s, n/l, in/ing, en/eng."""
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    if syllable.startswith("n") and not syllable.startswith("ng"):
        syllable = "l" + syllable[1:]
    if syllable.endswith(("ing", "eng")):
        syllable = syllable[:-1]
    return syllable


def normal_name(raw: str) -> str:
    """The name as compared: full-width forms to ASCII, separators and spaces removed."""
    return _SEPARATORS.sub("", raw.translate(_FULLWIDTH)).lower()


def sound_key(name: str) -> str:
    """How the (normalised) name sounds; homophone typos share it. Characters without a
    reading (letters, digits) stand for themselves."""
    table = pinyin_table()
    parts = []
    for i, ch in enumerate(name):
        if i == 0:
            parts.append(SURNAME_READINGS.get(ch) or table.get(ch, ch))
        else:
            reading = table.get(ch)
            parts.append(_fold(reading) if reading else ch)
    return " ".join(parts)


def org_key(raw: str) -> str:
    """An organisation's name without its place prefix and company form."""
    name = normal_name(raw)
    name = _PROVINCE.sub("", name)
    name = _CITY.sub("", name)
    name = _COMPANY_FORM.sub("公司", name)
    return name


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short; no need for anything cleverer)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def name_similarity(a: str, b: str) -> float:
    """How alike two normalised person names are (symmetric; see the module docstring)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(a) == len(b) and sound_key(a) == sound_key(b):
        return 0.95
    d = _edit_distance(a, b)
    n = max(len(a), len(b))
    if d == 1 and n >= 3 and a[0] == b[0]:
        return 0.8 if len(a) == len(b) else 0.7
    return round(max(0.0, 1 - d / n) * 0.75, 3)


def phone_near(a: str, b: str) -> bool:
    """Equal, one digit different, or two adjacent digits swapped."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        i, j = diff
        return a[i] == b[j] and a[j] == b[i]
    return False


def phone_variants(phone: str) -> list[str]:
    """Every number ``phone_near`` to ``phone`` (itself first): about 110 for a mobile."""
    out = [phone]
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    for i in digits:
        for d in "0123456789":
            if d != phone[i]:
                out.append(phone[:i] + d + phone[i + 1 :])
    for i in digits:
        j = i + 1
        if j < len(phone) and phone[j].isdigit() and phone[i] != phone[j]:
            out.append(phone[:i] + phone[j] + phone[i] + phone[j + 1 :])
    return out


# A party whose personal data the retention rules have removed (cases.rights.
# anonymise_expired: 当事人甲, 当事人乙…, no numbers): no longer anyone to recognise.
_ANONYMISED = re.compile(r"^当事人[甲乙丙丁戊己庚辛壬癸]$")


def is_anonymised(name: str) -> bool:
    return bool(_ANONYMISED.match(name))


@dataclass(frozen=True)
class Record:
    """A party as entity resolution sees it."""

    name: str
    id_number: str = ""  # the number, or any one-to-one key of it (its blind index)
    phone: str = ""  # the digits: nearness needs them
    org_code: str = ""
    is_org: bool = False
    unit: int = 0  # the admin unit of the party's dispute
    norm: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", org_key(self.name) if self.is_org else normal_name(self.name))

    @property
    def anonymised(self) -> bool:
        return not (self.id_number or self.phone or self.org_code) and is_anonymised(self.name)

    @property
    def block(self) -> str:
        """The indexed key under which records that may be this one are found without
        an ID or phone: village and sound for a person, the name key for an organisation;
        "" for an anonymised party (``resolution`` gives it a key of its own)."""
        if self.anonymised:
            return ""
        if self.is_org:
            return f"org:{self.norm}"[:120]
        return f"{self.unit}:{sound_key(self.norm)}"[:120]


@dataclass(frozen=True)
class Link:
    """Why two records are taken for the same party (the reason is shown to officers)."""

    reason: str
    score: float


SAME_PHONE = 0.8  # rule 2
SAME_SOUND = 0.9  # rules 3 and 4


def same_person(a: Record, b: Record) -> Link | None:
    """Whether ``a`` and ``b`` are the same party, and why (see the module docstring)."""
    if a.is_org != b.is_org or a.anonymised or b.anonymised:
        return None
    if a.is_org:
        return _same_org(a, b)
    if a.id_number and b.id_number:
        return Link("身份证号码相同", 1.0) if a.id_number == b.id_number else None
    sim = name_similarity(a.norm, b.norm)
    if a.phone and b.phone:
        if a.phone == b.phone and sim >= SAME_PHONE:
            return Link("联系电话相同、姓名" + ("相同" if sim == 1 else "相近"), sim)
        if phone_near(a.phone, b.phone) and sim >= SAME_SOUND:
            return Link("联系电话仅一位之差、姓名" + ("相同" if sim == 1 else "同音"), sim * 0.95)
        if not phone_near(a.phone, b.phone):
            return None
    if a.unit and a.unit == b.unit and sim >= SAME_SOUND:
        return Link("同村(社区)、姓名" + ("相同" if sim == 1 else "同音"), sim * 0.9)
    return None


def _same_org(a: Record, b: Record) -> Link | None:
    if a.org_code and b.org_code:
        return Link("统一社会信用代码相同", 1.0) if a.org_code == b.org_code else None
    if a.norm and a.norm == b.norm:
        return Link("单位名称相同", 0.95)
    return None
