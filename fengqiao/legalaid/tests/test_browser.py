"""The consultation desk in real headless Chromium on a phone-sized screen: a village
mediator records a citizen's question from the menu, reads the proposal with its reasons,
corrects the topic with a reason, and finds it in the register under the new topic."""

import re
from typing import Any

import pytest

from fengqiao.core.testing import browser_sign_in, make_personas
from fengqiao.legalaid.models import Consultation
from fengqiao.triage.models import Decision

pytestmark = pytest.mark.browser  # needs Debian's chromium (make setup installs it)


def test_village_mediator_records_a_consultation_and_corrects_its_topic(browser_page: Any) -> None:
    page = browser_page
    p = make_personas()
    browser_sign_in(page, p.village_mediator)
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="法律咨询").click()
    page.wait_for_url(re.compile(r"/consultations/$"))
    page.get_by_label("咨询方式").select_option(label="12348热线")
    page.get_by_label("咨询内容").fill(
        "我在工地上干活摔断了腿，包工头不给医药费，也没有签劳动合同，该找谁赔？"
    )
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r"/consultations/\d+/$"))
    card = page.locator("#triage")
    assert "智能分流建议" in card.inner_text() and "待确认" in card.inner_text()
    proposed = Consultation.objects.get().proposed_topic
    target = "人身损害" if proposed != "人身损害" else "劳动纠纷"

    card.locator("summary", has_text="改判").click()
    card.get_by_label("咨询类别").select_option(target)
    card.get_by_label("改判理由").fill("咨询人主要问伤情赔偿")
    card.get_by_role("button", name="保存改判").click()
    page.wait_for_url(re.compile(r"/consultations/\d+/$"))
    assert "已改判" in page.locator("#triage").inner_text()
    assert page.get_by_role("heading", level=1).inner_text().startswith(target)
    c = Consultation.objects.get()
    assert c.decision == Decision.OVERRIDDEN and c.topic == target and c.decided_by == p.village_mediator

    page.get_by_role("link", name="← 法律咨询登记").click()
    page.get_by_label("咨询类别").select_option(target)
    page.get_by_role("button", name="筛选").click()
    assert page.locator(".cases li").count() == 1
    assert "摔断了腿" in page.locator(".cases li").inner_text()
