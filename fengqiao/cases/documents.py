"""Printable documents of a case: the mediation agreement as an HTML print view and DOCX.

The agreement carries what 人民调解法 Art. 29 and 人民调解工作若干规定 Art. 35 require:
the parties' particulars; the main facts, the matters in dispute and each side's
responsibility; the rights and obligations agreed; the manner, place and time of
performance; signatures of the parties and the mediator and the committee's seal.
"""

import io
from typing import Any

from django.http import HttpResponse

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import FULL_IDENTITY_ROLES
from fengqiao.cases import presenters, workflow
from fengqiao.cases.choices import AgreementForm
from fengqiao.cases.models import Agreement, Dispute
from fengqiao.core.errors import DomainError

BODY_FONT = "仿宋"  # GB/T 9704: body text in 仿宋, 三号 (16 pt)
TITLE_FONT = "宋体"


def agreement_context(
    d: Dispute, actor: User | None = None, agreement: Agreement | None = None
) -> dict[str, Any]:
    agreement = agreement or d.agreements.order_by("-created_at", "-id").first()
    if agreement is None:
        raise DomainError("该纠纷尚未达成调解协议")
    full = actor is None or actor.role in FULL_IDENTITY_ROLES
    parties = [presenters.party(p, full) for p in d.parties.all()]
    committee = d.handling_org.name if d.handling_org else ""
    return {
        "dispute": d,
        "number": d.number.replace("川调", "川调协"),
        "agreement": agreement,
        "parties": parties,
        "committee": committee,
        "mediator": d.mediator.name if d.mediator else "",
        "copies": agreement.copies,
        "written": agreement.form == AgreementForm.WRITTEN,
        "confirmation_due": workflow.confirmation_due(agreement.effective_on),
    }


def _paragraphs(ctx: dict[str, Any]) -> list[tuple[str, str]]:
    """(style, text) pairs in reading order: 'title', 'heading', 'body', 'sign'."""
    a: Agreement = ctx["agreement"]
    out: list[tuple[str, str]] = [("title", "人民调解协议书"), ("right", f"编号：{ctx['number']}")]
    for p in ctx["parties"]:
        ident = p["id_number"] or p["org_code"]
        bits = [f"{p['role_label']}：{p['name']}"]
        if p["gender_label"]:
            bits.append(p["gender_label"])
        if ident:
            bits.append(("身份证号码：" if p["id_number"] else "统一社会信用代码：") + ident)
        if p["address"]:
            bits.append(f"住址：{p['address']}")
        if p["phone"]:
            bits.append(f"联系电话：{p['phone']}")
        out.append(("body", "，".join(bits)))
    out += [
        ("heading", "一、纠纷主要事实、争议事项"),
        ("body", a.facts or "（见调解笔录）"),
        ("heading", "二、各方当事人的责任"),
        ("body", a.responsibilities or "（无）"),
        ("heading", "三、经调解，双方自愿达成如下协议"),
        ("body", a.terms),
        ("heading", "四、履行协议的方式、地点、期限"),
        (
            "body",
            "履行方式：{}；履行地点：{}；履行期限：{}。".format(
                a.performance_method or "—",
                a.performance_place or "—",
                f"{a.performance_deadline:%Y年%m月%d日}前" if a.performance_deadline else "—",
            ),
        ),
        (
            "body",
            "本协议经人民调解委员会调解达成，具有法律约束力，当事人应当按照约定履行（《中华人民共和国人民调解法》第三十一条）。"
            f"双方当事人认为有必要的，可以自本协议生效之日起三十日内（即{ctx['confirmation_due']:%Y年%m月%d日}前）"
            "共同向人民法院申请司法确认（第三十三条）。",
        ),
        ("body", f"本协议一式{ctx['copies']}份，当事人各执一份，人民调解委员会留存一份。"),
    ]
    for p in ctx["parties"]:
        out.append(("sign", f"{p['role_label']}（签名、盖章或按指印）：{'　' * 8}"))
    out += [
        ("sign", f"人民调解员（签名）：{'　' * 8}"),
        ("sign", f"{ctx['committee']}（盖章）"),
        ("right", f"{a.effective_on:%Y年%m月%d日}"),
    ]
    return out


def agreement_docx(ctx: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Pt(104), Pt(99)  # GB/T 9704: 37 mm / 35 mm
    section.left_margin, section.right_margin = Pt(79), Pt(74)  # 28 mm / 26 mm

    def run_font(run: Any, font: str, size: float, bold: bool = False) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    for style, text in _paragraphs(ctx):
        para = doc.add_paragraph()
        run = para.add_run(text)
        if style == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run_font(run, TITLE_FONT, 22, bold=True)
        elif style == "heading":
            run_font(run, "黑体", 16)
        elif style == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run_font(run, BODY_FONT, 16)
        else:
            run_font(run, BODY_FONT, 16)
            if style == "body":
                para.paragraph_format.first_line_indent = Pt(32)
        para.paragraph_format.line_spacing = Pt(28)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def agreement_response(d: Dispute, actor: User | None = None) -> HttpResponse:
    ctx = agreement_context(d, actor)
    response = HttpResponse(
        agreement_docx(ctx),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''agreement-{d.pk}.docx"
    return response


def agreement_lines(ctx: dict[str, Any]) -> list[tuple[str, str]]:
    """The same paragraphs for the HTML print view."""
    return _paragraphs(ctx)
