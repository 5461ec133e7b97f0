"""Chinese numerals as statutes write them, both ways.

Article numbers appear as 第一千零七十九条 in the statute book and as 第1079条 in
agreements, court papers and chat messages; citations must be matched in either form,
and the corpus's own ``article_no`` text must be reproduced exactly to show it. The
statute style (GB/T 15834 usage in 《立法技术规范（试行）》) writes 10–19 as 十…, and
keeps 零 for an empty place: 一千零一十, 一百零五.
"""

import re

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
CN_NUMBER = "[零〇一二两三四五六七八九十百千万]+"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_SUB = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_to_int(text: str) -> int:
    """一千零七十九 → 1079; also plain digits, full-width or not. Raises ValueError."""
    text = text.strip().translate(_FULLWIDTH)
    if text.isdecimal():
        return int(text)
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            # 零 only holds an empty place (一百零五, 二万零一十): it is no multiplier of what follows
            digit = DIGITS[ch] or None
            continue
        unit = UNITS[ch]
        if unit == 10_000:
            total += (section + (digit or 0)) * unit
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def int_to_cn(number: int) -> str:
    """1079 → 一千零七十九; 10 → 十; 110 → 一百一十 (the statute book's spelling)."""
    if number < 0:
        raise ValueError("negative numbers are not article numbers")
    if number == 0:
        return "零"
    if number >= 10_000:
        high, low = divmod(number, 10_000)
        rest = int_to_cn(low) if low else ""
        if rest.startswith("十"):  # after 万 a ten is written in full: 二万零一十, 三万一十
            rest = "一" + rest
        return int_to_cn(high) + "万" + ("零" if low and low < 1000 else "") + rest
    names = "零一二三四五六七八九"
    out = []
    places = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    pending_zero = False
    started = False
    for value, unit in places:
        d = (number // value) % 10
        if d == 0:
            if started:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        if not (d == 1 and unit == "十" and not started):
            out.append(names[d])
        out.append(unit)
        started = True
    return "".join(out)


_ARTICLE = re.compile(rf"第\s*({CN_NUMBER}|[0-9０-９]+)\s*条(?:\s*之\s*([一二三四五六七八九十]|[0-9]+))?")


def parse_article_no(text: str) -> tuple[int, int] | None:
    """第二百六十四条之一 → (264, 1); 第1079条 → (1079, 0); anything else → None."""
    m = _ARTICLE.fullmatch(text.strip())
    if not m:
        return None
    sub = m.group(2)
    return cn_to_int(m.group(1)), (0 if sub is None else (_SUB[sub] if sub in _SUB else int(sub)))


def sub_number(text: str) -> int:
    """之一 → 1, 之十 → 10 (the inserted articles of an amended law)."""
    return _SUB[text] if text in _SUB else int(text)


def article_label(number: int, sub: int = 0) -> str:
    """(264, 1) → 第二百六十四条之一, as the statute book writes it."""
    if number == 0:
        return "全文"
    label = f"第{int_to_cn(number)}条"
    return label + (f"之{int_to_cn(sub)}" if sub else "")
