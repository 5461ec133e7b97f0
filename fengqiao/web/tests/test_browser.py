"""The main journey in real headless Chromium (Debian's package, driven by Playwright):
log in, record a dispute on a phone-sized screen, accept, record a session, reach an
agreement, record performance and a follow-up visit, close, and read the timeline."""

import base64
import re
from typing import Any

import pytest
from django_otp.oath import totp

from fengqiao.cases.choices import Outcome, Status
from fengqiao.cases.models import Dispute
from fengqiao.core.testing import PASSWORD, make_id_number, make_personas

pytestmark = [
    pytest.mark.browser,
]


def test_village_mediator_takes_a_dispute_from_record_to_closed(browser_page: Any) -> None:
    page = browser_page
    base = page.base_url
    make_personas()

    page.goto(base + "/login/")
    page.get_by_label("用户名").fill("cun_tiaojie")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # First sign-in of a staff account: enrol the authenticator from the key on the page.
    page.wait_for_url(re.compile(r"/login/second-factor/"))
    key = base64.b32decode(page.locator("#otp-secret").inner_text().replace(" ", ""))
    page.get_by_label("验证码").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="绑定并登录").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("heading", name=re.compile("纠纷列表")).is_visible()

    page.get_by_role("link", name="登记纠纷").first.click()
    page.get_by_label("纠纷类型").select_option(label="邻里")
    page.get_by_label("来源渠道").select_option(label="网格排查")
    page.get_by_label("纠纷概要").fill("院墙排水沟堵塞纠纷")
    page.get_by_label("纠纷事实经过").fill("被申请人修院墙堵塞排水沟，雨水倒灌申请人家中。")
    page.locator("[name=parties-0-name]").fill("张三")
    page.locator("[name=parties-0-id_number]").fill(make_id_number(seq=505))
    page.locator("[name=parties-0-phone]").fill("13812345678")
    page.locator("[name=parties-1-name]").fill("李四")
    page.get_by_role("button", name="提交登记").click()
    page.wait_for_url(re.compile(r"/cases/\d+/"))
    assert page.locator(".badge.s-registered").inner_text() == "待受理"

    def act(summary: str, fill: dict[str, str] | None = None, button: str | None = None) -> None:
        panel = page.locator("details", has=page.locator("summary", has_text=re.compile(f"^{summary}$")))
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        for name, value in (fill or {}).items():
            field = panel.locator(f"[name={name}]")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        panel.get_by_role("button", name=button or summary).click()
        page.wait_for_load_state("load")

    act("受理")
    act(
        "记录调解",
        {"place": "飞羊村村委会调解室", "content": "双方陈述意见，经耐心疏导同意协商。"},
        "保存笔录",
    )
    act(
        "达成调解协议",
        {
            "form": "written",
            "facts": "被申请人修院墙堵塞排水沟",
            "terms": "被申请人于三日内疏通排水沟并赔偿损失800元",
            "performance_method": "现金支付、现场疏通",
        },
        "登记协议",
    )
    assert "申请司法确认期限" in page.content()
    act("登记履行情况", {"status": "full"}, "登记")
    act("回访", {"satisfaction": "satisfied"}, "登记回访")
    act("结案")

    assert page.locator(".badge.s-closed").inner_text() == "已结案"
    timeline = page.locator("#timeline").inner_text()
    for step in ("登记", "受理", "记录调解", "达成调解协议", "登记履行情况", "回访", "结案"):
        assert step in timeline
    d = Dispute.objects.get(summary="院墙排水沟堵塞纠纷")
    assert (d.status, d.outcome) == (Status.CLOSED, Outcome.RESOLVED)
    assert d.transitions.count() == 7
