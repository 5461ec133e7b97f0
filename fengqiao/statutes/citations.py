"""Citation check: every citation in a text, verified against the statute book.

For each cited article: the law exists (short names and aliases resolved), the article
exists, the law and the article are in force, and any words quoted for it match its
text. Quoted words are the text in quotation marks right after the citation (…第1079条
规定：“…”) or right before it in brackets (“…”（《民法典》第1079条）); they match when,
ignoring punctuation, spaces, full/half width and ellipses (each fragment between …… must
appear, in order), they are in the article.

Verdicts (``Verdict``): ok, no_such_law, no_such_article, not_in_force, misquoted, each
with a Chinese message (and unverified for a regulation or judicial interpretation the
corpus does not hold yet: citing one is not wrong, it just cannot be checked) and, where one can be found, the correct current article:
for a repealed law, its successor (the later law that says 《…》同时废止) and there the
article that replaced it — from the published correspondence table
(``data/successors.tsv``), else the article most similar to the quoted words or to the
repealed text; for a wrong number with a correct quote, the article the quote is from.
"""

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches
from typing import Any

import numpy as np

from fengqiao.statutes import catalogue, index, references, tokens
from fengqiao.statutes.catalogue import ArticleEntry, Catalogue, LawEntry
from fengqiao.statutes.choices import Status
from fengqiao.statutes.numerals import article_label, int_to_cn
from fengqiao.statutes.titles import book_title


class Verdict(enum.StrEnum):
    OK = "ok"
    NO_SUCH_LAW = "no_such_law"
    NO_SUCH_ARTICLE = "no_such_article"
    NOT_IN_FORCE = "not_in_force"
    MISQUOTED = "misquoted"
    # a regulation, judicial interpretation or local rule: real documents the corpus does not hold yet
    UNVERIFIED = "unverified"


LABELS = {
    Verdict.OK: "核对无误",
    Verdict.NO_SUCH_LAW: "法律不存在",
    Verdict.NO_SUCH_ARTICLE: "条文不存在",
    Verdict.NOT_IN_FORCE: "已失效",
    Verdict.MISQUOTED: "引文不符",
    Verdict.UNVERIFIED: "无法核对",
}
# Names of documents outside the corpus (national laws only, for now): regulations, rules,
# judicial interpretations and local regulations. Citing one is not an error; it cannot be checked.
_OUTSIDE_CORPUS = re.compile(
    r"^(?:最高人民法院|最高人民检察院|国务院|[\u4e00-\u9fff]{2,6}(?:省|自治区|市|自治州|州|县))"
    r"|(?:条例|规定|办法|细则|解释|意见|通知|批复|规则|规范|标准)(?:（[^）]*）)?$"
)


@dataclass
class Suggestion:
    law: str
    law_short: str
    article: int
    sub: int
    number_text: str
    text: str
    key: str
    why: str

    @property
    def title(self) -> str:
        return f"{book_title(self.law_short)}{self.number_text}"


@dataclass
class Check:
    """The verdict on one cited article."""

    cited: str  # the citation as written, e.g. 《民法典》第1079条
    law_text: str
    article: int
    sub: int
    paragraph: int | None
    verdict: Verdict
    message: str
    start: int
    end: int
    quote: str = ""
    law: str = ""  # the full name it resolved to
    article_key: str = ""
    status: str = ""
    suggestion: Suggestion | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.OK

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    def as_dict(self) -> dict[str, Any]:
        out = {
            "cited": self.cited,
            "law_text": self.law_text,
            "article": self.article,
            "sub": self.sub,
            "paragraph": self.paragraph,
            "verdict": self.verdict.value,
            "label": self.label,
            "message": self.message,
            "span": [self.start, self.end],
            "quote": self.quote,
            "law": self.law,
            "article_key": self.article_key,
            "status": self.status,
            "notes": self.notes,
            "suggestion": None,
        }
        if s := self.suggestion:
            out["suggestion"] = {
                "law": s.law,
                "article": s.article,
                "sub": s.sub,
                "number_text": s.number_text,
                "title": s.title,
                "text": s.text,
                "key": s.key,
                "why": s.why,
            }
        return out


_OPEN, _CLOSE = '“"「『‘', '”"」』’'
_QUOTE_AFTER = re.compile(
    r"^\s*(?:的|之)?\s*(?:中|里)?\s*(?:明确|特别)?\s*(?:规定|载明|写明|指出|提到|明确|表述|说|称)?(?:了|的是|为|是)?"
    r"\s*[:：，,]?\s*[“\"「『]([^”\"」』]{1,800})[”\"」』]"
)
_QUOTE_BEFORE = re.compile(r"[“\"「『]([^“”\"「」『』]{1,800})[”\"」』]\s*[，,]?\s*[（(]?\s*$")
_ELLIPSIS = re.compile(r"…+|\.{3,}|⋯+")
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


