"""A document as PDF, laid out after GB/T 9704-2012 (党政机关公文格式), with its fonts embedded.

- A4; top margin (天头) 37 mm, left (订口) 28 mm; type area (版心) 156 mm × 225 mm (§5.2.1).
- Body 3号 (16 pt) in the body face, 22 lines of 28 characters a page (§5.2.2): the
  leading is 225 mm / 22 and the measure 156 mm / 28 = 16 pt, so characters sit on a grid.
- Title 2号 (22 pt) centred in the title face (小标宋; §7.3.3), one blank line after it.
- First-level headings (一、) in the heading face (黑体), indented two characters (§7.3.3).
- Date (成文日期) right-aligned, four characters in from the right (§7.3.5).
- Page numbers 4号 (14 pt) as “— 1 —” 7 mm below the type area, odd pages right and even
  pages left, one character in (§7.5).

Text breaks by CJK rules (no 。，、 at a line start). ``invariant`` makes the file depend on
the content only (no timestamp or random id), so the same document renders to the same bytes.
"""

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from fengqiao.assist.drafting.base import Block
from fengqiao.assist.drafting.document import Document
from fengqiao.assist.drafting.fonts import Face, faces

PAGE_W, PAGE_H = A4
TOP, LEFT = 37 * mm, 28 * mm
WIDTH, HEIGHT = 156 * mm, 225 * mm
RIGHT = PAGE_W - LEFT - WIDTH  # 26 mm
BOTTOM = PAGE_H - TOP - HEIGHT  # 35 mm
LINES = 22
LEADING = HEIGHT / LINES  # ≈ 28.95 pt
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
SMALL_SIZE = 14.0  # 四号: notes and page numbers
CHAR = BODY_SIZE


class Title(Flowable):
    """The centred title, drawn with a stroke when the title face has no heavy weight."""

    def __init__(self, text: str, f: Face) -> None:
        super().__init__()
        self.text, self.face = text, f

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, LEADING * 2  # the title line and one blank line

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        size = TITLE_SIZE
        width = stringWidth(self.text, self.face.name, size)
        if width > self.width:  # a long title shrinks rather than overflow the type area
            size = size * self.width / width
            width = self.width
        text = c.beginText()
        text.setFont(self.face.name, size)
        if self.face.heavier:
            text.setTextRenderMode(2)  # fill and stroke
            c.setLineWidth(size * 0.035)
        text.setTextOrigin((self.width - width) / 2, LEADING * 2 - LEADING * 0.8)
        text.textOut(self.text)
        c.drawText(text)
        c.restoreState()


def _styles(f: dict[str, Face]) -> dict[str, ParagraphStyle]:
    common: dict[str, Any] = {
        "fontName": f["body"].name,
        "fontSize": BODY_SIZE,
        "leading": LEADING,
        "wordWrap": "CJK",
        "alignment": TA_JUSTIFY,
    }
    return {
        "body": ParagraphStyle("body", firstLineIndent=2 * CHAR, **common),
        "plain": ParagraphStyle("plain", **common),
        "heading": ParagraphStyle(
            "heading", **{**common, "fontName": f["heading"].name}, firstLineIndent=2 * CHAR
        ),
        "sign": ParagraphStyle("sign", **{**common, "alignment": TA_LEFT}, firstLineIndent=2 * CHAR),
        "date": ParagraphStyle("date", **{**common, "alignment": TA_RIGHT}, rightIndent=4 * CHAR),
        "number": ParagraphStyle("number", **{**common, "alignment": TA_RIGHT}),
        "note": ParagraphStyle(
            "note",
            **{**common, "fontSize": SMALL_SIZE, "leading": LEADING * 0.85},
            firstLineIndent=2 * SMALL_SIZE,
        ),
        "mark": ParagraphStyle(
            "mark",
            **{**common, "fontName": f["heading"].name, "fontSize": SMALL_SIZE, "alignment": TA_CENTER},
            textColor="#b7312c",
        ),
    }


def _markup(text: str, primary: Face, fallback: Face) -> str:
    """Escape the text for reportlab's paragraph markup, and set any character the primary
    face lacks in the fallback face (a rare name character should not print as a box)."""
    out: list[str] = []
    run: list[str] = []
    for ch in text:
        if primary.covers(ch) or not fallback.covers(ch) or ch.isspace():
            if run:
                out.append(f'<font name="{fallback.name}">{escape("".join(run))}</font>')
                run = []
            out.append(escape(ch))
        else:
            run.append(ch)
    if run:
        out.append(f'<font name="{fallback.name}">{escape("".join(run))}</font>')
    return "".join(out)


def _flowable(b: Block, f: dict[str, Face], styles: dict[str, ParagraphStyle]) -> Flowable:
    if b.style == "title":
        return Title(b.text, f["title"])
    style = styles.get(b.style, styles["body"])
    primary = f["heading"] if b.style in ("heading", "mark") else f["body"]
    return Paragraph(_markup(b.text, primary, f["fallback"]), style)


def _page_number(canvas: Any, doc: Any) -> None:
    n = canvas.getPageNumber()
    label = f"— {n} —"
    font = faces()["body"].name
    y = BOTTOM - 7 * mm - SMALL_SIZE * 0.8
    canvas.saveState()
    canvas.setFont(font, SMALL_SIZE)
    if n % 2:
        canvas.drawRightString(LEFT + WIDTH - SMALL_SIZE, y, label)
    else:
        canvas.drawString(LEFT + SMALL_SIZE, y, label)
    canvas.restoreState()


def render(doc: Document) -> bytes:
    f = faces()
    styles = _styles(f)
    buf = io.BytesIO()
    template = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=doc.title,
        subject=doc.case_number,
        author="枫桥矛盾纠纷多元化解平台",
        creator="fengqiao.assist",
        invariant=1,
        initialFontName=f["body"].name,  # no unembedded Helvetica in the page resources
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(LEFT, BOTTOM, WIDTH, HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate("gbt9704", [frame], onPage=_page_number)])
    template.build([_flowable(b, f, styles) for b in doc.blocks])
    return buf.getvalue()


def embedded_fonts() -> list[str]:
    """The families a PDF rendered now embeds (recorded with a signature)."""
    return sorted({x.family for x in faces().values()})
