"""司法确认申请书 — the parties' joint application to a court to confirm the agreement.

人民调解法 Art. 33 and 民事诉讼法 Art. 205: both parties apply jointly, within 30 days of
the agreement taking effect, to the basic court of a party's domicile, the object's
location or the mediation body's location. The due date comes from the deadline engine
(``deadlines.rules``, rule ``judicial_confirmation``); past it, no application is drafted.
"""

from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.drafting.base import BLANK, Block, FieldSpec, Kind, Record, cn_date, paragraphs
from fengqiao.cases.choices import AgreementForm
from fengqiao.deadlines import rules

ATTACHMENTS = (
    "1. 调解协议书一份；\n2. 双方当事人的身份证明；\n3. 人民调解委员会主持调解的证明；\n"
    "4. 与调解协议相关的财产权利证明等材料。"
)


def due_on(rec: Record) -> str:
    assert rec.agreement is not None
    return cn_date(rules.due_date("judicial_confirmation", rec.agreement.effective_on))


class Confirmation(Kind):
    kind = DocumentKind.CONFIRMATION
    title = "司法确认申请书"
    fields = (
        FieldSpec("request", "请求事项"),
        FieldSpec("facts", "事实和理由"),
        FieldSpec("court", "受理的人民法院", multiline=False, max_length=100),
        FieldSpec("attachments", "附件", required=False),
    )

    def unavailable(self, rec: Record) -> str | None:
        a = rec.agreement
        if a is None or a.form != AgreementForm.WRITTEN:
            return "只有已生效的书面调解协议可以申请司法确认（民事诉讼法第二百零五条）"
        due = rules.due_date("judicial_confirmation", a.effective_on)
        if rec.today > due:
            return (
                f"已超过申请司法确认的期限（协议生效之日起三十日内，截至{cn_date(due)}；"
                "人民调解法第三十三条）"
            )
        return None

    def initial(self, rec: Record) -> dict[str, str]:
        a = rec.agreement
        assert a is not None
        committee = rec.committee or "人民调解委员会"
        return {
            "request": f"请求人民法院依法确认申请人于{cn_date(a.effective_on)}在{committee}主持下达成的调解协议有效。",
            "facts": (
                f"申请人之间因{rec.summary}发生{rec.type_label}纠纷，经{committee}调解，"
                f"于{cn_date(a.effective_on)}自愿达成调解协议，协议内容为：{a.terms}\n"
                "该调解协议系各方当事人的真实意思表示，不违反法律、行政法规的强制性规定，"
                "不损害国家利益、社会公共利益和他人合法权益。依照《中华人民共和国人民调解法》第三十三条、"
                "《中华人民共和国民事诉讼法》第二百零五条的规定，申请人共同向人民法院申请司法确认。"
            ),
            "court": rec.court,
            "attachments": ATTACHMENTS,
        }

    def body(self, rec: Record, f: dict[str, str]) -> list[Block]:
        a = rec.agreement
        assert a is not None
        out = [Block("plain", p.particulars(label="申请人")) for p in rec.parties]
        out += [Block("heading", "请求事项"), *paragraphs("body", f["request"])]
        out += [Block("heading", "事实和理由"), *paragraphs("body", f["facts"])]
        out += [
            Block(
                "body",
                "申请人承诺：申请确认的调解协议系各方当事人自愿达成，内容真实、合法，不存在恶意串通、"
                "规避法律或者损害国家利益、社会公共利益、他人合法权益的情形；如有虚假，愿意承担相应的法律责任。",
            ),
            Block(
                "note",
                "申请期限：由双方当事人自调解协议生效之日起三十日内共同提出（《中华人民共和国人民调解法》"
                f"第三十三条、《中华人民共和国民事诉讼法》第二百零五条）。本调解协议于{cn_date(a.effective_on)}"
                f"生效，申请期限截至{due_on(rec)}。",
            ),
            Block("plain", "此致"),
            Block("plain", f["court"] or BLANK),
        ]
        out += [Block("sign", f"申请人（签名、盖章或按指印）：{p.name}　{BLANK}") for p in rec.parties]
        out.append(Block("date", cn_date(rec.today)))
        if f["attachments"]:
            out += [Block("plain", "附："), *paragraphs("plain", f["attachments"])]
        return out
