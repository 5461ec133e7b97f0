"""Finding citations of statute articles in free text.

The forms people write, all handled here: 《中华人民共和国民法典》第一千零七十九条,
《民法典》第1079条, 民法典第1079条第二款, 劳动合同法 第八十二条, 刑法第二百六十四条之一,
lists (第十条、第十一条 / 第10、11条) and ranges (第十条至第十二条). The law is the name
right before the article (in 《》 or a known name or alias, optionally followed by a part
such as 婚姻家庭编 or 第四章); an article with no name of its own continues the list of
the citation before it in the same sentence. A 《》 name the corpus does not know is kept,
so that the citation check can say the law does not exist.

Used by the search (a query that names an article goes straight to it) and by the
citation check.
"""

import functools
import re
from dataclasses import dataclass, field

from fengqiao.statutes.catalogue import Catalogue, normalise_name
from fengqiao.statutes.numerals import CN_NUMBER, cn_to_int, sub_number

_NUM = rf"(?:{CN_NUMBER}|[0-9０-９]+)"
_SUB = r"(?:\s*之\s*([一二三四五六七八九十]|[0-9]+))?"
_TAIL = rf"(?:\s*第\s*({_NUM})\s*款)?(?:\s*第\s*(?:[（(]\s*)?({_NUM})(?:\s*[）)])?\s*项)?"
# one article: 第1079条, 第二百六十四条之一, with an optional 款 and 项
ARTICLE = re.compile(rf"第\s*({_NUM})\s*条{_SUB}{_TAIL}")
# several numbers under one 第…条: 第10、11条 / 第10至12条
ARTICLE_GROUP = re.compile(rf"第\s*({_NUM}(?:\s*(?:、|,|，|至|到|-|－|—|~|～)\s*{_NUM})+)\s*条")
_LIST_SEP = re.compile(r"^\s*(?:、|，|,|；|和|及|以及|与|或者|或|及其|并|、及)\s*$")
_RANGE_SEP = re.compile(r"^\s*(?:至|到|-|－|—|~|～)\s*$")
_PART = (
    r"(?:\s|的|之|第[零一二三四五六七八九十百]+(?:编|分编|章|节)"
    r"|[\u4e00-\u9fff]{2,8}(?:编|分编)|[\u4e00-\u9fff]{2,10}(?:章|节)(?=第))*"
)
_BRACKETED = re.compile(rf"《([^《》]{{1,80}})》{_PART}$")
_GENERIC = re.compile(rf"([\u4e00-\u9fff]{{2,24}}?(?:法典|法|条例))\s*{_PART}$")
# the verbs and words that introduce a bare law name: the name starts after the last of them
_LEAD = re.compile(
    r"^.*(?:根据|依据|依照|按照|参照|违反|违背|遵守|适用|对照|符合|参见|详见|援引|引用|，|,|、|：|:|\s)"
)
_BOUNDARY = re.compile(r"[。！？!?\n；;]")
# a bare 第N条 continues the previous law only after a separator (…第1079条规定离婚，第1087条…),
# not after a noun of its own (合同第5条 is a clause of the contract)
_INHERIT_BEFORE = re.compile(r"(?:[，,、：:\s]|和|及|与|或|并)$")


@dataclass(frozen=True)
class Cited:
    """One cited article, as written."""

    number: int
    sub: int = 0
    paragraph: int | None = None  # 款
    item: int | None = None  # 项


@dataclass
class Citation:
    """A citation found in text: the law as written and the articles it names."""

    law_text: str  # the name as written ("" when inherited from the citation before)
    law_key: str  # normalised name (民法典)
    start: int
    end: int
    articles: list[Cited] = field(default_factory=list)
    inherited: bool = False  # the law is the previous citation's

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end


@functools.cache
def _known_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)
    body = "|".join(re.escape(n) for n in alternatives)
    return re.compile(rf"(?:中华人民共和国)?({body}){_PART}$")


