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
    """One legal time limit: its length, how it counts, whom its expiry concerns."""

    key: str
    label: str
    length: int
    unit: Unit
    citation: str
    family: str = ""  # rules that replace one another on a subject (a case has one mediation term)
    remind_days: int = 3  # remind this many days before the last day
    escalate: bool = False  # on expiry, warn the tier above as well

    @property
    def group(self) -> str:
        return self.family or self.key


RULES: dict[str, Rule] = {
    r.key: r
    for r in (
        Rule(
            "mediation",
            "调解期限",
            1,
            Unit.MONTHS,
            "人民调解工作若干规定第三十三条：人民调解委员会调解纠纷，一般在一个月内调结",
            family="mediation",
            remind_days=5,
            escalate=True,
        ),
        Rule(
            "court_referred_mediation",
            "诉前委派调解期限",
            30,
            Unit.DAYS,
            "人民法院在线调解规则第二十四条：诉前调解期限为三十日",
            family="mediation",
            remind_days=5,
            escalate=True,
        ),
        Rule(
            "judicial_confirmation",
            "申请司法确认期限",
            30,
            Unit.DAYS,
            "人民调解法第三十三条、民事诉讼法第二百零五条：自调解协议生效之日起三十日内共同申请",
            remind_days=7,
        ),
        Rule(
            "legal_aid_decision",
            "法律援助审查决定期限",
            7,
            Unit.DAYS,
            "法律援助法第四十三条：自收到法律援助申请之日起七日内进行审查，作出是否给予法律援助的决定",
            remind_days=2,
            escalate=True,
        ),
        Rule(
            "legal_aid_assignment",
            "指派法律援助人员期限",
            3,
            Unit.DAYS,
            "法律援助法第四十三条：自作出决定之日起三日内指派法律援助人员",
            remind_days=1,
        ),
        Rule(
            "reconsideration_application",
            "申请行政复议期限",
            60,
            Unit.DAYS,
            "行政复议法第二十条：自知道或者应当知道该行政行为之日起六十日内提出行政复议申请",
            remind_days=10,
        ),
        Rule(
            "reconsideration_acceptance",
            "行政复议受理审查期限",
            5,
            Unit.WORKDAYS,
            "行政复议法第三十条、第八十八条：收到申请后五日内审查（“五日”指工作日）",
            remind_days=1,
            escalate=True,
        ),
        Rule(
            "reconsideration_decision",
            "行政复议决定期限",
            60,
            Unit.DAYS,
            "行政复议法第六十二条：普通程序自受理之日起六十日内作出决定，经批准可延长不超过三十日",
            family="reconsideration_decision",
            remind_days=10,
            escalate=True,
        ),
        Rule(
            "reconsideration_decision_simple",
            "行政复议决定期限（简易程序）",
            30,
            Unit.DAYS,
            "行政复议法第六十二条：简易程序自受理之日起三十日内作出决定",
            family="reconsideration_decision",
            remind_days=5,
            escalate=True,
        ),
        Rule(
            "correction_report",
            "社区矫正报到期限",
            10,
            Unit.DAYS,
            "社区矫正法第二十一条：自判决、裁定生效之日起十日内到执行地社区矫正机构报到",
            remind_days=3,
            escalate=True,
        ),
        Rule(
            "electronic_monitoring",
            "电子定位装置使用期限",
            3,
            Unit.MONTHS,
            "社区矫正法第二十九条：使用电子定位装置的期限不得超过三个月",
            remind_days=7,
        ),
    )
}

# 行政复议法第六十二条: the ordinary decision period may be extended once by at most 30 days.
MAX_EXTENSION = {"reconsideration_decision": dt.timedelta(days=30)}


def calendar_known(day: dt.date) -> bool:
    """Whether the State Council's holiday calendar for that year is in the package.

    Each year's calendar is published in the autumn before; until the package has it,
    days off are taken to be weekends only and due dates are marked as estimates."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


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
