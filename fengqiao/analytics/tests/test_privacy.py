"""No personal data in analytics (个人信息保护法 Arts. 6, 28, 34): the rollup tables hold
only place codes, months, the three categories and counts, and nothing the dashboard,
the API, the report or the stored reports give out names a party, an ID number, a
phone number or a dispute's own words — only figures."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import models
from django.test import Client
from openpyxl import load_workbook

from fengqiao.analytics import jobs, rollups
from fengqiao.analytics.measures import NAMES
from fengqiao.analytics.models import MonthlyReport, Rollup, RollupState
from fengqiao.analytics.rollups import KEY
from fengqiao.analytics.tests.scenarios import on
from fengqiao.cases import actions
from fengqiao.core.testing import COUNTY, Personas, make_id_number, register, sign_in

pytestmark = pytest.mark.django_db

NAME, OTHER, PHONE = "欧阳明轩", "司马慧琳", "13812345678"
ID_NUMBER = make_id_number(born=dt.date(1975, 3, 9), seq=417)
SUMMARY, NARRATIVE = "晒场边界纠纷甲乙丙", "两家因晒场边界石桩位置发生争执丁戊己"
SECRETS = (NAME, OTHER, PHONE, ID_NUMBER, ID_NUMBER[-6:], SUMMARY, NARRATIVE)
APP = Path(__file__).resolve().parent.parent


def _parties() -> list[dict[str, str]]:
    return [
        {"role": "applicant", "name": NAME, "id_number": ID_NUMBER, "phone": PHONE},
        {"role": "respondent", "name": OTHER, "phone": "13987654321"},
    ]


@pytest.fixture
def case(personas: Personas) -> None:
    vm = personas.village_mediator
    with on(dt.date(2026, 10, 5)):
        d = register(vm, parties=_parties(), summary=SUMMARY, narrative=NARRATIVE)
        actions.accept_dispute(d, actor=vm)
    rollups.catch_up()


def _no_secrets(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{where} shows {secret!r}"


def test_rollup_rows_hold_codes_months_categories_and_counts_only() -> None:
    fields = {f.name: f for f in Rollup._meta.get_fields()}
    assert set(fields) == {"id", *KEY, *NAMES}
    for name in NAMES:
        assert isinstance(fields[name], models.IntegerField | models.BigIntegerField), name
    for name in ("dispute_type", "tier", "channel"):  # choice values, never free text
        field = Rollup._meta.get_field(name)
        assert isinstance(field, models.CharField) and (field.max_length or 0) <= 32, name
    assert not any(f.is_relation for f in Rollup._meta.get_fields())
    assert not any(f.is_relation for f in RollupState._meta.get_fields())
    # the stored report points at its unit and the user who asked for it, nothing else
    assert {f.name for f in MonthlyReport._meta.get_fields() if f.is_relation} == {"unit", "generated_by"}


def test_the_app_never_reads_the_personal_tables() -> None:
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        for name in ("Party", "cases_party", "id_number", "phone", "narrative"):
            assert name not in text, f"{path.relative_to(APP)} mentions {name}"


def test_no_personal_data_on_the_page_in_the_api_or_in_the_reports(personas: Personas, case: None) -> None:
    c = sign_in(Client(), personas.county_officer)
    months = {"from": "2026-10", "to": "2026-10"}
    page = c.get("/analytics/", months)
    assert page.status_code == 200 and "村级化解率" in page.content.decode()
    _no_secrets(page.content.decode(), "dashboard")
    for path in ("/api/v1/analytics/indicators", "/api/v1/analytics/children"):
        r = c.get(path, months)
        assert r.status_code == 200 and r.json()["unit"]["code"] == COUNTY
        _no_secrets(r.content.decode(), path)
    r = c.get("/analytics/report.xlsx", {"month": "2026-10"})
    assert r.status_code == 200
    _no_secrets(_cells(r.content), "report")
    assert jobs.monthly_reports(dt.date(2026, 11, 2), limit=500) > 0
    stored = MonthlyReport.objects.get(unit_id=COUNTY, month=202610)
    _no_secrets(_cells(bytes(stored.content)), "stored report")
    registered = load_workbook(io.BytesIO(bytes(stored.content))).active
    assert registered is not None and registered.cell(24, 3).value == 1  # the figure is there


def _cells(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    props = wb.properties
    parts = [str(v) for v in (props.creator, props.title, props.subject, props.description) if v]
    for ws in wb.worksheets:
        parts.extend(str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None)
    return "\n".join(parts)
