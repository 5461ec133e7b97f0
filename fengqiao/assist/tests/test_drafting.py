"""Drafting: each document carries what its article requires, renders to DOCX and PDF with
Chinese typography (the PDF embeds a CJK TrueType font and its text extracts), and every
citation in every draft passes the citation check."""

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from docx import Document as read_docx
from docx.shared import Pt
from pypdf import PdfReader

from fengqiao.assist import actions
from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.drafting import document, render_docx, render_pdf
from fengqiao.assist.drafting.base import cn_date, record_of
from fengqiao.assist.drafting.fonts import faces
from fengqiao.assist.models import Draft
from fengqiao.assist.tests.conftest import (
    APPLICANT_ADDRESS,
    APPLICANT_ID,
    APPLICANT_PHONE,
    NEIGHBOURS,
    agree,
    mediate,
)
from fengqiao.cases import actions as case_actions
from fengqiao.cases.choices import AgreementForm, DisputeType
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
from fengqiao.core.testing import Personas, register, sign_in
from fengqiao.deadlines import rules
from fengqiao.statutes.citations import Verdict
from fengqiao.statutes.models import Article

pytestmark = pytest.mark.django_db


def draft_of(p: Personas, d: Dispute, kind: DocumentKind, **kw: int) -> tuple[Draft, document.Document]:
    draft = actions.start_draft(d, actor=p.village_mediator, kind=kind, **kw)
    return draft, document.build(draft, record_of(d, draft.party))


def texts(doc: document.Document, style: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if style is None or b.style == style]


def pin(p: Personas, d: Dispute, law: str, number: int) -> None:
    article = Article.objects.get(law__short_name=law, law__status="in_force", number=number, sub=0)
    actions.pin_article(d, actor=p.village_mediator, article_id=article.pk, reason="相邻关系")


def test_the_agreement_states_every_element_of_article_29_and_article_35(
    personas: Personas, agreed: Dispute
) -> None:
    pin(personas, agreed, "民法典", 288)
    pin(personas, agreed, "民法典", 296)
    _, doc = draft_of(personas, agreed, DocumentKind.AGREEMENT)
    body = doc.text
    assert texts(doc, "title") == ["人民调解协议书"]
    assert texts(doc, "number")[0] == f"编号：川调协{agreed.received_at.year}-{agreed.pk:07d}"
    # (一) the parties' particulars, in full (the document is for the parties and the court)
    applicant = texts(doc, "plain")[0]
    for part in ("申请人：张三", "男", "1980年5月17日出生", APPLICANT_ID, APPLICANT_ADDRESS, APPLICANT_PHONE):
        assert part in applicant
    assert "被申请人：李四" in body
    # (二) facts, matters in dispute, responsibilities; (三) the agreed rights and obligations
    assert "一、纠纷主要事实、争议事项" in body and "堵塞两家之间的排水沟" in body
    assert "二、各方当事人的责任" in body and "李四对排水沟堵塞负主要责任" in body
    assert "三、协议内容" in body and "赔偿张三财产损失人民币1500元" in body
    # manner, place and time of performance
    deadline = cn_date(clock.today() + dt.timedelta(days=7))
    assert f"履行方式：现金支付、现场疏通；履行地点：飞羊村村委会；履行期限：{deadline}前" in body
    # the pinned articles are cited as the basis
    assert "依照《中华人民共和国民法典》第二百八十八条、第二百九十六条的规定" in body
    # binding force (Art. 31), judicial confirmation within 30 days (Art. 33), effect (Art. 29)
    due = cn_date(rules.due_date("judicial_confirmation", clock.today()))
    assert f"三十日内（即{due}前）共同向人民法院申请司法确认" in body
    assert "《中华人民共和国人民调解法》第三十一条" in body and "第二十九条" in body
    # signatures of the parties and the mediator, the committee's seal, the date
    signs = texts(doc, "sign")
    assert any(s.startswith("申请人（签名、盖章或按指印）") for s in signs)
    assert any(s.startswith("被申请人（签名、盖章或按指印）") for s in signs)
    assert any(s.startswith("人民调解员（签名）") for s in signs)
    assert any(s.endswith("（盖章）") and "调解委员会" in s for s in signs)
    assert texts(doc, "date") == [cn_date(clock.today())]
    assert "一式3份" in body
    assert doc.checks and all(c.verdict == Verdict.OK for c in doc.checks)


