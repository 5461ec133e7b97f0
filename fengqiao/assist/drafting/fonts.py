"""The CJK fonts embedded in the PDFs.

GB/T 9704 sets 仿宋 for the body, 小标宋 for the title and 黑体 for first-level headings.
Those typefaces are commercial; a deployment that holds a licence points
``FENGQIAO_PDF_FONT_BODY`` / ``_TITLE`` / ``_HEADING`` at its TrueType files (``path`` or
``path#index`` inside a .ttc collection). Without them, the free TrueType fonts of Debian's
packages are used (installed by ``scripts/system-packages``): AR PL UMing CN, a Song (明体)
face, for body and title — the title drawn heavier to stand for 小标宋 — and WenQuanYi Zen
Hei, a Hei face, for headings and for any character the body font lacks.

Only TrueType (glyf) outlines qualify: reportlab embeds them as subsets with a ToUnicode
map, so the PDF displays the same everywhere and its text can be extracted. The Noto CJK
fonts already on the system are CFF-based OpenType, which reportlab cannot embed.
"""

import functools
import hashlib
import logging
import os
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fengqiao.core.errors import DomainError

log = logging.getLogger(__name__)

UMING = ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)  # fonts-arphic-uming: AR PL UMing CN
ZENHEI = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)  # fonts-wqy-zenhei
ROLES = {
    "body": ("FENGQIAO_PDF_FONT_BODY", [UMING, ZENHEI]),
    "title": ("FENGQIAO_PDF_FONT_TITLE", [UMING, ZENHEI]),
    "heading": ("FENGQIAO_PDF_FONT_HEADING", [ZENHEI, UMING]),
    "fallback": ("", [ZENHEI, UMING]),
}


class FontMissing(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "没有可嵌入 PDF 的中文 TrueType 字体：请运行 scripts/system-packages 安装 "
            "fonts-arphic-uming 与 fonts-wqy-zenhei，或设置 FENGQIAO_PDF_FONT_BODY",
            code="font_missing",
        )


@dataclass(frozen=True)
class Face:
    role: str
    name: str  # the name registered with reportlab
    family: str  # the font's family name, e.g. AR PL UMing CN
    postscript: str  # its PostScript name, as the PDF calls it (UMingCN)
    path: str
    index: int
    heavier: bool  # draw with a stroke to stand in for a bold face the font lacks
    glyphs: frozenset[int]

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.glyphs


def _parse(value: str) -> tuple[str, int]:
    path, _, index = value.partition("#")
    return path, int(index) if index.isdecimal() else 0


@functools.cache
def _register(path: str, index: int) -> tuple[str, str, str, frozenset[int]] | None:
    """Register one TrueType face once per process (parsing a CJK font takes ~0.15 s)."""
    name = "FQ" + hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:10]
    try:
        font = TTFont(name, path, subfontIndex=index)
    except (TTFError, OSError, ValueError) as e:
        log.info("font %s#%s not usable for PDF: %s", path, index, e)
        return None
    pdfmetrics.registerFont(font)
    return name, _text(font.face.familyName), _text(font.face.name), frozenset(font.face.charToGlyph)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def face(role: str) -> Face:
    env, candidates = ROLES[role]
    configured = os.environ.get(env, "") if env else ""
    options = [_parse(configured)] if configured else []
    if configured and _register(*options[0]) is None:
        log.warning("%s=%s is not a usable TrueType font; using the packaged fonts", env, configured)
    for path, index in [*options, *candidates]:
        if found := _register(path, index):
            name, family, postscript, glyphs = found
            heavier = role == "title" and not configured
            return Face(role, name, family, postscript, path, index, heavier, glyphs)
    raise FontMissing()


def faces() -> dict[str, Face]:
    return {role: face(role) for role in ROLES}
