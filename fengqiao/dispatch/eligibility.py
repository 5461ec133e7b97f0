"""Who may not take a dispute, and why — pure rules, no ORM, shared by the single
proposal, the batch solver and the actions that write (which check again under lock).

A mediator may take a dispute when he is on the roster, below his cap of open cases,
free of any conflict of interest, and able to be understood by every party (himself
or through an interpreter). Each refusal is a Chinese sentence citing its article.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fengqiao.dispatch.costs import LANGUAGE_LABEL, languages_of


@dataclass(frozen=True)
class PartyFacts:
    id: int
    name: str
    # a key for the resident ID (or an organisation's credit code): in the database paths
    # the blind index of the number, so the numbers are compared without being decrypted
    id_number: str = ""
    language: str = "zh"


@dataclass(frozen=True)
class DeclarationFacts:
    mediator_id: int
    person_name: str
    id_number: str = ""
    relation: str = ""  # its Chinese label


@dataclass(frozen=True)
class ObjectionFacts:
    mediator_id: int
    party_name: str
    ground: str = ""  # its Chinese label


def declaration_matches(d: DeclarationFacts, p: PartyFacts) -> bool:
    """A declaration concerns a party when their identity numbers agree; when either side
    lacks one, when their names agree (宁可多回避，不可漏回避: a namesake is avoided
    needlessly rather than a relative missed)."""
    if d.id_number and p.id_number:
        return d.id_number.strip().upper() == p.id_number.strip().upper()
    return d.person_name.strip() == p.name.strip()


@dataclass
class DeclarationIndex:
    """Declarations looked up by identity number and by name, for many disputes at once."""

    by_ident: dict[str, set[int]] = field(default_factory=dict)
    by_name: dict[str, list[DeclarationFacts]] = field(default_factory=dict)

    @classmethod
    def of(cls, declarations: Iterable[DeclarationFacts]) -> "DeclarationIndex":
        index = cls()
        for d in declarations:
            if d.id_number:
                index.by_ident.setdefault(d.id_number.strip().upper(), set()).add(d.mediator_id)
            index.by_name.setdefault(d.person_name.strip(), []).append(d)
        return index

    def barred_for(self, parties: Iterable[PartyFacts]) -> set[int]:
        """Mediators with a declared relation to any of ``parties`` (same rule as
        ``declaration_matches``)."""
        out: set[int] = set()
        for p in parties:
            ident = p.id_number.strip().upper()
            if ident:
                out |= self.by_ident.get(ident, set())
            for d in self.by_name.get(p.name.strip(), ()):
                if not (d.id_number and ident):
                    out.add(d.mediator_id)
        return out


def conflict_reasons(
    mediator_id: int,
    parties: Sequence[PartyFacts],
    declarations: Iterable[DeclarationFacts],
    objections: Iterable[ObjectionFacts],
) -> list[str]:
    """Why ``mediator_id`` may not mediate among ``parties``, or nothing."""
    out = []
    for d in declarations:
        if d.mediator_id != mediator_id:
            continue
        for p in parties:
            if declaration_matches(d, p):
                out.append(
                    f"调解员已申报与当事人{p.name}存在{d.relation or '利害'}关系，应当回避"
                    "（人民调解法第二十一条：主持公道）"
                )
    for o in objections:
        if o.mediator_id == mediator_id:
            out.append(
                f"当事人{o.party_name}不接受该调解员（{o.ground or '异议'}；人民调解法第二十三条第一项）"
            )
    return out


def problems(
    *,
    name: str,
    is_active: bool,
    load: int,
    cap: int,
    conflicts: Sequence[str],
    missing_languages: int,
    interpreters: int,
) -> list[str]:
    """Every reason the mediator ``name`` cannot take the dispute now; empty when he can.

    ``missing_languages``: bits of the parties' languages he does not speak;
    ``interpreters``: bits for which an interpreter is free in the dispute's county.
    """
    out = []
    if not is_active:
        out.append(f"调解员{name}已不在册")
    if load >= cap:
        out.append(f"调解员{name}在办案件{load}件，已达上限{cap}件")
    out.extend(conflicts)
    for lang in languages_of(missing_languages & ~interpreters):
        label = LANGUAGE_LABEL[lang]
        out.append(
            f"当事人使用{label}，调解员{name}不会{label}，本县也没有可安排的{label}翻译"
            "（人民调解法第二十二条：充分听取当事人的陈述）"
        )
    return out
