"""The monthly report: the official 18 rows and the totals row, in the form's layout,
with figures that match the cases; made on demand, by the command and on schedule."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from fengqiao.analytics import jobs, periods, queries, report, rollups
from fengqiao.analytics.models import MonthlyReport
from fengqiao.analytics.tests import direct
from fengqiao.analytics.tests.scenarios import SECOND_TOWNSHIP, TODAY, build, on
from fengqiao.cases.choices import DisputeType
from fengqiao.cases.models import Dispute
from fengqiao.core.testing import COUNTY, PROVINCE, Personas, register, sign_in
from fengqiao.geography.models import AdminUnit

pytestmark = pytest.mark.django_db
OCTOBER = 202610
MONTH = periods.Period(OCTOBER, OCTOBER)


@pytest.fixture
def world(personas: Personas) -> dict[str, Dispute]:
    second = AdminUnit.objects.filter(parent_id=SECOND_TOWNSHIP, level=5).order_by("code").first()
    assert second is not None
    out = build(personas, second.code)
    rollups.catch_up()
    return out


def _sheet(content: bytes) -> Any:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return ws


def test_the_workbook_has_the_official_rows_and_a_totals_row_matching_the_cases(
    personas: Personas, world: dict[str, Dispute]
) -> None:
    for actor, code in ((personas.county_officer, COUNTY), (personas.province_analyst, PROVINCE)):
        scope = queries.scope_for(actor, code)
        ws = _sheet(report.build_xlsx(scope, OCTOBER, preparer="张科员", on=TODAY))
        assert ws["A1"].value == "人民调解工作统计月报表"
        assert "大邑县" in ws["A2"].value or code == PROVINCE
        assert "2026年10月01日至2026年10月31日" in ws.cell(2, 9).value
        assert ws["A3"].value == "填报人：张科员" and "2026年11月03日" in ws.cell(3, 9).value
        headers = [ws.cell(5, c).value or ws.cell(4, c).value for c in range(1, len(report.COLUMNS) + 2)]
        assert headers[0] == "纠纷类型" and "排查纠纷(件)" in headers and "涉及金额(元)" in headers
        labels = [ws.cell(6 + i, 1).value for i in range(19)]
        assert labels == [str(t.label) for t in DisputeType] + ["合计"]
        assert ws["A1"].font.name == "黑体" and ws["B6"].font.name == "宋体"
        start, end = direct.bounds(MONTH)
        for i, kind in enumerate(DisputeType):
            qs = direct.disputes(code, kind.value)
            want = direct.compute(qs, MONTH, TODAY, with_stock=False)
            row = [ws.cell(6 + i, 2 + j).value for j in range(len(report.COLUMNS))]
            sweeps = qs.filter(channel="grid_sweep", received_at__gte=start, received_at__lt=end).count()
            c = want.counts
            assert row == [
                sweeps,
                c["registered"],
                c["accepted"],
                c["agreed"],
                c["mediation_failed"],
                c["transferred"],
                c["withdrawn"] + c["declined"],
                c["closed"],
                c["resolved"],
                c["agreements_written"],
                c["agreements_oral"],
                c["confirm_applied"],
                c["confirm_valid"],
                c["accepted_amount"] / 100,
                c["accepted_people"],
            ], f"{code} {kind}"
        totals = [ws.cell(24, 2 + j).value for j in range(len(report.COLUMNS))]
        columns = [[ws.cell(6 + i, 2 + j).value for i in range(18)] for j in range(len(report.COLUMNS))]
        assert totals == [round(sum(col), 2) for col in columns]
        everything = direct.compute(direct.disputes(code), MONTH, TODAY)
        assert totals[1] == everything.counts["registered"] > 0


def test_the_command_writes_the_report(world: dict[str, Dispute], tmp_path: Path) -> None:
    out = tmp_path / "dayi.xlsx"
    call_command("analytics", "report", "--unit", str(COUNTY), "--month", "2026-10", "--out", str(out))
    ws = _sheet(out.read_bytes())
    assert ws["A3"].value == "填报人：系统自动生成" and ws.cell(24, 1).value == "合计"


def test_the_schedule_makes_last_months_county_reports_once_the_rollups_caught_up(personas: Personas) -> None:
    with on(dt.date(2026, 10, 20)):
        register(personas.village_mediator)
    assert jobs.monthly_reports(dt.date(2026, 11, 2)) == 0  # figures not yet complete
    rollups.catch_up()
    assert jobs.monthly_reports(dt.date(2026, 11, 9)) == 0  # past the first days of the month
    made = jobs.monthly_reports(dt.date(2026, 11, 2), limit=500)
    counties = AdminUnit.objects.filter(level=3).count()
    assert made == counties == MonthlyReport.objects.filter(month=OCTOBER).count()
    assert jobs.monthly_reports(dt.date(2026, 11, 3), limit=500) == 0  # once
    dayi = MonthlyReport.objects.get(unit_id=COUNTY, month=OCTOBER)
    ws = _sheet(bytes(dayi.content))
    assert ws.cell(24, 3).value == 1  # one dispute registered in October
    # the county downloads its own, not another county's
    from django.test import Client

    c = sign_in(Client(), personas.county_officer)
    page = c.get("/analytics/").content.decode()
    assert f"/analytics/reports/{dayi.pk}.xlsx" in page
    assert c.get(f"/analytics/reports/{dayi.pk}.xlsx").status_code == 200
    other = MonthlyReport.objects.exclude(unit_id=COUNTY).first()
    assert other is not None and c.get(f"/analytics/reports/{other.pk}.xlsx").status_code == 404
