"""Citation check: fabricated citations are all flagged, correct ones never are.

Both test sets are generated from the corpus with a fixed seed: 250 fabricated citations
(article numbers past a law's last article, repealed laws, invented laws, misquoted
text) and 250 correct ones (real articles in force, quoted words taken from the article,
in the forms people write them).
"""

import random
import re
from collections import Counter

import pytest

from fengqiao.statutes import catalogue
from fengqiao.statutes.catalogue import ArticleEntry, Catalogue
from fengqiao.statutes.citations import Verdict, check, normalise, quote_matches
from fengqiao.statutes.numerals import int_to_cn

SEED = 2026
INVENTED = [
    "邻里和睦", "农村宅基地管理", "彩礼返还", "家庭财产分割", "网络购物保障", "物业纠纷处理", "土地流转促进",
    "债务清偿", "婚姻家庭关系", "乡村调解", "民间借贷", "劳动报酬保障", "养老赡养", "交通事故赔偿",
    "医患关系", "山林权属", "村务管理", "房屋租赁", "消费维权", "农民工权益",
]  # fmt: skip
SWAPS = [
    ("应当", "不得"),
    ("不得", "可以"),
    ("可以", "应当"),
    ("有权", "无权"),
    ("禁止", "允许"),
    ("三十日", "六十日"),
]


def cite(cat: Catalogue, a: ArticleEntry, rng: random.Random, number: int | None = None) -> str:
    law = cat.laws[a.law]
    n = a.number if number is None else number
    sub = f"之{int_to_cn(a.sub)}" if a.sub and number is None else ""
    forms = [
        f"《{law.name}》第{int_to_cn(n)}条{sub}",
        f"《{law.short_name}》第{n}条{sub}",
        f"{law.short_name}第{n}条{sub}",
        f"根据{law.short_name} 第{int_to_cn(n)}条{sub}",
    ]
    return rng.choice(forms)


def _clean(text: str) -> bool:
    return len(text) >= 30 and not re.search(r"[|《》“”\"「」]|第[^，。；]{1,8}条|本法|前款", text)


def quotable(a: ArticleEntry, rng: random.Random) -> str:
    """A sentence-like stretch of the article, as someone would quote it."""
    sentences = [s for s in re.split(r"(?<=[。；：])|\n", a.text) if 8 <= len(s.strip()) <= 80]
    return rng.choice(sentences).strip() if sentences else a.text[:40]


def effective_articles(cat: Catalogue) -> list[ArticleEntry]:
    return [
        a
        for a in cat.articles
        if a.number and a.is_effective and cat.laws[a.law].is_effective and _clean(a.text)
        and cat.law_named(cat.laws[a.law].short_name) == cat.laws[a.law]
    ]  # fmt: skip


def fabricated(cat: Catalogue) -> list[tuple[str, Verdict]]:
    rng = random.Random(SEED)
    pool = effective_articles(cat)
    out: list[tuple[str, Verdict]] = []
    laws = [law for law in cat.laws if law.is_effective and cat.law_named(law.short_name) == law]
    for _ in range(70):  # past the last article
        law = rng.choice(laws)
        last = cat.last_number(law.index)
        if not last:
            continue
        a = cat.articles_of(law.index)[0]
        out.append(
            (cite(cat, a, rng, number=last + rng.randint(1, 60)) + "的规定。", Verdict.NO_SUCH_ARTICLE)
        )
    repealed_absent = [name for name in cat.repeals if cat.law_named(name) is None and name.endswith("法")]
    repealed_present = [
        a for a in cat.articles if a.number and not cat.laws[a.law].is_effective
        and cat.law_named(cat.laws[a.law].short_name) == cat.laws[a.law]
    ]  # fmt: skip
    for i in range(60):  # repealed laws
        if i % 2:
            name = rng.choice(repealed_absent)
            out.append((f"依照《{name}》第{int_to_cn(rng.randint(1, 40))}条处理。", Verdict.NOT_IN_FORCE))
        else:
            out.append((cite(cat, rng.choice(repealed_present), rng) + "规定。", Verdict.NOT_IN_FORCE))
    for i in range(50):  # invented laws
        name = f"{rng.choice(INVENTED)}{rng.choice(['法', '促进法', '保护法', '管理法'])}"
        assert cat.law_named(name) is None and cat.repeal_of(name) is None
        written = f"《中华人民共和国{name}》" if i % 2 else f"《{name}》"
        out.append((f"依据{written}第{rng.randint(1, 80)}条。", Verdict.NO_SUCH_LAW))
    while len(out) < 250:  # misquoted
        a = rng.choice(pool)
        quote = quotable(a, rng)
        swaps = [(old, new) for old, new in SWAPS if old in quote]
        if swaps and rng.random() < 0.6:
            old, new = rng.choice(swaps)
            wrong = quote.replace(old, new, 1)
        else:
            other = rng.choice(cat.articles_of(a.law))
            wrong = quotable(other, rng) if other.index != a.index and _clean(other.text) else ""
        if not wrong or quote_matches(wrong, a.text):
            continue
        out.append((f"{cite(cat, a, rng)}规定：“{wrong}”", Verdict.MISQUOTED))
    return out