def test_an_agreement_needs_a_written_agreement(personas: Personas, case: Dispute) -> None:
    with pytest.raises(DomainError, match="尚未达成调解协议（人民调解法第二十八条）"):
        actions.start_draft(case, actor=personas.village_mediator, kind=DocumentKind.AGREEMENT)
    oral = agree(personas, register(personas.village_mediator, **NEIGHBOURS), AgreementForm.ORAL)
    with pytest.raises(DomainError, match="口头协议"):
        actions.start_draft(oral, actor=personas.village_mediator, kind=DocumentKind.AGREEMENT)


def test_the_confirmation_application_is_joint_and_shows_the_thirty_day_limit(
    personas: Personas, agreed: Dispute
) -> None:
    _, doc = draft_of(personas, agreed, DocumentKind.CONFIRMATION)
    body = doc.text
    assert texts(doc, "title") == ["司法确认申请书"]
    applicants = [t for t in texts(doc, "plain") if t.startswith("申请人：")]
    assert [a.split("，")[0] for a in applicants] == ["申请人：张三", "申请人：李四"]  # both parties apply
    assert "请求事项" in body and "确认申请人于" in body and "调解协议有效" in body
    assert "事实和理由" in body and "赔偿张三财产损失人民币1500元" in body
    due = rules.due_date("judicial_confirmation", clock.today())
    assert f"申请期限截至{cn_date(due)}" in body
    assert (
        "《中华人民共和国人民调解法》第三十三条" in body
        and "《中华人民共和国民事诉讼法》第二百零五条" in body
    )
    assert "此致" in body and "大邑县人民法院" in body
    assert "附：" in body and "调解协议书一份" in body
    assert all(c.verdict == Verdict.OK for c in doc.checks)


def test_no_confirmation_application_after_thirty_days(personas: Personas, agreed: Dispute) -> None:
    effective = agreed.agreements.get().effective_on
    late = rules.due_date("judicial_confirmation", effective) + dt.timedelta(days=1)
    with (
        clock.frozen(dt.datetime.combine(late, dt.time(10))),
        pytest.raises(DomainError, match="已超过申请司法确认的期限"),
    ):
        actions.start_draft(agreed, actor=personas.village_mediator, kind=DocumentKind.CONFIRMATION)


def test_the_legal_aid_application_names_the_matter_and_leaves_hardship_to_the_applicant(
    personas: Personas, corpus: None
) -> None:
    d = register(
        personas.village_mediator,
        dispute_type=DisputeType.LABOUR,
        summary="工地老板拖欠工资",
        narrative="申请人张三在某工地务工三个月，老板拖欠工资9000元不付。",
        parties=NEIGHBOURS["parties"],
    )
    draft, doc = draft_of(personas, d, DocumentKind.LEGAL_AID)
    assert draft.party is not None and draft.party.name == "张三"  # the applicant party by default
    body = doc.text
    assert texts(doc, "title") == ["法律援助申请表"]
    assert "受理机构：" in body
    assert APPLICANT_ID in body and APPLICANT_ADDRESS in body and "李四" not in texts(doc, "plain")[1]
    assert "第三十一条第（五）项“请求确认劳动关系或者支付劳动报酬”" in body
    assert "劳动争议调解与仲裁代理" in body
    assert "拖欠工资9000元" in body
    # the hardship statement is the applicant's own (法律援助法 Art. 41): blank lines to fill in
    assert "四、经济困难状况（由申请人本人如实填写）" in body
    assert "家庭月收入：＿＿＿＿＿＿＿＿元" in body and "第四十一条" in body
    assert "七日内进行审查" in body and "第四十三条" in body
    assert all(c.verdict == Verdict.OK for c in doc.checks), [(c.cited, c.message) for c in doc.checks]


