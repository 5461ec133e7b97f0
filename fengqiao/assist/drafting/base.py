"""What every drafted document is made of: the case record it is drafted from, the editable
fields it offers, and the blocks (styled paragraphs) it renders to.

A document is a list of ``Block``s — title, number, headings, body paragraphs, signature
lines, the date — which both renderers (DOCX, PDF) lay out the same way and which, as
canonical JSON, is what a signature's hash covers (``document.py``).
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.models import PinnedArticle
from fengqiao.cases.choices import Action, PartyKind
from fengqiao.cases.models import Agreement, Dispute, Party, SessionRecord
from fengqiao.core import clock, identity
from fengqiao.geography import queries as geo
from fengqiao.geography.choices import Level, OrgKind
from fengqiao.statutes.titles import book_title

# Block styles, in the terms of GB/T 9704: 标题 (title), 发文字号 (number), 一级标题 (heading),
# 正文 (body, first line indented two characters), 不缩进正文 (plain), 落款 (sign),
# 成文日期 (date, right), 附注 (note), and the 草稿 mark a draft carries until signed.
STYLES = ("title", "number", "heading", "body", "plain", "sign", "date", "note", "mark")
BLANK = "＿" * 8  # a line to sign or fill in by hand


@dataclass(frozen=True)
class Block:
    style: str
    text: str

    def as_list(self) -> list[str]:
        return [self.style, self.text]


@dataclass(frozen=True)
class FieldSpec:
    """One editable field of a document: key in ``Draft.fields``, Chinese label, and whether
    signing needs it filled."""

    key: str
    label: str
    required: bool = True
    multiline: bool = True
    max_length: int = 5000
    help: str = ""


@dataclass(frozen=True)
class PartyLine:
    """A party's particulars as a document states them (read from the encrypted record)."""

    id: int
    role_label: str
    name: str
    is_person: bool
    gender_label: str
    id_number: str
    org_code: str
    phone: str
    address: str

    @property
    def birth(self) -> str:
        if not self.id_number or len(self.id_number) != 18:
            return ""
        try:
            born = identity.birth_date_from_id(self.id_number)
        except ValueError:
            return ""
        return cn_date(born)

    def particulars(self, label: str = "") -> str:
        """申请人：张三，男，1980年5月17日出生，身份证号码：…，住址：…，联系电话：…"""
        bits = [f"{label or self.role_label}：{self.name}"]
        if self.gender_label:
            bits.append(self.gender_label)
        if self.birth:
            bits.append(f"{self.birth}出生")
        if self.id_number:
            bits.append(f"身份证号码：{self.id_number}")
        elif self.org_code:
            bits.append(f"统一社会信用代码：{self.org_code}")
        if self.address:
            bits.append(f"住址：{self.address}")
        if self.phone:
            bits.append(f"联系电话：{self.phone}")
        return "，".join(bits) + "。"


@dataclass(frozen=True)
class Failure:
    """The failure of mediation as the timeline recorded it (人民调解法 Art. 26)."""

    on: dt.date
    reason: str
    advice: str


@dataclass
class Record:
    """Everything a document may state, read from the case at drafting time."""

    dispute: Dispute
    number: str
    type_label: str
    summary: str
    narrative: str
    place: str
    committee: str
    mediator: str
    parties: list[PartyLine]
    agreement: Agreement | None
    sessions: list[SessionRecord]
    accepted_on: dt.date | None
    failure: Failure | None
    pinned: list[PinnedArticle]
    today: dt.date
    applicant: PartyLine | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def court(self) -> str:
        """The basic court above the place of the dispute (民事诉讼法 Art. 205 (二))."""
        org = geo.nearest_org(self.dispute.admin_unit_id, OrgKind.COURT)
        return org.name if org else ""

    @functools.cached_property
    def legal_aid_centre(self) -> str:
        """The legal-aid institution where the dispute arose (法律援助法 Art. 38)."""
        org = geo.nearest_org(self.dispute.admin_unit_id, OrgKind.LEGAL_AID_CENTER)
        return org.name if org else ""


