"""Every citation in generated text is checked before anyone sees it.

``verify(text)`` runs the citation check (``statutes.citations.check``) and rewrites each
citation that fails:

- a wrong, repealed or misattributed citation for which the check knows the correct
  current article is replaced by that article, marked 〔已更正〕;
- one with no correct article to offer is removed, marked 〔已删除：无此条〕 (or 无此法,
  已失效, 法律库无法核对);
- words quoted for a correct article that are not in it are removed, marked
  〔已删除：引文与条文不符〕.

In strict mode (model output) a citation of a document the corpus does not hold (a
regulation, a local rule) is removed too, because the model was given only corpus
articles: such a citation cannot have come from them. The marks contain no citation, so
the rewritten text checks clean; ``verify`` re-checks it to make sure.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from fengqiao.statutes import citations
from fengqiao.statutes.citations import Check, Verdict

REMOVED = {
    Verdict.NO_SUCH_ARTICLE: "无此条",
    Verdict.NO_SUCH_LAW: "无此法",
    Verdict.NOT_IN_FORCE: "已失效",
    Verdict.MISQUOTED: "引文与条文不符",
    Verdict.UNVERIFIED: "法律库无法核对",
}
CORRECTED = "〔已更正〕"
ROUNDS = 3


@dataclass(frozen=True)
class Correction:
    """What was done to one citation, for the reader and the audit log."""

    cited: str  # as the text had it, normalised (《民法典》第九千九百九十九条)
    verdict: str
    action: str  # corrected | removed | quote_removed
    replacement: str  # the citation put in its place ('' when removed)
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Verified:
    text: str
    checks: list[Check]  # the verdicts on the citations left in ``text``
    corrections: list[Correction] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return all(c.ok for c in self.checks)


def _failing(c: Check, strict: bool) -> bool:
    return not c.ok and (strict or c.verdict != Verdict.UNVERIFIED)


def _replacement(c: Check, corrections: list[Correction]) -> str:
    s = c.suggestion
    if s is not None and c.verdict != Verdict.UNVERIFIED and s.title != c.cited:
        corrections.append(Correction(c.cited, c.verdict.value, "corrected", s.title, c.message))
        return s.title + CORRECTED
    corrections.append(Correction(c.cited, c.verdict.value, "removed", "", c.message))
    return f"〔已删除：{REMOVED.get(c.verdict, '未通过核对')}〕"


def _quote_span(text: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the quoted words (with their quotation marks) stand nearest the citation."""
    best: tuple[int, int] | None = None
    pos = text.find(quote)
    while pos >= 0:
        lo, hi = pos, pos + len(quote)
        if lo > 0 and text[lo - 1] in '“"「『':
            lo -= 1
        if hi < len(text) and text[hi] in '”"」』':
            hi += 1
        if best is None or min(abs(lo - end), abs(start - hi)) < min(
            abs(best[0] - end), abs(start - best[1])
        ):
            best = (lo, hi)
        pos = text.find(quote, pos + 1)
    return best


def _rewrite(text: str, checks: list[Check], strict: bool, corrections: list[Correction]) -> str:
    # Checks of one citation (《民法典》第1079条、第1080条) share a span: rewrite spans, last first.
    spans: dict[tuple[int, int], list[Check]] = {}
    for c in checks:
        spans.setdefault((c.start, c.end), []).append(c)
    edits: list[tuple[int, int, str]] = []
    for (start, end), group in spans.items():
        if not any(_failing(c, strict) for c in group):
            continue
        # a misquote of a correct article: drop the quote, keep the citation
        if all(c.ok or (c.verdict == Verdict.MISQUOTED and _same_article(c)) for c in group):
            for c in group:
                if c.verdict == Verdict.MISQUOTED and c.quote:
                    where = _quote_span(text, c.quote, start, end)
                    if where:
                        corrections.append(
                            Correction(c.cited, c.verdict.value, "quote_removed", c.cited, c.message)
                        )
                        edits.append((*where, f"〔已删除：{REMOVED[Verdict.MISQUOTED]}〕"))
            continue
        parts = [c.cited if not _failing(c, strict) else _replacement(c, corrections) for c in group]
        edits.append((start, end, "、".join(parts)))
    limit = len(text) + 1
    for lo, hi, new in sorted(edits, key=lambda e: e[0], reverse=True):
        if hi > limit:  # overlaps an edit already made (a quote inside a citation list)
            continue
        text = text[:lo] + new + text[hi:]
        limit = lo
    return text


def _same_article(c: Check) -> bool:
    return c.suggestion is None or c.suggestion.key == c.article_key


def verify(text: str, *, strict: bool = True) -> Verified:
    """The text with every failing citation corrected or removed, and the verdicts."""
    corrections: list[Correction] = []
    for _ in range(ROUNDS):
        checks = citations.check(text)
        if not any(_failing(c, strict) for c in checks):
            return Verified(text, checks, corrections)
        text = _rewrite(text, checks, strict, corrections)
    # Whatever still fails after the rounds (it should not) is cut out, not shown.
    checks = citations.check(text)
    for c in sorted((c for c in checks if _failing(c, strict)), key=lambda c: c.start, reverse=True):
        corrections.append(Correction(c.cited, c.verdict.value, "removed", "", c.message))
        text = text[: c.start] + "〔已删除：未通过核对〕" + text[c.end :]
    return Verified(text, citations.check(text), corrections)