def normalise(text: str) -> str:
    """Only letters, digits and Han characters, NFKC-folded: what a quote must match."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def quote_matches(quote: str, text: str) -> bool:
    """Every fragment of the quote (split at ellipses) appears in the text, in order."""
    body = normalise(text)
    pos = 0
    fragments = [normalise(f) for f in _ELLIPSIS.split(quote)]
    fragments = [f for f in fragments if f]
    if not fragments:
        return True
    for fragment in fragments:
        found = body.find(fragment, pos)
        if found < 0:
            return False
        pos = found + len(fragment)
    return True


def similarity(quote: str, text: str) -> float:
    """How close the quote is to its best-matching stretch of the text (0–1)."""
    q, body = normalise(quote), normalise(text)
    if not q or not body:
        return 0.0
    m = SequenceMatcher(None, q, body, autojunk=False)
    matched = sum(block.size for block in m.get_matching_blocks())
    return matched / len(q)


def paragraphs(text: str) -> list[str]:
    """The 款 of an article: its lines, with the 项 (（一）…) joined to the 款 before them."""
    out: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if _ITEM.match(line) and out:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _quote_for(text: str, c: references.Citation) -> str:
    if m := _QUOTE_AFTER.match(text[c.end : c.end + 900]):
        return m.group(1)
    before = text[max(0, c.start - 900) : c.start]
    after = text[c.end : c.end + 3]
    if re.match(r"\s*[)）]", after) and (m := _QUOTE_BEFORE.search(before)):
        return m.group(1)
    return ""


def _suggest(a: ArticleEntry, cat: Catalogue, why: str) -> Suggestion:
    law = cat.laws[a.law]
    return Suggestion(law.name, law.short_name, a.number, a.sub, a.number_text, a.text, a.key, why)


@functools.cache
def _successor_table() -> dict[tuple[str, int], int]:
    out = {}
    for line in (catalogue.DATA / "successors.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            law, number, target = line.split("\t")[:3]
            out[(law, int(number))] = int(target)
    return out


def closest_in_law(text: str, law: int, cat: Catalogue) -> tuple[ArticleEntry, float] | None:
    """The article of ``law`` whose text is most like ``text`` (bigram BM25 over that law)."""
    idx = index.current()
    weights: dict[str, float] = {}
    for t in tokens.bigrams(text):
        weights[t] = weights.get(t, 0.0) + 1.0
    scores = idx.bigrams.score(weights, idx.size)
    scores = np.where(idx.law_of == law, scores, 0.0)
    best = int(np.argmax(scores))
    if scores[best] <= 0:
        return None
    a = cat.articles[int(idx.articles[best])]
    return a, similarity(text, a.text)


def _in_successor(
    law_key: str, number: int, basis: str, successor: LawEntry, cat: Catalogue
) -> Suggestion | None:
    mapped = _successor_table().get((law_key, number))
    if mapped and (a := cat.article(successor.index, mapped)):
        return _suggest(a, cat, "据民法典与原法律条文对照表")
    if basis and (found := closest_in_law(basis, successor.index, cat)):
        a, score = found
        if score >= 0.5:
            return _suggest(a, cat, f"据文字相似度（{score:.0%}）推定")
    return None


def _cited_text(law_text: str, law_short: str, number: int, sub: int, paragraph: int | None) -> str:
    name = law_short or law_text
    out = f"{book_title(name)}{article_label(number, sub)}"
    return out + (f"第{int_to_cn(paragraph)}款" if paragraph else "")


def _repealed(
    law_key: str, law_text: str, cited: references.Cited, quote: str, cat: Catalogue
) -> tuple[str, Suggestion | None]:
    """Message and suggestion for a law repealed by a later one (the repealed text may be absent)."""
    repeal = cat.repeal_of(law_key)
    if repeal is None:
        return f"《{law_text}》已失效", None
    successor = cat.laws[repeal.by_law]
    by_article = cat.articles[repeal.by_article]
    when = ""
    if repeal.date:
        y, m, d = repeal.date.split("-")
        when = f"自{y}年{int(m)}月{int(d)}日起"
    message = (
        f"《{law_text}》已{when}废止（《{successor.short_name}》{by_article.number_text}），"
        f"请改引《{successor.short_name}》的相应条文"
    )
    old = cat.law_named(law_key)
    old_article = old and cat.article(old.index, cited.number, cited.sub)
    basis = quote or (old_article.text if old_article else "")
    return message, _in_successor(law_key, cited.number, basis, successor, cat)


def check(text: str) -> list[Check]:
    """Every cited article in ``text`` with its verdict, in the order written."""
    cat = catalogue.current()
    out: list[Check] = []
    for c in references.find(text, cat):
        quote = _quote_for(text, c)
        law = cat.law_named(c.law_key)
        law_text = c.law_text or (law.short_name if law else c.law_key)
        quoted_somewhere = (
            bool(quote)
            and law is not None
            and any(
                (a := cat.article(law.index, x.number, x.sub)) is not None and quote_matches(quote, a.text)
                for x in c.articles
            )
        )
        for n, cited in enumerate(c.articles):
            check = Check(
                _cited_text(
                    law_text, law.short_name if law else "", cited.number, cited.sub, cited.paragraph
                ),
                law_text,
                cited.number,
                cited.sub,
                cited.paragraph,
                Verdict.OK,
                "",
                c.start,
                c.end,
                quote=quote if (n == 0 or quoted_somewhere) else "",
            )
            _verify(
                check, c.law_key, cited, law, quote if len(c.articles) == 1 else "", quoted_somewhere, cat
            )
            out.append(check)
        if len(c.articles) > 1 and quote and law is not None and not quoted_somewhere:
            first = next((x for x in out[-len(c.articles) :] if x.verdict == Verdict.OK), None)
            if first is not None:
                first.verdict = Verdict.MISQUOTED
                first.message = "引文与所引各条的条文都不相符"
    return out


def _verify(
    check: Check,
    law_key: str,
    cited: references.Cited,
    law: LawEntry | None,
    quote: str,
    quoted_elsewhere: bool,
    cat: Catalogue,
) -> None:
    if law is None:
        if cat.repeal_of(law_key) is not None:
            check.verdict = Verdict.NOT_IN_FORCE
            check.message, check.suggestion = _repealed(law_key, check.law_text, cited, quote, cat)
            return
        if _OUTSIDE_CORPUS.search(law_key):
            check.verdict = Verdict.UNVERIFIED
            check.message = f"《{check.law_text}》不在法律库收录范围内（目前只收录国家法律），请人工核实"
            return
        check.verdict = Verdict.NO_SUCH_LAW
        check.message = f"法律库中没有《{check.law_text}》"
        close = get_close_matches(law_key, list(cat.names), n=1, cutoff=0.6)
        if close:
            check.notes.append(f"是否指《{cat.laws[cat.names[close[0]][0]].short_name}》？")
        return
    check.law = law.name
    check.status = law.status
    a = cat.article(law.index, cited.number, cited.sub)
    if a is None:
        check.verdict = Verdict.NO_SUCH_ARTICLE
        last = cat.last_number(law.index)
        if cited.number > last:
            check.message = f"《{law.short_name}》共{last}条，没有{article_label(cited.number, cited.sub)}"
        else:
            check.message = f"《{law.short_name}》没有{article_label(cited.number, cited.sub)}"
        if quote and (found := closest_in_law(quote, law.index, cat)) and quote_matches(quote, found[0].text):
            check.suggestion = _suggest(found[0], cat, "引文出自此条")
        return
    check.article_key = a.key
    check.status = a.status
    if not law.is_effective or not a.is_effective:
        check.verdict = Verdict.NOT_IN_FORCE
        check.message, check.suggestion = _repealed(law_key, check.law_text, cited, quote, cat)
        if check.suggestion is None and law.status == Status.HISTORICAL:
            current = cat.law_named(law.short_name)
            if current and current.is_effective and (found := closest_in_law(a.text, current.index, cat)):
                check.suggestion = _suggest(found[0], cat, f"现行版本中最相近的条文（{found[1]:.0%}）")
        return
    if cited.paragraph is not None:
        count = len(paragraphs(a.text))
        if cited.paragraph > count:
            check.verdict = Verdict.NO_SUCH_ARTICLE
            check.message = (
                f"《{law.short_name}》{a.number_text}只有{count}款，没有第{int_to_cn(cited.paragraph)}款"
            )
            return
    if quote and not quoted_elsewhere and not quote_matches(quote, a.text):
        check.verdict = Verdict.MISQUOTED
        check.message = f"引文与{a.number_text}的条文不符（相似度 {similarity(quote, a.text):.0%}）"
        found = closest_in_law(quote, law.index, cat)
        if found and found[0].index != a.index and quote_matches(quote, found[0].text):
            check.suggestion = _suggest(found[0], cat, "引文出自此条")
        else:
            check.suggestion = _suggest(a, cat, "所引条文的原文")
        return
    check.message = "法律、条文与引文均核对无误" if quote else "法律与条文存在且现行有效"
    if law.status == Status.AMENDED:
        check.notes.append(f"《{law.short_name}》已被修正，请核对修正后的条文")
