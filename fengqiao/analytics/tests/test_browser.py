"""The decision-support journey in real headless Chromium: a province analyst opens the
dashboard, sees the charts drawn, filters by type (htmx) and drills down province →
city → county → township → village, and at every step the unit's total equals the
row its parent showed for it."""

import re
from typing import Any

import pytest

from fengqiao.analytics import rollups
from fengqiao.cases import actions
from fengqiao.core.testing import (
    OTHER_COUNTY_VILLAGE,
    OTHER_VILLAGE,
    browser_sign_in,
    make_personas,
    register,
)

pytestmark = pytest.mark.browser  # needs Debian's chromium (make setup installs it)


def _count(page: Any, selector: str) -> int:
    return int(page.locator(selector).first.inner_text().replace(",", ""))


def _own_total(page: Any) -> int:
    return _count(page, '#counts td[data-count="registered"]')


def _child_row(page: Any, name: str) -> int:
    row = page.locator("#children tbody tr", has=page.get_by_role("link", name=name, exact=True))
    return int(row.locator('td[data-count="registered"]').inner_text().replace(",", ""))


def test_province_analyst_drills_down_to_a_village_with_consistent_numbers(browser_page: Any) -> None:
    page = browser_page
    base = page.base_url
    p = make_personas()
    vm, to = p.village_mediator, p.township_officer
    for _ in range(3):
        register(vm)
    d = register(vm, dispute_type="labour")
    actions.accept_dispute(d, actor=vm)
    register(to, admin_unit=OTHER_VILLAGE)
    register(p.other_township_officer, admin_unit=OTHER_COUNTY_VILLAGE)
    rollups.catch_up()

    browser_sign_in(page, p.province_analyst)
    page.goto(base + "/")
    page.locator("header nav").get_by_role("link", name="统计分析").click()
    page.wait_for_url(base + "/analytics/")
    assert page.get_by_role("heading", name=re.compile("统计分析")).is_visible()
    assert _own_total(page) == 6
    # the charts are drawn from the project's own ECharts, the tables fold behind a button
    page.wait_for_selector('figure.charted[data-chart="children"] .chart-canvas canvas')
    assert page.evaluate("typeof window.echarts") == "object"
    assert page.get_by_text("村级化解率").first.is_visible()

    # filter by type through htmx: the body is replaced, the URL follows
    page.get_by_label("纠纷类型").select_option(label="劳动争议")
    page.wait_for_url(re.compile(r"type=labour"))
    page.wait_for_function(
        "() => document.querySelector('#counts td[data-count=registered]').innerText === '1'"
    )
    page.get_by_label("纠纷类型").select_option(label="全部类型")
    page.wait_for_function(
        "() => document.querySelector('#counts td[data-count=registered]').innerText === '6'"
    )

    expected = {"成都市": 6, "大邑县": 5, "王泗镇": 5, "飞羊村": 4}
    for name, total in expected.items():
        page.locator("figure.charted button.table-toggle").first.click()  # show the children table
        shown = _child_row(page, name)
        page.locator("#children").get_by_role("link", name=name, exact=True).click()
        page.wait_for_selector(f".crumbs strong:text-is('{name}')")
        assert _own_total(page) == shown == total, name
        if name != "飞羊村":
            sums = page.locator('#children tfoot td[data-count="registered"]').inner_text()
            assert int(sums) == total  # the children add up to the unit
    assert page.locator("#children").count() == 0  # a village has no children
    assert _count(page, '#counts td[data-count="accepted"]') == 1
    # back up the breadcrumb
    page.locator(".crumbs").get_by_role("link", name="大邑县").click()
    page.wait_for_selector(".crumbs strong:text-is('大邑县')")
    assert _own_total(page) == 5
