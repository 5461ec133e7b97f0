"""Pinned articles: proposed for the case with reasons, pinned and unpinned by those who may
act on the case, audited, and invisible outside the jurisdiction — in actions, API and pages."""

import json
import re
from typing import Any

import pytest
from django.test import Client

from fengqiao.accounts.models import AuditEntry
from fengqiao.assist import actions, queries
from fengqiao.assist import api as assist_api
from fengqiao.assist import urls as assist_urls
from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.models import PinnedArticle
from fengqiao.cases import actions as case_actions
from fengqiao.cases.choices import Tier
from fengqiao.cases.models import Dispute
from fengqiao.core.errors import DomainError, NotFound, PermissionDenied
from fengqiao.core.testing import Personas, sign_in
from fengqiao.statutes.models import Article

pytestmark = pytest.mark.django_db


def article(law: str, number: int, status: str = "in_force") -> Article:
    return Article.objects.get(law__short_name=law, law__status=status, number=number, sub=0)


def test_the_case_is_proposed_the_articles_on_neighbours_drainage_with_reasons(case: Dispute) -> None:
    found = queries.proposals(case)
    assert len(found) == 5
    titles = [p.hit.title for p in found]
    assert any(t.startswith("《民法典》第二百九十") for t in titles), (
        titles
    )  # 相邻关系: 排水 (Arts. 290, 296)
    top = found[0]
    assert top.article_id == Article.objects.get(source_key=top.hit.key).pk
    assert top.hit.reasons and top.hit.spans and not top.pinned
    assert (
        case.dispute_type == "neighbour" and "属于该类纠纷适用的法律" in top.hit.reasons
    )  # its type's statutes


def test_pin_and_unpin_are_recorded_with_who_when_and_why_and_audited(
    personas: Personas, case: Dispute
) -> None:
    mediator = personas.village_mediator
    a = article("民法典", 296)
    pin = actions.pin_article(case, actor=mediator, article_id=a.pk, reason="排水相邻关系")
    assert (pin.title, pin.law_name, pin.pinned_by, pin.reason) == (
        "《民法典》第二百九十六条",
        "中华人民共和国民法典",
        mediator,
        "排水相邻关系",
    )
    assert pin.text == a.text
    entry = AuditEntry.objects.filter(action="pin_article").latest("seq")
    assert entry.object_id == str(pin.pk) and entry.detail["dispute"] == case.pk
    assert all(p.pinned == (p.article_id == a.pk) for p in queries.proposals(case, 20))

    with pytest.raises(DomainError, match="已固定到本案"):
        actions.pin_article(case, actor=mediator, article_id=a.pk)

    actions.unpin_article(case, actor=mediator, pin_id=pin.pk, reason="不适用")
    pin.refresh_from_db()
    assert pin.unpinned_by == mediator and pin.unpin_reason == "不适用"
    assert not queries.pinned(case).exists() and queries.pin_history(case).count() == 1
    assert AuditEntry.objects.filter(action="unpin_article", object_id=str(pin.pk)).exists()
    again = actions.pin_article(case, actor=mediator, article_id=a.pk)  # pinned again: a new row
    assert again.pk != pin.pk and queries.pinned(case).get() == again


def test_only_those_who_act_on_the_case_pin_and_nobody_outside_sees_it(
    personas: Personas, case: Dispute
) -> None:
    a = article("民法典", 296)
    for outsider in (personas.other_county_officer, personas.other_township_officer, personas.citizen):
        with pytest.raises(NotFound):
            actions.pin_article(case, actor=outsider, article_id=a.pk)
    for reader in (personas.city_analyst, personas.grid_worker):
        with pytest.raises(PermissionDenied, match="不能固定法条"):
            actions.pin_article(case, actor=reader, article_id=a.pk)
    # once the township takes the case over, the village mediator no longer acts on it
    case_actions.escalate_dispute(case, actor=personas.village_mediator, to_tier=Tier.TOWNSHIP, reason="复杂")
    with pytest.raises(PermissionDenied):
        actions.pin_article(case, actor=personas.village_mediator, article_id=a.pk)
    assert (
        actions.pin_article(case, actor=personas.township_officer, article_id=a.pk).pinned_by
        == personas.township_officer
    )
    assert not AuditEntry.objects.filter(action="pin_article", actor=personas.city_analyst).exists()


def test_a_repealed_article_cannot_be_pinned(personas: Personas, case: Dispute) -> None:
    old = Article.objects.filter(law__status__in=["repealed", "historical"]).first()
    assert old is not None
    with pytest.raises(DomainError, match="已失效"):
        actions.pin_article(case, actor=personas.village_mediator, article_id=old.pk)
    with pytest.raises(DomainError, match="没有这条法条"):
        actions.pin_article(case, actor=personas.village_mediator, article_id=987654321)


def api(client: Client, method: str, url: str, body: object | None = None) -> tuple[int, Any]:
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
    response = getattr(client, method)(url, **kwargs)
    return response.status_code, response.json()


