"""A document as DOCX, with the same GB/T 9704 layout as the PDF (see ``render_pdf``).

A DOCX names its fonts rather than embedding them, so it names the faces the standard
sets and that Chinese office machines have: 仿宋 (body), 宋体 in bold for the title
(小标宋 is a commercial face), 黑体 (headings). East-Asian text needs the ``w:eastAsia``
font attribute set, or Word shows the Latin font. The page grid (22 lines) and the page
number field “— PAGE —” in the footer are written as WordprocessingML.
"""

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from fengqiao.assist.drafting.document import Document
from fengqiao.assist.drafting.render_pdf import BODY_SIZE, LEADING, SMALL_SIZE, TITLE_SIZE

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_setup(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(35), Mm(26)
    section.footer_distance = Mm(28)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LEADING * 20)))  # twentieths of a point
    section._sectPr.append(grid)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), TITLE_FONT, SMALL_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    footer._p.append(field)
    _font(footer.add_run(" —"), TITLE_FONT, SMALL_SIZE)


def render(document: Document) -> bytes:
    doc = new_docx()
    _page_setup(doc)
    props = doc.core_properties
    props.title, props.subject, props.author = (
        document.title,
        document.case_number,
        "枫桥矛盾纠纷多元化解平台",
    )
    for block in document.blocks:
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing = Pt(LEADING)
        fmt.space_before = fmt.space_after = Pt(0)
        run = para.add_run(block.text)
        style = block.style
        if style == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(LEADING)
            _font(run, TITLE_FONT, TITLE_SIZE, bold=True)
        elif style == "mark":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(run, HEADING_FONT, SMALL_SIZE)
            run.font.color.rgb = RGBColor(0xB7, 0x31, 0x2C)
        elif style == "heading":
            fmt.first_line_indent = Pt(2 * BODY_SIZE)
            _font(run, HEADING_FONT, BODY_SIZE)
        elif style in ("number", "date"):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if style == "date":
                fmt.right_indent = Pt(4 * BODY_SIZE)
            _font(run, BODY_FONT, BODY_SIZE)
        elif style == "note":
            fmt.first_line_indent = Pt(2 * SMALL_SIZE)
            _font(run, BODY_FONT, SMALL_SIZE)
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if style != "sign" else WD_ALIGN_PARAGRAPH.LEFT
            if style in ("body", "sign"):
                fmt.first_line_indent = Pt(2 * BODY_SIZE)
            _font(run, BODY_FONT, BODY_SIZE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