def correct(cat: Catalogue) -> list[str]:
    rng = random.Random(SEED + 1)
    pool = effective_articles(cat)
    out: list[str] = []
    while len(out) < 250:
        a = rng.choice(pool)
        quote = quotable(a, rng)
        kind = len(out) % 5
        if kind == 0:
            out.append(f"{cite(cat, a, rng)}规定：“{quote}”")
        elif kind == 1:  # punctuation and width changed
            loose = quote.replace("，", ",").replace("；", ";").replace("。", ".").replace("、", " ")
            out.append(f"{cite(cat, a, rng)}明确：“{loose}”")
        elif kind == 2 and len(normalise(quote)) >= 16:  # with an ellipsis
            out.append(f"{cite(cat, a, rng)}规定：“{quote[:6]}……{quote[-6:]}”")
        elif kind == 3:  # the quote first, the citation in brackets
            out.append(f"“{quote}”（{cite(cat, a, rng).removeprefix('根据')}）")
        else:
            out.append(f"{cite(cat, a, rng)}。")
    return out


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return catalogue.current()


def test_every_fabricated_citation_is_flagged_with_its_reason(cat: Catalogue) -> None:
    cases = fabricated(cat)
    assert len(cases) >= 200 and len({v for _, v in cases}) == 4
    wrong = []
    for text, expected in cases:
        results = check(text)
        if len(results) != 1 or results[0].verdict != expected:
            wrong.append((text, expected, [(r.verdict, r.message) for r in results]))
    assert not wrong, wrong[:5]


def test_no_correct_citation_is_flagged(cat: Catalogue) -> None:
    cases = correct(cat)
    assert len(cases) >= 200
    flagged = []
    for text in cases:
        results = check(text)
        if len(results) != 1 or not results[0].ok:
            flagged.append((text, [(r.verdict, r.message) for r in results]))
    assert not flagged, flagged[:5]


def test_a_repealed_civil_law_points_to_the_civil_code_article_that_replaced_it() -> None:
    [r] = check("根据《婚姻法》第三十二条，夫妻感情确已破裂，调解无效的，应准予离婚。")
    assert r.verdict == Verdict.NOT_IN_FORCE and "2021年1月1日" in r.message and "民法典" in r.message
    assert r.suggestion is not None and (r.suggestion.law_short, r.suggestion.article) == ("民法典", 1079)


def test_a_quote_finds_the_current_article_of_a_repealed_law_by_similarity() -> None:
    [r] = check("《侵权责任法》第九十九条规定：“禁止从建筑物中抛掷物品。”")
    assert r.verdict == Verdict.NOT_IN_FORCE
    assert r.suggestion is not None and (r.suggestion.law_short, r.suggestion.article) == ("民法典", 1254)


def test_a_correct_quote_under_a_wrong_number_names_the_right_article() -> None:
    [r] = check("《民法典》第1080条规定：“因感情不和分居满二年”")
    assert r.verdict == Verdict.MISQUOTED
    assert r.suggestion is not None and r.suggestion.article == 1079


def test_lists_ranges_paragraphs_and_inserted_articles() -> None:
    results = check(
        "《民法典》第十条、第十一条；《民法典》第1258条至第1262条；民法典第1079条第二款；刑法第二百六十四条之一。"
    )
    verdicts = Counter((r.article, r.verdict) for r in results)
    assert verdicts[(10, Verdict.OK)] == verdicts[(11, Verdict.OK)] == 1
    assert [r.verdict for r in results if r.article >= 1258] == [Verdict.OK] * 3 + [
        Verdict.NO_SUCH_ARTICLE
    ] * 2
    para = next(r for r in results if r.paragraph)
    assert para.verdict == Verdict.OK and para.article == 1079
    inserted = results[-1]
    assert inserted.verdict == Verdict.NO_SUCH_ARTICLE and "第二百六十四条之一" in inserted.message


def test_the_amended_criminal_law_is_in_force_with_a_note() -> None:
    [r] = check("《刑法》第二百六十四条")
    assert r.ok and r.notes and "修正" in r.notes[0]


def test_regulations_and_interpretations_outside_the_corpus_are_not_called_wrong() -> None:
    results = check(
        "依据《物业管理条例》第三十五条和《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第五条"
    )
    assert [r.verdict for r in results] == [Verdict.UNVERIFIED, Verdict.UNVERIFIED]
    assert "不在法律库收录范围" in results[0].message


def test_text_without_citations_has_nothing_to_check() -> None:
    assert check("双方自愿达成如下协议：一、被申请人于本月底前疏通排水沟。") == []
