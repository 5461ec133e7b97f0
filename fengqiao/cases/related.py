"""Finding related disputes (一揽子调处): which other disputes a new one belongs with.

Three kinds, each from indexed lookups only, so a new dispute is checked against
millions in milliseconds:
- the same parties: a party with the same resident ID number or phone number;
- the same place and matter: the same village, type, received within half a year of
  it (before or after), with summaries that share most of their words (character-bigram
  overlap);
- a mass dispute: many disputes in the county against the same respondent received
  within a year of it (before or after: an older case's page shows what followed it too).
Each window is bounded on both sides, so the work is the same for an old case as a new one.
Candidates are proposals with reasons; linking is the officer's decision.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from fengqiao.accounts.models import User
from fengqiao.cases import queries
from fengqiao.cases.choices import GroupKind, PartyRole
from fengqiao.cases.models import Dispute, Party
from fengqiao.geography import codes
from fengqiao.geography.choices import Level

SAME_MATTER_DAYS = 180
MASS_DAYS = 365
MASS_MIN = 3  # disputes against one respondent before it looks like a mass dispute
SIMILAR = 0.35
LIMIT = 20
PRIORITY = {GroupKind.SAME_PARTIES: 0, GroupKind.MASS: 1, GroupKind.SAME_MATTER: 2}


@dataclass
class Candidate:
    dispute: Dispute
    kind: GroupKind
    reasons: list[str] = field(default_factory=list)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def related_to(actor: User, dispute: Dispute) -> list[Candidate]:
    """Disputes the actor can see that look related to ``dispute``, strongest first."""
    visible = queries.disputes_for(actor).exclude(pk=dispute.pk)
    found: dict[int, Candidate] = {}

    def add(d: Dispute, kind: GroupKind, reason: str) -> None:
        c = found.setdefault(d.pk, Candidate(d, kind))
        if PRIORITY[kind] < PRIORITY[c.kind]:
            c.kind = kind  # the stronger tie names the group; every reason is kept
            c.reasons.insert(0, reason)
        else:
            c.reasons.append(reason)

    parties = list(dispute.parties.all())
    ids = [p.id_number_bidx for p in parties if p.id_number_bidx]
    phones = [p.phone_bidx for p in parties if p.phone_bidx]
    if ids or phones:  # through the blind indexes: the numbers themselves are encrypted
        match = Q(id_number_bidx__in=ids) if ids else Q(pk__in=[])
        if phones:
            match |= Q(phone_bidx__in=phones)
        same = Party.objects.filter(match).exclude(dispute=dispute).values_list("dispute_id", "name")[:200]
        by_dispute: dict[int, set[str]] = {}
        for dispute_id, name in same:
            by_dispute.setdefault(dispute_id, set()).add(name)
        for d in visible.filter(pk__in=list(by_dispute)).order_by("-received_at")[:LIMIT]:
            add(
                d,
                GroupKind.SAME_PARTIES,
                f"同一当事人：{'、'.join(sorted(by_dispute[d.pk]))}（身份证号或电话相同）",
            )

    half_year = dt.timedelta(days=SAME_MATTER_DAYS)
    nearby = visible.filter(
        admin_unit_id=dispute.admin_unit_id,
        dispute_type=dispute.dispute_type,
        received_at__gte=dispute.received_at - half_year,
        received_at__lte=dispute.received_at + half_year,
    ).order_by("-received_at")[:200]
    for d in nearby:
        score = similarity(dispute.summary, d.summary)
        if score >= SIMILAR:
            add(d, GroupKind.SAME_MATTER, f"同一地点、同类纠纷，概要相似度{score:.0%}")

    respondents = [p.name for p in parties if p.role == PartyRole.RESPONDENT and len(p.name) >= 2]
    county = codes.ancestor_at(dispute.admin_unit_id, Level.COUNTY)
    if respondents and county:
        lo, hi = codes.subtree(county)
        year = dt.timedelta(days=MASS_DAYS)
        # Driven from the county's disputes within the window (a bounded set), not from
        # the respondent's name: a large employer faces thousands of claims province-wide
        # over the years, and joining each of them to its dispute is what made this slow.
        window = (
            Dispute.objects.filter(
                admin_unit_id__gte=lo,
                admin_unit_id__lt=hi,
                received_at__gte=dispute.received_at - year,
                received_at__lte=dispute.received_at + year,
            )
            .exclude(pk=dispute.pk)
            .values("pk")
        )
        claims: dict[str, set[int]] = {}
        for name, dispute_id in Party.objects.filter(
            dispute_id__in=window, name__in=respondents, role=PartyRole.RESPONDENT
        ).values_list("name", "dispute_id"):
            claims.setdefault(name, set()).add(dispute_id)
        for name, against in sorted(claims.items()):
            if len(against) + 1 >= MASS_MIN:
                for d in visible.filter(pk__in=sorted(against)).order_by("-received_at")[:LIMIT]:
                    add(
                        d,
                        GroupKind.MASS,
                        f"群体性：前后一年内本县共有{len(against) + 1}件纠纷针对同一被申请人“{name}”",
                    )
    return sorted(found.values(), key=lambda c: (PRIORITY[c.kind], -c.dispute.received_at.timestamp()))[
        :LIMIT
    ]
