"""Every legal time limit, counted as the law counts it (no database)."""

import datetime as dt

import pytest

from fengqiao.deadlines.rules import RULES, add_months, calendar_known, due_date, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        # 人民调解工作若干规定 Art. 33 — one month; 民法典 Art. 202: the corresponding day
        ("mediation", D(2026, 3, 2), D(2026, 4, 2)),
        # no 31 February: the last day of the month (民法典 Art. 202)
        # 28 Feb 2026 is a Saturday but an adjusted working day for Spring Festival: it stands
        ("mediation", D(2026, 1, 31), D(2026, 2, 28)),
        # 30 calendar days, first day not counted (民法典 Art. 201)
        ("court_referred_mediation", D(2026, 6, 1), D(2026, 7, 1)),
        ("judicial_confirmation", D(2026, 3, 2), D(2026, 4, 1)),
        # the last day falls in the National Day holiday of 2025: moved past it (Art. 203)
        ("judicial_confirmation", D(2025, 9, 1), D(2025, 10, 9)),
        # 法律援助法 Art. 43: 7 days; 12 Sep 2026 is a Saturday → Monday 14 September
        ("legal_aid_decision", D(2026, 9, 5), D(2026, 9, 14)),
        ("legal_aid_assignment", D(2026, 3, 2), D(2026, 3, 5)),
        # 行政复议法 Arts. 30 and 88: five *working* days, across the 2025 National Day holiday
        # (1–8 Oct off; Saturday 11 Oct worked): 30 Sep, 9, 10, 11, 13 Oct
        ("reconsideration_acceptance", D(2025, 9, 29), D(2025, 10, 13)),
        # ... and across Spring Festival 2026 (15–23 Feb off; 14 and 28 Feb adjusted working days)
        ("reconsideration_acceptance", D(2026, 2, 12), D(2026, 2, 26)),
        (
            "reconsideration_application",
            D(2026, 3, 2),
            D(2026, 5, 6),
        ),  # 1 May falls in the Labour Day holiday
        ("reconsideration_decision", D(2026, 3, 2), D(2026, 5, 6)),
        ("reconsideration_decision_simple", D(2026, 3, 2), D(2026, 4, 1)),
        ("correction_report", D(2026, 3, 2), D(2026, 3, 12)),
        ("electronic_monitoring", D(2026, 3, 2), D(2026, 6, 2)),
    ],
)
def test_due_dates(rule: str, start: dt.date, due: dt.date) -> None:
    assert due_date(rule, start) == due


def test_adjusted_working_weekends_count_as_working_days() -> None:
    assert is_working_day(D(2026, 2, 14))  # Saturday worked for Spring Festival 2026
    assert not is_working_day(D(2026, 2, 16))  # a Monday in the holiday
    assert not is_working_day(D(2026, 10, 1))


def test_years_without_a_published_calendar_fall_back_to_weekends() -> None:
    assert calendar_known(D(2026, 12, 31))
    assert not calendar_known(D(2027, 1, 4))
    assert is_working_day(D(2027, 1, 4)) and not is_working_day(D(2027, 1, 9))


def test_every_rule_cites_its_article() -> None:
    for rule in RULES.values():
        assert "第" in rule.citation and "条" in rule.citation, rule.key


def test_add_months_keeps_the_day_or_takes_the_last() -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
