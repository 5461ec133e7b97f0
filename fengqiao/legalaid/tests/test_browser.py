"""The consultation desk in real headless Chromium on a phone-sized screen: a village
mediator records a citizen's question from the menu, reads the proposal with its reasons,
corrects the topic with a reason, and finds it in the register under the new topic; a
citizen leaves a question for the township's desk and reads its reply."""

import re
from typing import Any

import pytest

from fengqiao.core.testing import (
    CITY,
    COUNTY,
    OTHER_COUNTY,
    OTHER_TOWNSHIP,
    TOWNSHIP,
    browser_sign_in,
    make_personas,
)
from fengqiao.legalaid import actions
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


def test_a_citizen_leaves_a_question_for_the_township_and_reads_the_reply(browser_page: Any) -> None:
    """From an answer in 法律问答 to 请工作人员联系我: the place is chosen in the cascading
    selects (each loads the next), and the reply the desk records appears under 我的咨询."""
    page = browser_page
    p = make_personas()
    browser_sign_in(page, p.citizen)
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="法律问答").click()
    page.get_by_label("您的问题").fill("我男人出去打工三年没回过屋，也不给家里钱，我想离婚咋个办？")
    page.get_by_role("button", name="提问").click()
    page.get_by_role("button", name="请工作人员联系我").click()
    page.wait_for_url(re.compile(r"/consultations/callback/"))
    assert "想离婚" in page.get_by_label("问题", exact=True).input_value()  # carried over from 法律问答
    page.get_by_label("市(州)").select_option(str(CITY))
    page.locator(f"#sel-county option[value='{COUNTY}']").wait_for(state="attached")
    page.get_by_label("县(市、区)").select_option(str(COUNTY))
    page.locator(f"#sel-township option[value='{TOWNSHIP}']").wait_for(state="attached")
    page.get_by_label("乡镇(街道)").select_option(str(TOWNSHIP))
    page.get_by_label("联系电话").fill("139 1234 5678")
    page.get_by_role("button", name="提交").click()
    assert "同意" in page.get_by_role("alert").inner_text()  # consent is asked for, not assumed
    assert not Consultation.objects.exists()
    assert page.get_by_label("乡镇(街道)").input_value() == str(TOWNSHIP)  # the place is kept
    assert page.locator("#sel-village option").count() > 1  # with the township's villages
    page.get_by_label("县(市、区)").select_option(str(OTHER_COUNTY))  # another county: its townships,
    page.locator(f"#sel-township option[value='{OTHER_TOWNSHIP}']").wait_for(state="attached")
    assert page.locator("#sel-village option").count() == 1  # and no village of the first one
    page.get_by_label("县(市、区)").select_option(str(COUNTY))
    page.locator(f"#sel-township option[value='{TOWNSHIP}']").wait_for(state="attached")
    page.get_by_label("乡镇(街道)").select_option(str(TOWNSHIP))
    page.get_by_label("我同意").check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/consultations/mine/"))
    assert "已提交" in page.get_by_role("status").inner_text()
    c = Consultation.objects.get()
    assert (c.admin_unit_id, c.asker_phone, c.from_citizen) == (TOWNSHIP, "13912345678", True)

    actions.reply_to(c, actor=p.township_officer, reply="已电话联系，请带结婚证周一到司法所面谈。")
    page.reload()
    item = page.locator(".cases li")
    assert "已答复" in item.inner_text() and "带结婚证" in item.inner_text()