def cn_date(day: dt.date) -> str:
    """GB/T 9704 dates: Arabic numerals, no leading zeros (2026年3月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def party_line(p: Party, full: bool = True) -> PartyLine:
    """A party's particulars; ``full=False`` masks them as the case page does for roles that do
    not see identities in full (``cases.presenters.party``; 个人信息保护法 Art. 28)."""
    id_number, phone, address = p.id_number or "", p.phone or "", p.address or ""
    if not full:
        id_number = identity.mask_id(id_number) if id_number else ""
        phone = identity.mask_phone(phone) if phone else ""
        address = "（已隐藏）" if address else ""
    return PartyLine(
        p.pk,
        p.get_role_display(),
        p.name,
        p.kind == PartyKind.PERSON,
        p.get_gender_display() if p.gender else "",
        id_number,
        p.org_code,
        phone,
        address,
    )


def record_of(d: Dispute, party: Party | None = None, *, full: bool = True) -> Record:
    """Read the case for drafting (the caller has already scoped ``d`` to the actor); ``full``
    False masks the parties' identity numbers, phones and addresses."""
    fail = d.transitions.filter(action=Action.FAIL_MEDIATION).order_by("-at", "-id").first()
    failure = None
    if fail is not None:
        advice = str(fail.data.get("advice", ""))
        reason = fail.reason.split("\n告知其他途径：")[0].strip()
        failure = Failure(timezone.localdate(fail.at), reason, advice)
    accept = d.transitions.filter(action=Action.ACCEPT).order_by("at", "id").first()
    return Record(
        dispute=d,
        number=d.number,
        type_label=d.get_dispute_type_display(),
        summary=d.summary,
        narrative=d.narrative,
        place=geo.full_name(d.admin_unit_id, from_level=Level.COUNTY),
        committee=d.handling_org.name if d.handling_org else "",
        mediator=d.mediator.name if d.mediator else "",
        parties=[party_line(p, full) for p in d.parties.order_by("id")],
        agreement=d.agreements.order_by("-created_at", "-id").first(),
        sessions=list(d.sessions.order_by("held_at", "id")),
        accepted_on=timezone.localdate(accept.at) if accept else None,
        failure=failure,
        pinned=list(
            PinnedArticle.objects.filter(dispute=d)
            .filter(unpinned_at__isnull=True)
            .order_by("pinned_at", "id")
        ),
        today=clock.today(),
        applicant=party_line(party, full) if party is not None else None,
    )


def cite_articles(pins: list[PinnedArticle]) -> str:
    """《中华人民共和国民法典》第二百八十八条、第二百九十六条，《…》第…条 — grouped by law, in
    the order pinned, as the citation check reads lists."""
    groups: dict[str, list[str]] = {}
    for p in pins:
        groups.setdefault(p.law_name, []).append(p.number_text)
    return "，".join(book_title(law) + "、".join(numbers) for law, numbers in groups.items())


def sentence(text: str) -> str:
    """A field's text as a sentence: a full stop added when it ends without punctuation."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；：…）)”" else text + "。"


def paragraphs(style: str, text: str) -> list[Block]:
    """One block per non-empty line of a field (each line a paragraph of its own)."""
    return [Block(style, sentence(line)) for line in text.splitlines() if line.strip()]


class Kind:
    """A kind of document: its fields, when it may be drafted, and how it reads."""

    kind: DocumentKind
    title: str
    number_prefix: str = ""  # 川调协 → 川调协2026-0000123
    needs_party: bool = False  # drafted for one party (the legal-aid applicant)
    fields: tuple[FieldSpec, ...] = ()

    @property
    def label(self) -> str:
        return str(self.kind.label)

    def unavailable(self, rec: Record) -> str | None:
        """Why this document cannot be drafted for the case now (None: it can)."""
        return None

    def initial(self, rec: Record) -> dict[str, str]:
        raise NotImplementedError

    def body(self, rec: Record, f: dict[str, str]) -> list[Block]:
        raise NotImplementedError

    def number(self, rec: Record) -> str:
        if not self.number_prefix:
            return ""
        return rec.number.replace("川调", self.number_prefix, 1)

    def blocks(self, rec: Record, fields: dict[str, str]) -> list[Block]:
        f = {spec.key: str(fields.get(spec.key, "")).strip() for spec in self.fields}
        out = [Block("title", self.title)]
        if number := self.number(rec):
            out.append(Block("number", f"编号：{number}"))
        return out + self.body(rec, f)

    def spec(self, key: str) -> FieldSpec | None:
        return next((s for s in self.fields if s.key == key), None)
