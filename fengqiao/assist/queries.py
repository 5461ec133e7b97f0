"""Read-side selectors of the assist app, scoped by jurisdiction.

Everything about a case goes through ``cases.queries.dispute_for`` (NotFound outside the
actor's jurisdiction); drafts are found only among the actor's disputes. Who may do what:

- read pinned and proposed articles: anyone who may see the case;
- pin, unpin, draft, edit, sign: those who may act on the case at its tier
  (``accounts.roles.may_mediate_at``, as ``cases.presenters.may_act``);
- read drafts and signed documents: roles that see parties' identities in full
  (``FULL_IDENTITY_ROLES``), because the documents state them (个人信息保护法 Art. 28).
"""

from collections.abc import Sequence, Set
from dataclasses import dataclass

from django.db.models import QuerySet

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import FULL_IDENTITY_ROLES
from fengqiao.assist.models import Draft, PinnedArticle
from fengqiao.cases import presenters
from fengqiao.cases import queries as case_queries
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import NotFound, PermissionDenied
from fengqiao.statutes import queries as statute_queries
from fengqiao.statutes import search
from fengqiao.statutes.choices import LawRange
from fengqiao.statutes.search import Hit
from fengqiao.triage.taxonomies import STATUTE_SOURCES, Taxonomy

PROPOSALS = 5
MAX_CASE_TEXT = 2000


def may_act(actor: User, d: Dispute) -> bool:
    return presenters.may_act(actor, d)


def may_read_documents(actor: User) -> bool:
    return actor.role in FULL_IDENTITY_ROLES


def require_act(actor: User, d: Dispute, what: str) -> None:
    if not may_act(actor, d):
        raise PermissionDenied(f"该纠纷由{d.get_tier_display()}办理，您不能{what}")


def pinned(d: Dispute) -> QuerySet[PinnedArticle]:
    """The articles pinned to the case now, in the order pinned."""
    return (
        PinnedArticle.objects.filter(dispute=d)
        .filter(unpinned_at__isnull=True)
        .select_related("article", "pinned_by")
    )


def pin_history(d: Dispute) -> QuerySet[PinnedArticle]:
    return (
        PinnedArticle.objects.filter(dispute=d)
        .select_related("pinned_by", "unpinned_by")
        .order_by("pinned_at", "id")
    )


@dataclass
class Proposal:
    """An article proposed for a case, with the database id to pin it by."""

    rank: int
    hit: Hit
    article_id: int | None
    pinned: bool


def case_text(d: Dispute) -> str:
    return f"{d.summary}\n{d.narrative}"[:MAX_CASE_TEXT]


def proposals(d: Dispute, top: int = PROPOSALS) -> list[Proposal]:
    """The articles that most likely govern the case (its summary and narrative), with the
    reasons and highlighted passages of the statute search; the statutes that govern its
    dispute type (``triage.taxonomies.STATUTE_SOURCES``) are preferred."""
    prefer = STATUTE_SOURCES[Taxonomy.MEDIATION].get(d.dispute_type, ()) if d.dispute_type else ()
    live = set(pinned(d).values_list("article_key", flat=True))
    return proposals_for(case_text(d), prefer, top, live)


def proposals_for(
    text: str, prefer: Sequence[LawRange] = (), top: int = PROPOSALS, pinned_keys: Set[str] = frozenset()
) -> list[Proposal]:
    """The articles that most likely govern a matter told by ``text`` (a case, a citizen's
    question), ``prefer``: the statutes of its type or topic; with their database ids."""
    hits = search.articles_for_case(text, top, prefer)
    ids = statute_queries.ids_by_key([h.key for h in hits])
    return [Proposal(i + 1, h, ids.get(h.key), h.key in pinned_keys) for i, h in enumerate(hits)]


def drafts(d: Dispute) -> QuerySet[Draft]:
    return (
        Draft.objects.filter(dispute=d)
        .select_related("created_by", "updated_by", "party", "signed")
        .order_by("-created_at", "-id")
    )


def draft_for(actor: User, pk: int, *, for_update: bool = False) -> Draft:
    """A draft of a dispute the actor may see and whose documents he may read, or NotFound."""
    if not may_read_documents(actor):
        raise NotFound()
    qs = Draft.objects.filter(dispute__in=case_queries.disputes_for(actor).values("pk"))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.select_related("dispute", "party").get(pk=pk)
    except (Draft.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
