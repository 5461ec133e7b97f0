"""The statute book in memory: every law and article of the sources, and name resolution.

Search and citation check read the corpus from its source file (``source.py``), not
from the database, so that `fengqiao statutes search` and `check` answer on a fresh
checkout before `load` has run, and the web and API map results back to database rows
by their source keys. Reading all 26,196 articles takes about 0.4 s, once per process.

Names: a law is found by its full official name, by its name without 中华人民共和国
(民法典), or by an abbreviation in ``data/law_aliases.tsv`` (刑诉法). When a name has
several versions the one in force wins. Laws that were repealed by a later law are
known from that law's own final article (民法典 Art. 1260: 《婚姻法》…同时废止), so a
citation of 婚姻法 is recognised as a repealed law and pointed at its successor even
though the corpus does not hold the repealed text.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from fengqiao.statutes import source
from fengqiao.statutes.choices import EFFECTIVE, FROM_CORPUS, Status
from fengqiao.statutes.numerals import parse_article_no

DATA = Path(__file__).resolve().parent / "data"
PREFIX = "中华人民共和国"
_STATUS_RANK = {Status.IN_FORCE: 0, Status.AMENDED: 1, Status.HISTORICAL: 2, Status.REPEALED: 3}


def short_name(name: str) -> str:
    """中华人民共和国民法典 → 民法典; names without the prefix are kept whole."""
    short = name.removeprefix(PREFIX)
    return short or name


@dataclass(frozen=True)
class LawEntry:
    index: int
    key: str
    name: str
    short_name: str
    status: str
    department: str
    doc_type: str
    effective_on: str
    version_on: str

    @property
    def is_effective(self) -> bool:
        return self.status in EFFECTIVE


@dataclass(frozen=True)
class ArticleEntry:
    index: int
    key: str
    law: int  # LawEntry.index
    number: int
    sub: int
    number_text: str
    chapter: str
    section: str
    text: str
    status: str

    @property
    def is_effective(self) -> bool:
        return self.status in EFFECTIVE


@dataclass(frozen=True)
class Repeal:
    """A law repealed by a later one, as that later law's article says."""

    name: str  # the repealed law's full name as written there
    by_law: int  # LawEntry.index of the repealing law
    by_article: int  # ArticleEntry.index of the article that says so
    date: str  # when the repealing law took effect (from that article), may be ""


@dataclass
class Catalogue:
    laws: list[LawEntry]
    articles: list[ArticleEntry]
    by_law: dict[int, list[int]] = field(default_factory=dict)
    names: dict[str, list[int]] = field(default_factory=dict)
    repeals: dict[str, Repeal] = field(default_factory=dict)
    _by_number: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def law_named(self, name: str, *, effective_first: bool = True) -> LawEntry | None:
        """The law a name means: exact full name, short name or alias; in-force version first."""
        found = self.names.get(normalise_name(name))
        if not found:
            return None
        return self.laws[found[0]] if effective_first else self.laws[found[-1]]

    def versions(self, name: str) -> list[LawEntry]:
        return [self.laws[i] for i in self.names.get(normalise_name(name), [])]

    def repeal_of(self, name: str) -> Repeal | None:
        return self.repeals.get(normalise_name(name))

    def article(self, law: int, number: int, sub: int = 0) -> ArticleEntry | None:
        i = self._by_number.get((law, number, sub))
        return None if i is None else self.articles[i]

    def articles_of(self, law: int) -> list[ArticleEntry]:
        return [self.articles[i] for i in self.by_law.get(law, [])]

    def last_number(self, law: int) -> int:
        return max((a.number for a in self.articles_of(law)), default=0)

    @functools.cached_property
    def interpretations(self) -> list[int]:
        """The laws that are legislative interpretations (立法解释), by index."""
        return [law.index for law in self.laws if law.doc_type == "立法解释"]

    def alias_names(self) -> list[str]:
        """Every name a law may be called by, for reference detection."""
        return [*self.names, *self.repeals]


def normalise_name(name: str) -> str:
    """Compare names without brackets, spaces or the country prefix; 《民法典》 = 中华人民共和国民法典."""
    name = re.sub(r"[《》〈〉\s\"“”'‘’]", "", name)
    return short_name(name).replace("(", "（").replace(")", "）")


def _aliases() -> dict[str, str]:
    out = {}
    for line in (DATA / "law_aliases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            alias, target = line.split("\t")[:2]
            out[alias.strip()] = target.strip()
    return out


_REPEAL = re.compile(r"《([^》]{2,60})》")
_EFFECTIVE_DATE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起施行")


def _repeals(laws: list[LawEntry], articles: list[ArticleEntry]) -> dict[str, Repeal]:
    """Read 《…》同时废止 from the final articles of laws in force."""
    out: dict[str, Repeal] = {}
    for a in articles:
        if "废止" not in a.text or not a.is_effective:
            continue
        for sentence in re.split(r"[。\n]", a.text):
            if "同时废止" not in sentence and not sentence.rstrip().endswith("废止"):
                continue
            when = _EFFECTIVE_DATE.search(a.text)
            date = f"{when[1]}-{int(when[2]):02d}-{int(when[3]):02d}" if when else ""
            for name in _REPEAL.findall(sentence.split("废止")[0]):
                key = normalise_name(name)
                if key != laws[a.law].short_name:
                    out.setdefault(key, Repeal(name, a.law, a.index, date))
    return out


def build(laws: list[source.SourceLaw], rows: list[source.SourceRow]) -> Catalogue:
    law_entries = [
        LawEntry(
            i,
            s.key,
            s.name,
            short_name(s.name),
            FROM_CORPUS.get(s.status, Status.IN_FORCE),
            s.department,
            s.doc_type,
            s.effective_on,
            s.version_on,
        )
        for i, s in enumerate(laws)
    ]
    index_of = {law.key: law.index for law in law_entries}
    articles: list[ArticleEntry] = []
    for r in rows:
        parsed = parse_article_no(r.number_text)
        number, sub = parsed if parsed else (0, 0)
        law_index = index_of[r.law_key]
        articles.append(
            ArticleEntry(
                len(articles),
                str(r.key),
                law_index,
                number,
                sub,
                r.number_text,
                r.chapter.strip(),
                r.section.strip(),
                r.text.strip(),
                FROM_CORPUS.get(r.status, law_entries[law_index].status),
            )
        )
    cat = Catalogue(law_entries, articles)
    for a in articles:
        cat.by_law.setdefault(a.law, []).append(a.index)
        if a.number:
            cat._by_number.setdefault((a.law, a.number, a.sub), a.index)
    names: dict[str, list[int]] = {}
    for law in law_entries:
        names.setdefault(normalise_name(law.name), []).append(law.index)
    for alias, target in _aliases().items():
        if target in names and alias not in names:
            names[alias] = names[target]

    def rank(i: int) -> tuple[int, str]:
        law = law_entries[i]
        # in force first, then the newest version
        return (_STATUS_RANK[Status(law.status)], "".join(chr(0x10FFFF - ord(c)) for c in law.version_on))

    cat.names = {k: sorted(set(v), key=rank) for k, v in names.items()}
    cat.repeals = _repeals(law_entries, articles)
    return cat


@functools.cache
def current() -> Catalogue:
    """The catalogue of this process (read once)."""
    return build(source.laws(), source.rows())
