"""Legal time limits as data, and the arithmetic of counting them.

Counting follows 民法典 Arts. 200–203: the first day is not counted (Art. 201); a
period in months ends on the corresponding day of the last month, or its last day
when there is none (Art. 202); a period whose last day is a statutory holiday ends
on the first day after the holiday (Art. 203). Working-day periods skip weekends
and holidays and count adjusted working weekends (调休) as working days, from the
State Council's calendar as kept by the ``chinesecalendar`` package.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import chinese_calendar


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    WORKDAYS = "workdays"


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    length: int
    unit: Unit
    citation: str


RULES: dict[str, Rule] = {
    r.key: r
    for r in (
        Rule(
            "mediation",
            "调解期限",
            1,
            Unit.MONTHS,
            "人民调解工作若干规定第三十三条：人民调解委员会调解纠纷，一般在一个月内调结",
        ),
        Rule(
            "court_referred_mediation",
            "诉前委派调解期限",
            30,
            Unit.DAYS,
            "人民法院在线调解规则第二十四条：诉前调解期限为三十日",
        ),
        Rule(
            "judicial_confirmation",
            "申请司法确认期限",
            30,
            Unit.DAYS,
            "人民调解法第三十三条、民事诉讼法第二百零五条：自调解协议生效之日起三十日内共同申请",
        ),
    )
}


def is_working_day(day: dt.date) -> bool:
    """A working day by the official calendar; outside its years, Monday to Friday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def is_statutory_holiday(day: dt.date) -> bool:
    """A day off by law: a weekend or a holiday, but not an adjusted working weekend."""
    return not is_working_day(day)


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def due_date(rule: Rule | str, start: dt.date) -> dt.date:
    """The last day of the period that begins on ``start`` (the start day itself not counted)."""
    if isinstance(rule, str):
        rule = RULES[rule]
    if rule.unit == Unit.WORKDAYS:
        day, left = start, rule.length
        while left:
            day += dt.timedelta(days=1)
            if is_working_day(day):
                left -= 1
        return day
    end = (
        add_months(start, rule.length) if rule.unit == Unit.MONTHS else start + dt.timedelta(days=rule.length)
    )
    # 民法典 Art. 203: a last day that falls on a statutory day off moves to the next working day.
    while is_statutory_holiday(end):
        end += dt.timedelta(days=1)
    return end


def days_left(due: dt.date, today: dt.date) -> int:
    """Countdown shown to staff and citizens: 0 on the last day, negative once overdue."""
    return (due - today).days
