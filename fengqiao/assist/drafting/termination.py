"""终止调解告知书 — the notice that mediation has ended without agreement.

人民调解法 Art. 26: when mediation fails the mediator ends it and tells the parties that they
may protect their rights by arbitration, administrative or judicial routes. The advice on
other routes is the one given at the failure step (``cases.actions.fail_mediation`` keeps
it in the transition), editable before signing.
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


class Termination(Kind):
    kind = DocumentKind.TERMINATION
    title = "终止调解告知书"
    number_prefix = "川调终"
    fields = (
        FieldSpec("reason", "调解不成的情况"),
        FieldSpec("advice", "告知的其他途径"),
        FieldSpec("basis", "相关法律规定", required=False, multiline=False, max_length=1000),
    )

    def unavailable(self, rec: Record) -> str | None:
        if rec.failure is None:
            return "调解尚未终止：调解不成的，应先办理“终止调解”并告知当事人其他途径（人民调解法第二十六条）"
        return None

    def initial(self, rec: Record) -> dict[str, str]:
        assert rec.failure is not None
        return {
            "reason": rec.failure.reason or "双方当事人对争议事项分歧较大，经多次调解仍未能达成一致。",
            "advice": rec.failure.advice,
            "basis": cite_articles(rec.pinned),
        }

    def body(self, rec: Record, f: dict[str, str]) -> list[Block]:
        names = "、".join(p.name for p in rec.parties)
        accepted = f"，本委员会于{cn_date(rec.accepted_on)}受理" if rec.accepted_on else ""
        sessions = f"，先后调解{len(rec.sessions)}次" if rec.sessions else ""
        committee = rec.committee or "本委员会"
        out = [
            Block("plain", f"{names}："),
            Block("body", f"你们之间的{rec.summary}（{rec.type_label}纠纷）一案{accepted}{sessions}。"),
            *paragraphs("body", f["reason"]),
            Block(
                "body",
                "经调解，双方当事人未能达成调解协议。依照《中华人民共和国人民调解法》第二十六条的规定，"
                f"{committee}决定终止调解。",
            ),
            Block("body", "你们可以依法通过仲裁、行政、司法等途径维护自己的权利："),
            *paragraphs("body", f["advice"]),
        ]
        if f["basis"]:
            out.append(Block("body", f"本纠纷可能涉及的法律规定：{f['basis']}。"))
        out += [
            Block("body", "特此告知。"),
            Block("sign", f"人民调解员（签名）：{BLANK}"),
            Block("sign", f"{rec.committee or '人民调解委员会'}（盖章）"),
            Block("date", cn_date(rec.today)),
            Block("note", f"当事人签收：{BLANK}　　签收日期：{BLANK}"),
        ]
        return out