def test_legal_aid_is_for_a_person(personas: Personas, corpus: None) -> None:
    d = register(
        personas.village_mediator,
        parties=[{"role": "applicant", "name": "某某建筑有限公司", "kind": "organisation"}],
    )
    with pytest.raises(DomainError, match="法律援助法第二条"):
        actions.start_draft(d, actor=personas.village_mediator, kind=DocumentKind.LEGAL_AID)


def test_the_termination_notice_carries_the_advice_given_when_mediation_failed(
    personas: Personas, failed: Dispute
) -> None:
    _, doc = draft_of(personas, failed, DocumentKind.TERMINATION)
    body = doc.text
    assert texts(doc, "title") == ["终止调解告知书"]
    assert texts(doc, "plain")[0] == "张三、李四："
    assert "李四拒绝赔偿损失" in body
    assert "依照《中华人民共和国人民调解法》第二十六条的规定" in body and "决定终止调解" in body
    assert "仲裁、行政、司法等途径" in body
    assert "可向大邑县人民法院提起诉讼，或申请法律援助。" in body
    assert all(c.verdict == Verdict.OK for c in doc.checks)


def test_a_termination_notice_needs_the_failure_first(personas: Personas, case: Dispute) -> None:
    with pytest.raises(DomainError, match="人民调解法第二十六条"):
        actions.start_draft(case, actor=personas.village_mediator, kind=DocumentKind.TERMINATION)


def test_the_docx_has_gbt9704_layout_and_every_line(personas: Personas, agreed: Dispute) -> None:
    _, doc = draft_of(personas, agreed, DocumentKind.AGREEMENT)
    parsed = read_docx(io.BytesIO(render_docx.render(doc)))
    paragraphs = [p for p in parsed.paragraphs if p.text]
    assert [p.text for p in paragraphs] == texts(doc)
    section = parsed.sections[0]
    size = {k: getattr(section, k) for k in ("top_margin", "left_margin", "page_width", "page_height")}
    assert {k: round(v.mm) for k, v in size.items() if v is not None} == {
        "top_margin": 37,
        "left_margin": 28,
        "page_width": 210,
        "page_height": 297,
    }
    title, body = paragraphs[0], next(p for p in paragraphs if p.text.startswith("李四对排水沟"))
    assert title.runs[0].font.size == Pt(22) and title.runs[0].font.bold
    assert body.runs[0].font.size == Pt(16)  # 三号
    assert body.runs[0]._element.xpath("./w:rPr/w:rFonts/@w:eastAsia") == ["仿宋"]
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert "PAGE" in section.footer._element.xml


def _pdf_fonts(reader: PdfReader) -> list[dict[str, object]]:
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found.append(
                {
                    "name": str(font["/BaseFont"]),
                    "embedded": descriptor is not None and "/FontFile2" in descriptor.get_object(),
                    "subtype": str(font["/Subtype"]),
                }
            )
    return found


def test_the_pdf_embeds_a_cjk_truetype_font_and_its_text_extracts(
    personas: Personas, agreed: Dispute
) -> None:
    _, doc = draft_of(personas, agreed, DocumentKind.AGREEMENT)
    pdf = render_pdf.render(doc)
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert [round(float(x)) for x in page.mediabox[2:]] == [595, 842]  # A4
    fonts = _pdf_fonts(reader)
    assert fonts and all(f["embedded"] for f in fonts if f["subtype"] == "/TrueType")
    assert not [f for f in fonts if not f["embedded"]], fonts  # nothing relies on the reader's fonts
    embedded = {f.postscript for f in faces().values()}
    assert {str(f["name"]).split("+")[-1].rsplit("-", 1)[0] for f in fonts} <= embedded
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    for expected in ("人民调解协议书", "申请人：张三", APPLICANT_ID, "一、纠纷主要事实、争议事项", "—1—"):
        assert expected in text
    assert render_pdf.render(doc) == pdf  # the same document renders to the same bytes


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_of_document_relies_on_no_font_outside_the_pdf(
    personas: Personas, agreed: Dispute, kind: DocumentKind
) -> None:
    if kind == DocumentKind.TERMINATION:
        d = register(personas.village_mediator, **NEIGHBOURS)
        mediate(personas, d)
        case_actions.fail_mediation(d, actor=personas.village_mediator, advice="可以起诉。", reason="分歧大")
    else:
        d = agreed
    _, doc = draft_of(personas, d, kind)
    reader = PdfReader(io.BytesIO(render_pdf.render(doc)))
    fonts = _pdf_fonts(reader)
    assert fonts and all(f["embedded"] for f in fonts), fonts
    assert doc.title in "".join(p.extract_text() for p in reader.pages).replace(" ", "")


