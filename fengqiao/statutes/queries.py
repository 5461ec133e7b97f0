"""Read-side selectors for the statute book.

Statutes are public law: every signed-in user may read all of them, so unlike the case
queries these are not scoped by jurisdiction.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from fengqiao.core.errors import NotFound
from fengqiao.statutes import vocabulary
from fengqiao.statutes.choices import EFFECTIVE, Status
from fengqiao.statutes.models import Article, Law


def laws(*, status: str | None = None, q: str = "", effective_only: bool = False) -> QuerySet[Law]:
    """Laws by name, in-force first; ``status`` is one of ``Status`` values."""
    qs = Law.objects.all()
    if status:
        qs = qs.filter(status=status)
    elif effective_only:
        qs = qs.filter(status__in=list(EFFECTIVE))
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(short_name__contains=q.strip()))
    return qs.order_by("department", "short_name", "-version_on")


def law(pk: int) -> Law:
    found = Law.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound("没有这部法律")
    return found


def article(pk: int) -> Article:
    found = Article.objects.select_related("law").filter(pk=pk).first()
    if found is None:
        raise NotFound("没有这条法条")
    return found


def article_by_number(law_id: int, number: int, sub: int = 0) -> Article | None:
    return Article.objects.filter(law_id=law_id, number=number, sub=sub).order_by("position").first()


def situations(a: Article) -> tuple[str, ...]:
    """The situations in lay words the team wrote for ``a`` when it is in force (they say
    what the article is about, in a villager's words; they are not law)."""
    return vocabulary.situations_of(a.law.short_name, a.number, sub=a.sub, in_force=a.status in EFFECTIVE)


def neighbours(a: Article) -> tuple[Article | None, Article | None]:
    """The articles before and after ``a`` in its law."""
    siblings = Article.objects.filter(law_id=a.law_id)
    before = siblings.filter(position__lt=a.position).order_by("-position").first()
    after = siblings.filter(position__gt=a.position).order_by("position").first()
    return before, after


def ids_by_key(keys: list[str]) -> dict[str, int]:
    """Database ids of articles by their source keys (search hits carry source keys)."""
    if not keys:
        return {}
    return dict(Article.objects.filter(source_key__in=keys).values_list("source_key", "id"))


def law_ids_by_key(keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    return dict(Law.objects.filter(source_key__in=keys).values_list("source_key", "id"))


@dataclass
class Chapter:
    """A run of consecutive articles under one chapter title (titles repeat across the 编 of a
    code, so chapters are runs, not names)."""

    title: str
    sections: list[tuple[str, list[Article]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(arts) for _, arts in self.sections)


def chapters(law: Law) -> list[Chapter]:
    out: list[Chapter] = []
    for a in law.articles.order_by("position").only(
        "id", "number", "sub", "number_text", "chapter", "section", "text", "status", "position", "law_id"
    ):
        if not out or out[-1].title != a.chapter:
            out.append(Chapter(a.chapter))
        sections = out[-1].sections
        if not sections or sections[-1][0] != a.section:
            sections.append((a.section, []))
        sections[-1][1].append(a)
    return out


def status_counts() -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for s in Law.objects.values_list("status", flat=True):
        counts[s] = counts.get(s, 0) + 1
    return counts
