"""Synthetic people and bodies for demo data: names, resident ID numbers, mobile numbers,
unified social credit codes and company names.

Everything is drawn from a caller-supplied ``random.Random`` so a seed reproduces a run.
Identifiers are valid by their standards (GB 11643 check character, GB 32100 check
character) so that they pass the same parsers as real input, but they are random and
belong to nobody.
"""

import datetime as dt
import random
from bisect import bisect_right
from itertools import accumulate

from fengqiao.core.identity import id_check_char

# Surnames in rough order of frequency in Sichuan (何, 罗, 谢, 曾, 邓 rank higher here
# than nationally); the weights taper so common names dominate as they do in life.
SURNAMES = (
    "王李张刘陈杨黄赵周吴何罗徐谢唐曾邓冯彭胡郭林蒋余朱高马梁宋郑肖许袁韩杜"
    "蔡田程向魏苏汪吕叶姚钟卢廖熊任丁董付严龚雷范潘文贺毛江万邱秦孙税敬鄢"
)
SURNAME_WEIGHTS = tuple(max(1.0, 30.0 - i * 0.5) for i in range(len(SURNAMES)))
_SURNAME_CUM = tuple(accumulate(SURNAME_WEIGHTS))

MALE_CHARS = "建国明军华伟强勇平志红兵刚波林峰涛斌辉鹏超杰文光德福贵成祥海庆忠全俊宇浩"
FEMALE_CHARS = "秀英芳丽敏静燕玲霞桂兰琴梅蓉红娟萍艳丹琳雪莉婷慧淑芬凤珍翠菊春晓玉雯"

# Tibetan personal names have no surname; two common elements make a full name.
TIBETAN_MALE = (
    "扎西",
    "次仁",
    "多吉",
    "格桑",
    "泽仁",
    "尼玛",
    "益西",
    "降措",
    "洛绒",
    "贡布",
    "昂旺",
    "丹增",
)
TIBETAN_FEMALE = (
    "卓玛",
    "拉姆",
    "央金",
    "德吉",
    "曲珍",
    "措姆",
    "志玛",
    "永珍",
    "白玛",
    "泽珍",
    "娜姆",
    "巴姆",
)
# Yi names: a clan name (家支) followed by a given name.
YI_CLANS = (
    "阿西",
    "吉克",
    "沙马",
    "马海",
    "阿苦",
    "吉伍",
    "海来",
    "俄木",
    "曲比",
    "吉木",
    "勒格",
    "阿尔",
    "瓦扎",
    "罗洪",
)
YI_MALE = ("木呷", "石布", "日者", "伍牛", "尔布", "克古", "拉哈", "伍各", "阿牛", "莫色", "金曲", "拉博")
YI_FEMALE = ("阿支", "阿果", "拉且", "阿呷", "么么", "石各", "伍呷", "阿依", "日火", "阿妞", "乌嫫", "子莫")

# Mobile number prefixes of the three carriers (and 19x) in use in Sichuan.
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "193",
    "195",
    "198",
    "199",
]

BRANDS = [
    "鑫源",
    "恒达",
    "蜀丰",
    "锦程",
    "天府",
    "川兴",
    "瑞祥",
    "宏发",
    "金穗",
    "盛华",
    "安居",
    "德润",
    "百川",
    "博远",
    "嘉禾",
    "荣鑫",
    "巴蜀",
    "川航",
    "新蓉",
    "长润",
    "惠民",
    "兴旺",
    "众诚",
    "汇丰",
    "良田",
    "青禾",
    "明远",
    "顺通",
    "福星",
    "永安",
]

# GB 32100-2015 character set and weights for the final check character.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997 weights for the organisation code's own check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def han_name(rng: random.Random, male: bool) -> str:
    """A Han Chinese name: a surname and a one- or two-character given name."""
    surname = SURNAMES[bisect_right(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])]
    chars = MALE_CHARS if male else FEMALE_CHARS
    given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
    return surname + given


def local_name(rng: random.Random, male: bool, language: str) -> str:
    """A Tibetan (``bo``) or Yi (``ii``) name; a Han name for any other language."""
    if language == "bo":
        # The last element marks the gender ('扎西卓玛' is a woman); the first may be either.
        if male:
            first, last = rng.sample(TIBETAN_MALE, 2)
            return first + last
        return rng.choice(TIBETAN_MALE) + rng.choice(TIBETAN_FEMALE)
    if language == "ii":
        return rng.choice(YI_CLANS) + rng.choice(YI_MALE if male else YI_FEMALE)
    return han_name(rng, male)


def relative_name(rng: random.Random, of: str, male: bool) -> str:
    """A name for a brother, sister or child of ``of``: the same surname (Han) or clan
    name (Yi); Tibetan names carry no family name, so any Tibetan name."""
    if of[:2] in YI_CLANS:
        return of[:2] + rng.choice(YI_MALE if male else YI_FEMALE)
    if of[:2] in TIBETAN_MALE + TIBETAN_FEMALE:
        return local_name(rng, male, "bo")
    return of[0] + han_name(rng, male)[1:]


def resident_id(rng: random.Random, region: str, born: dt.date, male: bool) -> str:
    """A valid 18-character resident ID number (GB 11643) for ``region`` (6 digits).

    The 17th digit is odd for men and even for women, as the standard requires.
    """
    seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def birth_date(rng: random.Random, on: dt.date, min_age: int, max_age: int) -> dt.date:
    """A birth date giving an age between ``min_age`` and ``max_age`` on ``on``."""
    days = rng.randint(min_age * 365 + 1, max_age * 365 + 300)
    return on - dt.timedelta(days=days)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-digit organisation code body."""
    c = 11 - sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code(rng: random.Random, region: str, prefix: str = "91") -> str:
    """A valid unified social credit code (GB 32100): ``prefix`` 91 for companies,
    12 for public institutions such as hospitals."""
    body = f"{rng.randrange(10**8):08d}"
    first17 = prefix + region + body + _org_code_check(body)
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


def company_name(rng: random.Random, city_short: str, line: str) -> str:
    """'成都鑫源建筑劳务有限公司' — city short name, a brand word, the line of business."""
    return f"{city_short}{rng.choice(BRANDS)}{line}有限公司"
