"""Parsers for the identifiers people write on forms: resident ID numbers and phone numbers.

Each returns the normalised value or raises ``ValueError`` with a Chinese message.
"""

import re
from datetime import date

# GB 11643-1999 公民身份号码: 17 digits + check character (ISO 7064 MOD 11-2).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Province-level codes of GB/T 2260 that can begin a resident ID number.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
        "91",
    ]
)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_resident_id(raw: str, *, today: date | None = None) -> str:
    """Validate an 18-digit resident ID number (GB 11643): shape, region, birth date, check digit."""
    value = raw.strip().replace(" ", "").upper().replace("Ｘ", "X")
    if not _ID_SHAPE.match(value):
        raise ValueError("身份证号码应为18位，前17位为数字，最后一位为数字或X")
    if value[:2] not in _PROVINCES:
        raise ValueError("身份证号码的地区码无效")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValueError("身份证号码中的出生日期无效") from None
    if born.year < 1900 or born > (today or date.today()):
        raise ValueError("身份证号码中的出生日期无效")
    if id_check_char(value[:17]) != value[17]:
        raise ValueError("身份证号码校验位不正确，请核对")
    return value


def birth_date_from_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    """GB 11643: the 17th digit is odd for men, even for women."""
    return "male" if int(value[16]) % 2 else "female"


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def parse_phone(raw: str) -> str:
    """A mainland mobile number (11 digits, 13x–19x) or a landline with area code.

    Spaces, hyphens inside mobiles and a +86/0086 prefix are tolerated and removed.
    """
    value = raw.strip().replace(" ", "").replace("（", "(").replace("）", ")")
    value = value.replace("(", "").replace(")", "")
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :].lstrip("-")
    compact = value.replace("-", "")
    if _MOBILE.match(compact):
        return compact
    if _LANDLINE.match(value):
        return value
    raise ValueError("手机号码应为11位中国大陆手机号（如13812345678），固定电话需带区号（如028-12345678）")


def mask_id(value: str) -> str:
    """Show the region prefix and the last four: 5101********1234."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