def known_names_pattern(cat: Catalogue) -> re.Pattern[str]:
    return _known_pattern(tuple(cat.alias_names()))


def _law_before(text: str, start: int, cat: Catalogue) -> tuple[str, int] | None:
    """The law name that ends right before ``start`` (with its start offset), or None."""
    window_start = max(0, start - 100)
    window = text[window_start:start]
    if b := list(_BOUNDARY.finditer(window)):
        window_start += b[-1].end()
        window = text[window_start:start]
    if m := _BRACKETED.search(window):
        return m.group(1), window_start + m.start()
    if m := known_names_pattern(cat).search(window):
        return m.group(1), window_start + m.start()
    if m := _GENERIC.search(window):
        name = _LEAD.sub("", m.group(1), count=1)
        if len(name) >= 3 and not name.startswith(("本法", "该法", "此法", "上述", "前述", "下列")):
            return name, window_start + m.start(1) + (len(m.group(1)) - len(name))
    return None


def _numbers(group: str) -> list[int]:
    """'10、11' → [10, 11]; '10至12' → [10, 11, 12]."""
    parts = re.split(r"\s*(、|,|，|至|到|-|－|—|~|～)\s*", group)
    out: list[int] = []
    pending_range = False
    for part in parts:
        if part in {"至", "到", "-", "－", "—", "~", "～"}:
            pending_range = True
        elif part in {"、", ",", "，"}:
            continue
        elif part:
            n = cn_to_int(part)
            if pending_range and out and n > out[-1] and n - out[-1] <= 50:
                out.extend(range(out[-1] + 1, n + 1))
            else:
                out.append(n)
            pending_range = False
    return out


def _optional(value: str | None) -> int | None:
    return cn_to_int(value) if value else None


def find(text: str, cat: Catalogue) -> list[Citation]:
    """Every citation in ``text``, in order."""
    matches: list[tuple[int, int, list[Cited]]] = []
    taken: list[tuple[int, int]] = []
    for m in ARTICLE_GROUP.finditer(text):
        matches.append((m.start(), m.end(), [Cited(n) for n in _numbers(m.group(1))]))
        taken.append((m.start(), m.end()))
    for m in ARTICLE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        one = Cited(
            cn_to_int(m.group(1)),
            sub_number(m.group(2)) if m.group(2) else 0,
            _optional(m.group(3)),
            _optional(m.group(4)),
        )
        matches.append((m.start(), m.end(), [one]))
    matches.sort()

    out: list[Citation] = []
    for start, end, cited in matches:
        prev = out[-1] if out else None
        between = text[prev.end : start] if prev else ""
        if prev and _RANGE_SEP.match(between) and prev.articles and cited:
            first, last = prev.articles[-1].number, cited[0].number
            if 0 < last - first <= 50:
                prev.articles.extend(Cited(n) for n in range(first + 1, last + 1))
                prev.end = end
                continue
        if prev and _LIST_SEP.match(between):
            prev.articles.extend(cited)
            prev.end = end
            continue
        found = _law_before(text, start, cat)
        if found:
            name, law_start = found
            out.append(Citation(name, normalise_name(name), law_start, end, list(cited)))
        elif (
            prev
            and prev.law_key
            and not _BOUNDARY.search(between)
            and len(between) <= 60
            and _INHERIT_BEFORE.search(between)
        ):
            out.append(Citation("", prev.law_key, start, end, list(cited), inherited=True))
    return out


def laws_mentioned(text: str, cat: Catalogue) -> list[str]:
    """Normalised names of the laws a text names, with or without an article (for search priors)."""
    names = [normalise_name(n) for n in re.findall(r"《([^《》]{1,80})》", text)]
    names += [normalise_name(m.group(0)) for m in _names_only(tuple(cat.alias_names())).finditer(text)]
    return list(dict.fromkeys(n for n in names if cat.law_named(n) is not None))


@functools.cache
def _names_only(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in alternatives))
