"""法律援助申请表 — a party's application for legal aid, prepared from the case record.

法律援助法: aid is for citizens in financial hardship and others the law names (Art. 2), in
the matters of Art. 31; some applicants are exempt from the hardship condition (Art. 32)
or from its verification (Art. 42); the application goes to the legal-aid institution
where the dispute is handled or arose (Art. 38), which decides within 7 days (Art. 43).
The statement of financial hardship is the applicant's own (Art. 41: 如实说明), so the
form leaves it blank for the applicant to fill in and sign.
"""

import re
from dataclasses import dataclass

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
from fengqiao.cases.choices import DisputeType
from fengqiao.deadlines import rules
from fengqiao.statutes.numerals import int_to_cn


@dataclass(frozen=True)
class Matter:
    """An item of 法律援助法 Art. 31, with the words that suggest it."""

    item: str  # 五
    text: str  # the item's words, quoted (and so verified) in the grounds
    cue: re.Pattern[str]
    service: str  # the form of aid (Art. 22) usually asked for


MATTERS = (
    Matter("一", "依法请求国家赔偿", re.compile("国家赔偿"), "国家赔偿案件的诉讼代理及非诉讼代理"),
    Matter(
        "二",
        "请求给予社会保险待遇或者社会救助",
        re.compile("社保|社会保险|低保|社会救助|养老金"),
        "诉讼代理及非诉讼代理",
    ),
    Matter("三", "请求发给抚恤金", re.compile("抚恤"), "诉讼代理及非诉讼代理"),
    Matter(
        "四",
        "请求给付赡养费、抚养费、扶养费",
        re.compile("赡养|抚养费|扶养|抚养"),
        "民事案件的诉讼代理及非诉讼代理",
    ),
    Matter(
        "五",
        "请求确认劳动关系或者支付劳动报酬",
        re.compile("工资|劳动报酬|欠薪|讨薪|劳动关系|拖欠.{0,4}工钱|工钱"),
        "劳动争议调解与仲裁代理",
    ),
    Matter(
        "七",
        "请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿",
        re.compile("工伤|交通事故|车祸|撞|医疗事故|食品安全|药品"),
        "民事案件的诉讼代理及非诉讼代理",
    ),
    Matter(
        "八", "请求环境污染、生态破坏损害赔偿", re.compile("污染|生态破坏"), "民事案件的诉讼代理及非诉讼代理"
    ),
)
# Dispute types whose matter is the item even when the words do not say so.
BY_TYPE = {
    DisputeType.LABOUR: "五",
    DisputeType.TRAFFIC: "七",
    DisputeType.MEDICAL: "七",
    DisputeType.ENVIRONMENT: "八",
}
# 法律援助法 Art. 32 (四): victims of abuse, abandonment or domestic violence — no hardship condition.
NO_HARDSHIP_TEST = re.compile("家暴|家庭暴力|虐待|遗弃")


def matter_for(rec: Record) -> Matter | None:
    text = f"{rec.summary}\n{rec.narrative}"
    by_type = BY_TYPE.get(DisputeType(rec.dispute.dispute_type))
    for m in MATTERS:
        if m.item == by_type:
            return m
    return next((m for m in MATTERS if m.cue.search(text)), None)


class LegalAid(Kind):
    kind = DocumentKind.LEGAL_AID
    title = "法律援助申请表"
    needs_party = True
    fields = (
        FieldSpec("matter", "申请事项"),
        FieldSpec("service", "申请的法律援助形式", multiline=False, max_length=200),
        FieldSpec("facts", "案情概要"),
        FieldSpec("grounds", "申请理由"),
        FieldSpec("institution", "受理的法律援助机构", multiline=False, max_length=100),
    )

    def unavailable(self, rec: Record) -> str | None:
        if rec.applicant is not None and not rec.applicant.is_person:
            return "法律援助的申请人应为公民（法律援助法第二条）"
        if not any(p.is_person for p in rec.parties):
            return "本案没有可作为申请人的自然人当事人（法律援助法第二条）"
        return None

    def initial(self, rec: Record) -> dict[str, str]:
        m = matter_for(rec)
        matter = f"就{rec.summary}（{rec.type_label}纠纷）申请法律援助"
        grounds = []
        if m is not None:
            matter += f"，{m.text}"
            grounds.append(
                f"申请事项属于《中华人民共和国法律援助法》第三十一条第（{m.item}）项“{m.text}”的情形，"
                "申请人因经济困难没有委托代理人。"
            )
        else:
            grounds.append("申请人因经济困难没有委托代理人，请求给予法律援助。")
        if NO_HARDSHIP_TEST.search(f"{rec.summary}\n{rec.narrative}"):
            grounds.append(
                "申请人系遭受虐待、遗弃或者家庭暴力的受害人，依照《中华人民共和国法律援助法》第三十二条的规定，"
                "申请法律援助不受经济困难条件的限制。"
            )
        if rec.pinned:
            grounds.append(f"本案涉及的法律规定：{cite_articles(rec.pinned)}。")
        return {
            "matter": matter + "。",
            "service": m.service if m else "民事案件的诉讼代理及非诉讼代理",
            "facts": rec.narrative,
            "grounds": "\n".join(grounds),
            "institution": rec.legal_aid_centre,
        }

    def body(self, rec: Record, f: dict[str, str]) -> list[Block]:
        applicant = rec.applicant
        assert applicant is not None
        days = int_to_cn(rules.RULES["legal_aid_decision"].length)
        return [
            Block("plain", f"受理机构：{f['institution'] or BLANK}"),
            Block("heading", "一、申请人基本情况"),
            Block("plain", applicant.particulars(label="申请人")),
            Block("heading", "二、申请事项"),
            *paragraphs("body", f["matter"]),
            Block("plain", f"申请的法律援助形式：{f['service']}"),
            Block("heading", "三、案情及申请理由"),
            *paragraphs("body", f["facts"]),
            *paragraphs("body", f["grounds"]),
            Block("heading", "四、经济困难状况（由申请人本人如实填写）"),
            Block(
                "body",
                "因经济困难申请法律援助的，申请人应当如实说明经济困难状况（《中华人民共和国法律援助法》第四十一条）；"
                "经济困难的标准由省、自治区、直辖市人民政府确定（《中华人民共和国法律援助法》第三十四条）。",
            ),
            Block("plain", f"家庭人口：{BLANK}人；家庭月收入：{BLANK}元；主要收入来源：{BLANK}"),
            Block("plain", f"经济困难情况说明：{BLANK}{BLANK}"),
            Block(
                "plain",
                "□ 属于《中华人民共和国法律援助法》第四十二条规定免予核查经济困难状况的人员，"
                f"证明材料：{BLANK}",
            ),
            Block("plain", "申请人承诺：以上所填经济困难状况真实，如有虚假，愿意承担相应的法律责任。"),
            Block(
                "note",
                f"法律援助机构应当自收到申请之日起{days}日内进行审查，作出是否给予法律援助的决定"
                "（《中华人民共和国法律援助法》第四十三条）。",
            ),
            Block("sign", f"申请人（签名或按指印）：{BLANK}"),
            Block("sign", f"经办调解组织：{rec.committee or BLANK}"),
            Block("date", cn_date(rec.today)),
        ]