def test_a_rare_character_missing_from_the_body_font_is_set_in_the_fallback(
    personas: Personas, agreed: Dispute
) -> None:
    f = faces()
    rare = "匄"  # not in AR PL UMing, in WenQuanYi Zen Hei (the packaged fonts)
    assert not f["body"].covers(rare) and f["fallback"].covers(rare)
    draft, _ = draft_of(personas, agreed, DocumentKind.AGREEMENT)
    actions.edit_draft(draft, actor=personas.village_mediator, fields={"terms": f"赔偿{rare}损失"})
    draft.refresh_from_db()
    pdf = render_pdf.render(document.build(draft, record_of(agreed)))
    assert rare in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_case_pages_print_and_docx_are_the_drafted_agreement(personas: Personas, agreed: Dispute) -> None:
    """One place for the agreement's content: the case page's print view and DOCX show the
    agreement kind's blocks — the draft as edited, then the signed text once signed."""
    mediator = sign_in(Client(), personas.village_mediator)
    draft, _ = draft_of(personas, agreed, DocumentKind.AGREEMENT)
    actions.edit_draft(
        draft, actor=personas.village_mediator, fields={"terms": "李四于三日内疏通排水沟并赔偿张三1800元。"}
    )
    draft.refresh_from_db()
    expected = texts(document.build(draft, record_of(agreed)))
    page = mediator.get(f"/cases/{agreed.pk}/agreement/").content.decode()
    assert all(escape(t) in page for t in expected)
    assert "赔偿张三1800元" in page and "赔偿张三财产损失人民币1500元" not in page
    docx = mediator.get(f"/cases/{agreed.pk}/agreement.docx").content
    assert [p.text for p in read_docx(io.BytesIO(docx)).paragraphs if p.text] == expected

    signed = actions.sign_draft(draft, actor=personas.village_mediator, confirmed=True)
    # a later correction of the record does not change what was signed
    applicant = agreed.parties.get(name="张三")
    case_actions.correct_party(
        agreed,
        actor=personas.village_mediator,
        party_id=applicant.pk,
        field="address",
        value="大邑县王泗镇飞羊村五组8号",
        reason="当事人搬家",
    )
    docx = mediator.get(f"/cases/{agreed.pk}/agreement.docx").content
    printed = [p.text for p in read_docx(io.BytesIO(docx)).paragraphs if p.text]
    assert printed == texts(document.from_canonical(signed.content))
    assert APPLICANT_ADDRESS in "".join(printed) and "五组8号" not in "".join(printed)


def test_the_printed_agreement_masks_identities_for_roles_that_do_not_see_them(
    personas: Personas, agreed: Dispute
) -> None:
    analyst = sign_in(Client(), personas.city_analyst)
    page = analyst.get(f"/cases/{agreed.pk}/agreement/").content.decode()
    assert "人民调解协议书" in page and "申请人：张三" in page
    for secret in (APPLICANT_ID, APPLICANT_PHONE, APPLICANT_ADDRESS):
        assert secret not in page
    assert f"身份证号码：{APPLICANT_ID[:4]}" in page and "住址：（已隐藏）" in page
