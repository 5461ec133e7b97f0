"""Lay words → statute terms, words → the law that usually governs them, and the
situations each article decides, told in lay words.

A citizen writes 老公 and 欠钱, the statute book says 夫妻 and 借款: the query is
expanded with the statute terms (``data/lay_terms.tsv``), and cue words
(``data/law_cues.tsv``) give the laws they belong to a prior in the ranking.
A mediation record says 男人出门打工三年没回过屋 where the 民法典 says 分居满二年: the
situations the team wrote for the articles that grassroots disputes turn on
(``data/article_situations.tsv``) are indexed beside those articles (``index``).
All three files are hand-written; see ``data/README.md`` for their provenance.
"""

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SITUATIONS = "article_situations.tsv"


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append([part.strip() for part in line.split("\t")])
    return out


@functools.cache
def lay_terms() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for row in _rows("lay_terms.tsv"):
        lay, legal = row[0], tuple(row[1].split())
        out[lay] = tuple(dict.fromkeys((*out.get(lay, ()), *legal)))
    return out


@functools.cache
def law_cues() -> dict[str, tuple[tuple[str, float], ...]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for cue, law, weight in _rows("law_cues.tsv"):
        out.setdefault(cue, []).append((law, float(weight)))
    return {cue: tuple(laws) for cue, laws in out.items()}


@functools.cache
def situations() -> dict[tuple[str, int], tuple[str, ...]]:
    """(law short name, article number) → situations that article decides, in lay words."""
    out: dict[tuple[str, int], tuple[str, ...]] = {}
    for law, number, situation in _rows(SITUATIONS):
        key = (law, int(number))
        out[key] = (*out.get(key, ()), situation)
    return out


def situations_of(law: str, number: int, *, sub: int = 0, in_force: bool = True) -> tuple[str, ...]:
    """The situations written for an article (by its law's short name and number) when it is
    in force; none for a superseded version, nor for an article inserted by amendment
    (第N条之一), which shares its number."""
    return situations().get((law, number), ()) if in_force and not sub else ()


def situations_digest() -> str:
    """Names the index built with the current situations (it is rebuilt when they change)."""
    return hashlib.sha256((DATA / SITUATIONS).read_bytes()).hexdigest()[:8]


@functools.cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@dataclass(frozen=True)
class Expansion:
    lay: str
    legal: tuple[str, ...]


def expand(text: str) -> list[Expansion]:
    """The lay words found in ``text`` (longest first, no overlaps) with their statute terms."""
    terms = lay_terms()
    found = dict.fromkeys(m.group(0) for m in _pattern(tuple(terms)).finditer(text))
    return [Expansion(lay, terms[lay]) for lay in found]


def priors(text: str) -> dict[str, tuple[float, list[str]]]:
    """Law short name → (prior in 0..1, the cue words that gave it)."""
    cues = law_cues()
    out: dict[str, tuple[float, list[str]]] = {}
    for cue in dict.fromkeys(m.group(0) for m in _pattern(tuple(cues)).finditer(text)):
        for law, weight in cues[cue]:
            total, words = out.get(law, (0.0, []))
            out[law] = (min(1.0, total + weight), [*words, cue])
    return out
