"""人民调解协议书 — the written mediation agreement.

Contents (人民调解法 Art. 29; 人民调解工作若干规定 Art. 35): the parties' particulars; the
main facts, the matters in dispute and each side's responsibility; the rights and
obligations agreed; the manner, place and time of performance; the signatures of the
parties and the mediator and the committee's seal. It takes effect when signed and sealed
(Art. 29), binds the parties (Art. 31) and may be confirmed by a court within 30 days
(Art. 33; the due date from ``deadlines.rules``).
"""

from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.drafting.base import (
    BLANK,
    Block,
    FieldSpec,
    Kind,
    Record,
    cite_articles,
    cn_date,
    paragraphs,
)
from fengqiao.cases.choices import AgreementForm
from fengqiao.deadlines import rules


class Agreement(Kind):
    kind = DocumentKind.AGREEMENT
    title = "人民调解协议书"
    number_prefix = "川调协"
    fields = (
        FieldSpec("facts", "纠纷主要事实、争议事项"),
        FieldSpec("responsibilities", "各方当事人的责任", required=False),
        FieldSpec("terms", "协议内容（当事人的权利义务）"),
        FieldSpec("performance", "履行协议的方式、地点、期限"),
        FieldSpec(
            "basis",
            "法律依据",
            required=False,
            multiline=False,
            max_length=1000,
            help="默认列出本案固定的法条；每处引用在签署前都须通过法条核对",
        ),
    )

    def unavailable(self, rec: Record) -> str | None:
        a = rec.agreement
        if a is None:
            return "该纠纷尚未达成调解协议（人民调解法第二十八条）"
        if a.form != AgreementForm.WRITTEN:
            return "该协议为口头协议，由人民调解员记录协议内容即可（人民调解法第二十八条）"
        return None

    def initial(self, rec: Record) -> dict[str, str]:
        a = rec.agreement
        assert a is not None
        where = a.performance_place or "—"
        when = f"{cn_date(a.performance_deadline)}前" if a.performance_deadline else "—"
        return {
            "facts": a.facts or rec.narrative,
            "responsibilities": a.responsibilities,
            "terms": a.terms,
            "performance": f"履行方式：{a.performance_method or '—'}；履行地点：{where}；履行期限：{when}。",
            "basis": cite_articles(rec.pinned),
        }

    def body(self, rec: Record, f: dict[str, str]) -> list[Block]:
        a = rec.agreement
        assert a is not None
        due = rules.due_date("judicial_confirmation", a.effective_on)
        basis = f"依照{f['basis']}的规定，" if f["basis"] else ""
        out = [Block("plain", p.particulars()) for p in rec.parties]
        out += [Block("heading", "一、纠纷主要事实、争议事项"), *paragraphs("body", f["facts"])]
        out += [Block("heading", "二、各方当事人的责任")]
        out += paragraphs("body", f["responsibilities"]) or [Block("body", "（无）")]
        out += [
            Block("heading", "三、协议内容"),
            Block(
                "body",
                f"经{rec.committee or '人民调解委员会'}主持调解，双方当事人在平等自愿的基础上，"
                f"{basis}达成如下协议：",
            ),
            *paragraphs("body", f["terms"]),
            Block("heading", "四、履行协议的方式、地点、期限"),
            *paragraphs("body", f["performance"]),
            Block(
                "body",
                "本协议经人民调解委员会调解达成，具有法律约束力，当事人应当按照约定履行"
                "（《中华人民共和国人民调解法》第三十一条）。双方当事人认为有必要的，可以自本协议生效之日起"
                f"三十日内（即{cn_date(due)}前）共同向人民法院申请司法确认"
                "（《中华人民共和国人民调解法》第三十三条）。",
            ),
            Block(
                "body",
                "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效"
                f"（《中华人民共和国人民调解法》第二十九条）。本协议一式{a.copies}份，当事人各执一份，"
                "人民调解委员会留存一份。",
            ),
        ]
        out += [Block("sign", f"{p.role_label}（签名、盖章或按指印）：{BLANK}") for p in rec.parties]
        out += [
            Block("sign", f"人民调解员（签名）：{BLANK}"),
            Block("sign", f"{rec.committee or '人民调解委员会'}（盖章）"),
            Block("date", cn_date(a.effective_on)),
        ]
        return out
