"""A draft as a document: its blocks, their citation check, and the canonical content a
signature covers.

The canonical content is the JSON of the document's blocks (style and final text of every
line, the parties' particulars included), with sorted keys and no insignificant spaces;
its SHA-256 identifies the document whatever file format it is later rendered to.

Citations: every citation in the document is checked (``statutes.citations.check``). A
citation fails when the law or article does not exist, is not in force, or is misquoted;
it blocks signing. A regulation the corpus does not hold (人民调解工作若干规定, a local
regulation) cannot be verified: it is shown as 无法核对 for a person to confirm, and does
not block signing, because citing it is not wrong.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from fengqiao.assist.choices import DocumentKind, DraftStatus
from fengqiao.assist.drafting.base import Block, Record, record_of
from fengqiao.assist.drafting.kinds import KINDS
from fengqiao.assist.models import Draft, sha256
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError
from fengqiao.statutes import citations
from fengqiao.statutes.citations import Check, Verdict

FORMAT = 1  # bump when the canonical form changes
PASSING = frozenset({Verdict.OK, Verdict.UNVERIFIED})
DRAFT_MARK = "草稿（未签署，仅供核对）"


@dataclass
class Document:
    kind: str
    title: str
    case_number: str
    blocks: list[Block]
    checks: list[Check] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def failing(self) -> list[Check]:
        return [c for c in self.checks if c.verdict not in PASSING]

    @property
    def unverified(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == Verdict.UNVERIFIED]

    def canonical(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "kind": self.kind,
                "title": self.title,
                "case": self.case_number,
                "blocks": [b.as_list() for b in self.blocks],
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    def sha256(self) -> str:
        return sha256(self.canonical().encode())

    def marked_as_draft(self) -> "Document":
        """The same document with the 草稿 mark on top, for downloads before signing."""
        return Document(self.kind, self.title, self.case_number, [Block("mark", DRAFT_MARK), *self.blocks])


def build(draft: Draft, rec: Record) -> Document:
    """The document as it reads now, with the verdict on each of its citations."""
    kind = KINDS[draft.kind]
    blocks = kind.blocks(rec, draft.fields)
    doc = Document(draft.kind, kind.title, rec.number, blocks)
    doc.checks = citations.check(doc.text)
    return doc


def from_canonical(content: str) -> Document:
    """A signed document read back from its stored canonical content."""
    data: dict[str, Any] = json.loads(content)
    return Document(
        data["kind"], data["title"], data["case"], [Block(style, text) for style, text in data["blocks"]]
    )


def agreement_of_case(d: Dispute, *, full: bool) -> Document:
    """The case's mediation agreement as the case page prints and downloads it
    (``cases.documents``): the one place its content is written is the agreement kind here.

    Signed, it is the signed text (for readers who see identities in full, byte for byte
    the canonical content that was hashed); otherwise the latest draft as edited, else the
    agreement drafted afresh from the record. ``full`` False masks the parties' identity
    numbers, phones and addresses (个人信息保护法 Art. 28). The caller has scoped ``d``.
    """
    kind = KINDS[DocumentKind.AGREEMENT]
    drafts = Draft.objects.filter(dispute=d, kind=kind.kind).select_related("signed")
    draft = drafts.filter(status=DraftStatus.SIGNED).order_by("-id").first() or drafts.order_by("-id").first()
    if draft is not None and draft.is_signed and full and not draft.signed.destroyed:
        return from_canonical(draft.signed.content)
    rec = record_of(d, full=full)
    if rec.agreement is None:
        raise DomainError("该纠纷尚未达成调解协议（人民调解法第二十八条）")
    fields = draft.fields if draft is not None and draft.fields else kind.initial(rec)
    doc = Document(kind.kind.value, kind.title, rec.number, kind.blocks(rec, fields))
    doc.checks = citations.check(doc.text)
    return doc
