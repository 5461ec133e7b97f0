"""The dashboard, the report download and the API through the client: Chinese, scoped to
the actor's jurisdiction (404 outside it), with the same numbers as the queries."""

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from fengqiao.accounts.models import User
from fengqiao.analytics import rollups
from fengqiao.analytics.tests.scenarios import on
from fengqiao.cases import actions
from fengqiao.core.testing import (
    CITY,
    COUNTY,
    OTHER_COUNTY,
    OTHER_TOWNSHIP,
    OTHER_VILLAGE,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
    Personas,
    register,
    sign_in,
)

pytestmark = pytest.mark.django_db
OCT: dict[str, str] = {"from": "2026-10", "to": "2026-10"}


def client_for(user: User) -> Client:
    """A client signed in as ``user`` would be after password and second factor."""
    return sign_in(Client(), user)


@pytest.fixture
def cases(personas: Personas) -> None:
    import datetime as dt

    vm = personas.village_mediator
    with on(dt.date(2026, 10, 5)):
        d = register(vm)
        register(vm, dispute_type="labour")
        actions.accept_dispute(d, actor=vm)
        register(personas.other_township_officer, admin_unit=510131101200)
    rollups.catch_up()


def numbers(html: str, marker: str) -> list[str]:
    return re.findall(rf'data-count="{marker}">([\d,]+)<', html)


def test_the_dashboard_opens_at_the_actors_own_unit_in_chinese(personas: Personas, cases: None) -> None:
    page = client_for(personas.township_officer).get("/analytics/", OCT).content.decode()
    assert "统计分析" in page and "王泗镇" in page and "村级化解率" in page and "口径" in page
    assert 'lang="zh-CN"' in page and "echarts-6.1.0.min.js" in page
    assert numbers(page, "registered")[0] == "2"  # the township's children: its villages
    assert "飞羊村" in page  # a child, with a drill-down link
    assert re.search(r'href="\?[^"]*unit=510129101203', page)


def test_pages_require_login_and_a_jurisdiction(personas: Personas) -> None:
    r = Client().get("/analytics/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    for user in (personas.citizen, personas.partner_court, personas.system_admin):
        assert client_for(user).get("/analytics/").status_code == 404


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("township_officer", OTHER_TOWNSHIP),
        ("township_officer", COUNTY),  # above one's own unit
        ("village_mediator", OTHER_VILLAGE),
        ("county_officer", OTHER_COUNTY),
        ("city_analyst", 510300000000),
        ("county_officer", 510129999999),  # no such unit
    ],
)
def test_a_unit_outside_the_jurisdiction_is_404_on_every_edge(
    personas: Personas, who: str, unit: int
) -> None:
    c = client_for(getattr(personas, who))
    assert c.get("/analytics/", {"unit": unit}).status_code == 404
    assert c.get("/analytics/report.xlsx", {"unit": str(unit), "month": "2026-10"}).status_code == 404
    assert c.get("/api/v1/analytics/indicators", {"unit": unit}).status_code == 404
    assert c.get("/api/v1/analytics/children", {"unit": unit}).status_code == 404


def test_the_province_analyst_drills_down_to_a_village(personas: Personas, cases: None) -> None:
    c = client_for(personas.province_analyst)
    for unit in (PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE):
        r = c.get("/analytics/", {"unit": str(unit), **OCT})
        assert r.status_code == 200, unit
    page = r.content.decode()
    assert "飞羊村" in page and "下级对比" not in page  # a village has no children
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', page, re.S)
    assert crumbs is not None and all(n in crumbs.group(0) for n in ("四川省", "成都市", "大邑县", "王泗镇"))


def test_filters_through_htmx_return_the_body_only(personas: Personas, cases: None) -> None:
    c = client_for(personas.county_officer)
    full = c.get("/analytics/", {**OCT, "type": "labour"}).content.decode()
    part = c.get("/analytics/", {**OCT, "type": "labour"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in part and "chart-data" in part
    assert numbers(part, "registered")[-1] == "1"  # the children's total row: one labour dispute


def test_the_report_downloads_as_xlsx_named_for_the_unit(personas: Personas, cases: None) -> None:
    r = client_for(personas.county_officer).get("/analytics/report.xlsx", {"month": "2026-10"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None and ws["A1"].value == "人民调解工作统计月报表"


def test_the_api_gives_indicators_and_children_within_jurisdiction(personas: Personas, cases: None) -> None:
    c = client_for(personas.county_officer)
    body = c.get("/api/v1/analytics/indicators", {"from": "2026-10", "to": "2026-10-31"}).json()
    assert body["unit"]["code"] == COUNTY and body["period_from"] == "2026-10" == body["period_to"]
    assert body["counts"]["registered"] == 2 and body["counts"]["accepted"] == 1
    assert body["open_total"] == 2 and body["open_by_status"]["accepted"] == 1
    keys = {i["key"] for i in body["indicators"]}
    assert {"village_resolution_rate", "success_rate", "upward_rate", "p90_days", "overdue"} <= keys
    kids = c.get("/api/v1/analytics/children", {**OCT, "dispute_type": "labour"}).json()
    assert sum(k["counts"]["registered"] for k in kids["children"]) == 1
    assert c.get("/api/v1/analytics/indicators", {"unit": 123}).status_code == 400
    assert c.get("/api/v1/analytics/indicators", {"dispute_type": "nonsense"}).status_code == 422
    assert Client().get("/api/v1/analytics/indicators").status_code == 401
