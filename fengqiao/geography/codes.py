"""Pure arithmetic on 12-digit NBS division codes (统计用区划代码).

Codes nest by digits: 51|01|04|017|001 is province, city, county, township, village.
So a unit's subtree is one integer range, which is how jurisdiction is queried.
"""

from fengqiao.geography.choices import SPAN, Level


def level_of(code: int) -> Level:
    if code % 10**10 == 0:
        return Level.PROVINCE
    if code % 10**8 == 0:
        return Level.CITY
    if code % 10**6 == 0:
        return Level.COUNTY
    if code % 10**3 == 0:
        return Level.TOWNSHIP
    return Level.VILLAGE


def subtree(code: int) -> tuple[int, int]:
    """The half-open range [lo, hi) of codes in this unit and below it."""
    return code, code + SPAN[level_of(code)]


def contains(outer: int, inner: int) -> bool:
    lo, hi = subtree(outer)
    return lo <= inner < hi


def ancestor_at(code: int, level: Level) -> int | None:
    """The code of the enclosing unit at ``level`` (itself if at that level; None if above it)."""
    if level_of(code) < level:
        return None
    span = SPAN[level]
    return code // span * span


def parent_of(code: int) -> int | None:
    level = level_of(code)
    if level == Level.PROVINCE:
        return None
    return ancestor_at(code, Level(level - 1))


def ancestors(code: int) -> list[int]:
    """Codes from the province down to (and including) this unit."""
    out = []
    for lvl in Level:
        anc = ancestor_at(code, lvl)
        if anc is not None and anc not in out:
            out.append(anc)
    return out
