"""The mediator's journey in real headless Chromium: open a settled case, pin a proposed
article with htmx, draft the agreement (which cites it), and download the draft PDF."""

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from fengqiao.assist.models import Draft, PinnedArticle
from fengqiao.assist.tests.conftest import NEIGHBOURS, agree
from fengqiao.core.testing import PASSWORD, make_personas, register, totp_code

pytestmark = [
    pytest.mark.browser,
]


@pytest.fixture
def page_with_statutes(browser_page: Any) -> Any:
    """The shared browser page (fengqiao/conftest.py), with the statute book loaded."""
    from fengqiao.statutes.actions import corpus_loaded, load_corpus

    if not corpus_loaded():
        load_corpus()
    return browser_page


def test_a_mediator_pins_a_proposed_article_and_downloads_the_agreement_draft(
    page_with_statutes: Any,
) -> None:
    page = page_with_statutes
    base = page.base_url
    personas = make_personas()
    d = agree(personas, register(personas.village_mediator, **NEIGHBOURS))

    totp_code(personas.village_mediator)  # the mediator has an authenticator
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill("cun_tiaojie")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/login/second-factor/"))  # staff sign in with a TOTP code too
    page.get_by_label("验证码").fill(totp_code(personas.village_mediator))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(base + "/")
    page.goto(f"{base}/cases/{d.pk}/")

    # the proposals arrive by htmx after the page has loaded, highlighted, with reasons
    proposals = page.locator("#assist-proposals ol.proposals > li")
    proposals.first.wait_for()
    first = proposals.first
    title = first.locator("strong").inner_text()
    assert first.locator("mark").count() > 0 and first.locator(".reasons li").count() > 0
    first.get_by_placeholder("固定理由（可不填）").fill("排水相邻关系")
    first.get_by_role("button", name="固定到本案").click()
    page.locator("#assist-articles h3", has_text="已固定（1）").wait_for()
    assert title in page.locator("#assist-articles ul.pinned").inner_text()
    pin = PinnedArticle.objects.get(dispute=d)
    assert pin.title == title and pin.reason == "排水相邻关系" and pin.pinned_by.username == "cun_tiaojie"

    page.get_by_role("button", name="起草人民调解协议书").click()
    page.wait_for_url(re.compile(r"/assist/drafts/\d+/$"))
    assert page.locator("#f-basis").input_value().startswith("《中华人民共和国")
    preview = page.locator("#preview").inner_text()
    assert "人民调解协议书" in preview and "依照《中华人民共和国" in preview
    assert "均已通过" in page.locator("#citations").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF（草稿）").click()
    path = download.value.path()
    with open(path, "rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "人民调解协议书" in text and "草稿" in text and "张三" in text
    assert Draft.objects.get(dispute=d).fields["basis"] == pin.citation