def test_the_api_lists_pins_and_unpins_within_jurisdiction_only(personas: Personas, case: Dispute) -> None:
    mine, other = Client(), Client()
    sign_in(mine, personas.village_mediator)
    sign_in(other, personas.other_county_officer)
    status, body = api(mine, "get", f"/api/v1/assist/cases/{case.pk}/articles")
    assert status == 200 and body["can_pin"] and len(body["proposed"]) == 5 and body["pinned"] == []
    first = body["proposed"][0]
    assert first["reasons"] and first["status_label"] == "现行有效" and first["spans"]

    status, pinned = api(
        mine,
        "post",
        f"/api/v1/assist/cases/{case.pk}/pins",
        {"article_id": first["article_id"], "reason": "相邻"},
    )
    assert status == 201 and pinned["title"] == first["title"]
    assert api(mine, "get", f"/api/v1/assist/cases/{case.pk}/articles")[1]["pinned"][0]["reason"] == "相邻"

    for method, url, payload in (
        ("get", f"/api/v1/assist/cases/{case.pk}/articles", None),
        ("post", f"/api/v1/assist/cases/{case.pk}/pins", {"article_id": first["article_id"]}),
        ("post", f"/api/v1/assist/cases/{case.pk}/pins/{pinned['id']}/unpin", {}),
    ):
        status, body = api(other, method, url, payload)
        assert status == 404 and body["code"] == "not_found", (url, body)

    status, body = api(
        mine, "post", f"/api/v1/assist/cases/{case.pk}/pins/{pinned['id']}/unpin", {"reason": "x"}
    )
    assert status == 200 and body["unpinned_at"]
    status, body = api(mine, "post", f"/api/v1/assist/cases/{case.pk}/pins", {"article_id": "abc"})
    assert status == 422 and "article_id" in json.dumps(body)


def test_the_case_page_shows_the_section_and_pins_with_htmx(personas: Personas, case: Dispute) -> None:
    c = Client()
    sign_in(c, personas.village_mediator)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert (
        'id="assist-articles"' in page
        and "适用法条" in page
        and f"/assist/cases/{case.pk}/proposals/" in page
    )
    assert "起草人民调解协议书" in page and "协议" in page
    fragment = c.get(f"/assist/cases/{case.pk}/proposals/", HTTP_HX_REQUEST="true").content.decode()
    assert "<mark>" in fragment and "固定到本案" in fragment and "现行有效" in fragment
    a = article("民法典", 296)
    r = c.post(
        f"/assist/cases/{case.pk}/pin/", {"article_id": a.pk, "reason": "排水"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "已固定（1）" in r.content.decode() and "排水" in r.content.decode()
    pin = PinnedArticle.objects.get(dispute=case)
    r = c.post(f"/assist/cases/{case.pk}/pin/", {"article_id": a.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "已固定到本案" in r.content.decode()
    r = c.post(f"/assist/cases/{case.pk}/pins/{pin.pk}/unpin/")
    assert r.status_code == 302 and r["Location"].endswith(f"/cases/{case.pk}/#assist-articles")
    outsider = Client()
    sign_in(outsider, personas.other_county_officer)
    assert outsider.get(f"/assist/cases/{case.pk}/proposals/").status_code == 404
    assert outsider.post(f"/assist/cases/{case.pk}/pin/", {"article_id": a.pk}).status_code == 404
    analyst = Client()
    sign_in(analyst, personas.city_analyst)
    page = analyst.get(f"/cases/{case.pk}/").content.decode()
    assert "适用法条" in page and "起草人民调解协议书" not in page
    assert analyst.post(f"/assist/cases/{case.pk}/pin/", {"article_id": a.pk}).status_code == 403


def test_every_assist_page_and_endpoint_is_404_outside_the_jurisdiction(
    personas: Personas, agreed: Dispute
) -> None:
    """Read from the URL table and the API router, so that no route escapes the rule."""
    mediator = personas.village_mediator
    pin = actions.pin_article(agreed, actor=mediator, article_id=article("民法典", 296).pk)
    draft = actions.start_draft(agreed, actor=mediator, kind=DocumentKind.AGREEMENT)
    values = {
        "case_id": str(agreed.pk),
        "draft_id": str(draft.pk),
        "pin_id": str(pin.pk),
        "field": "terms",
        "fmt": "pdf",
    }

    def fill(template: str, placeholder: str) -> str:
        return re.sub(placeholder, lambda m: values[str(m.group(1))], template)

    body: dict[str, object] = {"article_id": pin.article_id, "kind": "mediation_agreement", "confirmed": True}
    body |= {"fields": {"terms": "改"}, "field": "terms", "reason": "", "question": "排水沟被堵怎么办"}
    routes: list[str] = []
    for p in assist_urls.urlpatterns:
        route = str(p.pattern)
        if "<int:pk>" not in route:
            continue  # 法律问答 belongs to no case
        route = route.replace("<int:pk>", values["case_id" if route.startswith("cases/") else "draft_id"])
        routes.append("/assist/" + fill(route, r"<(?:\w+:)?(\w+)>"))
    for path in assist_api.router.path_operations:
        if "{" in path:
            routes.append("/api/v1/assist" + fill(path, r"\{(?:\w+:)?(\w+)\}"))
    assert len(routes) >= 20
    outsider = sign_in(Client(), personas.other_county_officer)
    for url in routes:
        answered = {}
        for method in ("get", "post", "patch"):
            kwargs = {} if method == "get" else {"data": json.dumps(body), "content_type": "application/json"}
            r = getattr(outsider, method)(url, **kwargs)
            answered[method] = r.status_code
        assert 404 in answered.values() and set(answered.values()) <= {404, 405}, (url, answered)
    assert PinnedArticle.objects.get(pk=pin.pk).unpinned_at is None
    draft.refresh_from_db()
    assert draft.revision == 1 and not draft.is_signed
