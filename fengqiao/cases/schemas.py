"""The shape of a dispute submission, shared by every channel: web form, API and import.

Validation happens once, here. Errors are reported in Chinese with the field's
Chinese label (``chinese_errors``), so a user, an API client and an import report
all read the same message.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fengqiao.cases.choices import Channel, DisputeType, PartyKind, PartyRole
from fengqiao.core import identity

LABELS: dict[str, str] = {
    "channel": "来源渠道",
    "dispute_type": "纠纷类型",
    "summary": "纠纷概要",
    "narrative": "纠纷事实经过",
    "admin_unit": "纠纷发生地",
    "address": "详细地址",
    "amount": "涉及金额",
    "people_involved": "涉及人数",
    "parties": "当事人",
    "external_id": "外部编号",
    "received_at": "登记时间",
    "referred_by_org": "委派/移送单位",
    "role": "当事人地位",
    "kind": "当事人类别",
    "name": "姓名或名称",
    "id_number": "身份证号码",
    "org_code": "统一社会信用代码",
    "phone": "联系电话",
    "language": "使用语言",
    "refuses_mediation": "明确拒绝调解",
}

_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def parse_org_code(raw: str) -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters, the last a MOD 31 check character."""
    value = raw.strip().upper()
    if not _USCC.match(value):
        raise ValueError("统一社会信用代码应为18位数字或大写字母")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    if _USCC_CHARS[(31 - total % 31) % 31] != value[17]:
        raise ValueError("统一社会信用代码校验位不正确")
    return value


Text = Annotated[str, Field(max_length=200)]


class PartyIn(BaseModel):
    """One party as submitted. ID number and phone are optional but must be valid when given."""

    model_config = ConfigDict(str_strip_whitespace=True)

    role: PartyRole
    kind: PartyKind = PartyKind.PERSON
    name: str = Field(min_length=1, max_length=100)
    id_number: str = ""
    org_code: str = ""
    phone: str = ""
    address: Text = ""
    language: str = Field(default="zh", pattern="^(zh|bo|ii)$")
    refuses_mediation: bool = False

    @field_validator("id_number")
    @classmethod
    def _id(cls, v: str) -> str:
        return identity.parse_resident_id(v) if v else ""

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        return identity.parse_phone(v) if v else ""

    @field_validator("org_code")
    @classmethod
    def _org(cls, v: str) -> str:
        return parse_org_code(v) if v else ""

    @model_validator(mode="after")
    def _kind_fields(self) -> "PartyIn":
        if self.kind == PartyKind.ORGANISATION and self.id_number:
            raise ValueError("法人或其他组织请填写统一社会信用代码，不填身份证号码")
        return self

    @property
    def gender(self) -> str:
        return identity.gender_from_id(self.id_number) if self.id_number else ""


class DisputeIn(BaseModel):
    """A new dispute from any channel."""

    model_config = ConfigDict(str_strip_whitespace=True)

    channel: Channel
    # Optional: when the registrar leaves it out, triage proposes it at intake.
    dispute_type: DisputeType | None = None
    summary: str = Field(min_length=2, max_length=120)
    narrative: str = Field(min_length=5, max_length=100_000)
    admin_unit: int = Field(ge=100000000000, le=999999999999)
    address: Text = ""
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    people_involved: int = Field(default=2, ge=1, le=1_000_000)
    parties: list[PartyIn] = Field(min_length=1, max_length=200)
    external_id: str | None = Field(default=None, max_length=64)
    received_at: dt.datetime | None = None
    referred_by_org: int | None = None

    @field_validator("external_id")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v or None


_MESSAGES = {
    "missing": "必填",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "too_short": "至少需要填写一项",
    "too_long": "项数过多",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "数值过大",
    "decimal_max_places": "最多保留两位小数",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "enum": "不是可选的值",
    "datetime_from_date_parsing": "日期时间格式不正确",
    "datetime_parsing": "日期时间格式不正确",
    "string_pattern_mismatch": "不是可选的值",
    "bool_parsing": "应为“是”或“否”",
}


def field_label(loc: tuple[Any, ...]) -> str:
    """('parties', 0, 'id_number') → '当事人1 身份证号码'."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1] = f"{parts[-1]}{item + 1}" if parts else str(item + 1)
        else:
            parts.append(LABELS.get(item, item))
    return " ".join(parts)


def error_item(err: Any, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """One pydantic error as {field, label, message} in Chinese; ``skip`` drops location
    prefixes such as the API's "body"."""
    loc = tuple(x for x in err.get("loc", ()) if x not in skip)
    if err.get("type") == "value_error":
        ctx = err.get("ctx") or {}
        message = str(ctx["error"]) if "error" in ctx else str(err.get("msg", ""))
        message = message.removeprefix("Value error, ")
    else:
        message = _MESSAGES.get(err.get("type", ""), "格式不正确")
    return {"field": ".".join(map(str, loc)), "label": field_label(loc), "message": message}


def chinese_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Each error of a failed validation as {field, label, message} in Chinese."""
    return [error_item(err) for err in exc.errors(include_url=False)]


def describe(errors: list[dict[str, str]]) -> str:
    return "；".join(f"{e['label']}：{e['message']}" if e["label"] else e["message"] for e in errors)
