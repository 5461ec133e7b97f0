"""The case page's dispatch card through the client: ranked and explained, scoped to the
jurisdiction (404 outside it), and every assignment through the checked write path."""

from collections.abc import Callable

import pytest
from django.test import Client

from fengqiao.accounts.models import Mediator, User
from fengqiao.cases.choices import Action
from fengqiao.cases.models import Dispute, Transition
from fengqiao.core.testing import OTHER_VILLAGE, VILLAGE, Personas, sign_in
from fengqiao.dispatch import actions
from fengqiao.dispatch.choices import Relation
from fengqiao.dispatch.models import Objection
from fengqiao.dispatch.tests.conftest import add_mediator

pytestmark = pytest.mark.django_db
Accepted = Callable[..., Dispute]
HTMX = {"HX-Request": "true"}


def client_for(user: User) -> Client:
    c = Client()
    sign_in(c, user)
    return c


def test_the_case_page_loads_the_card_and_the_card_ranks_with_every_item(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    add_mediator(OTHER_VILLAGE, "陈调解")
    c = client_for(personas.township_officer)
    page = c.get(f"/cases/{d.pk}/").content.decode()
    assert f'hx-get="/dispatch/cases/{d.pk}/card/"' in page
    assert f'action="/dispatch/cases/{d.pk}/assign/"' in page  # the actions form goes through dispatch
    r = c.get(f"/dispatch/cases/{d.pk}/card/", headers=HTMX)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("王调解") < html.index("陈调解")
    assert "成本明细" in html and "距离：承办调解组织" in html and "跨区域调配" in html
    assert "<html" not in html  # a fragment for htmx; the full page without it
    assert "<html" in c.get(f"/dispatch/cases/{d.pk}/").content.decode()


def test_outside_the_jurisdiction_the_card_and_its_forms_are_404(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    c = client_for(personas.other_township_officer)
    assert c.get(f"/dispatch/cases/{d.pk}/card/").status_code == 404
    assert c.post(f"/dispatch/cases/{d.pk}/assign/", {}).status_code == 404
    party = d.parties.first()
    assert party is not None
    body = {"party_id": party.pk, "mediator_id": personas.mediator.pk, "ground": "partiality"}
    assert c.post(f"/dispatch/cases/{d.pk}/objections/", body).status_code == 404
    assert client_for(personas.citizen).get(f"/dispatch/cases/{d.pk}/card/").status_code == 404
    assert Dispute.objects.get(pk=d.pk).mediator is None and not Objection.objects.exists()


def test_smart_assignment_from_the_card_goes_through_the_write_path(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    c = client_for(personas.township_officer)
    r = c.post(f"/dispatch/cases/{d.pk}/assign/", {}, headers=HTMX)
    assert r.status_code == 204 and r["HX-Redirect"] == f"/cases/{d.pk}/#timeline"
    d.refresh_from_db()
    assert d.mediator == personas.mediator
    t = Transition.objects.get(dispute=d, action=Action.ASSIGN_MEDIATOR)
    assert "系统推荐" in t.reason


def test_a_conflicted_or_full_mediator_is_refused_in_chinese_and_nothing_is_written(
    personas: Personas, accepted: Accepted
) -> None:
    d = accepted()
    actions.declare_conflict(
        personas.mediator, actor=personas.township_officer, person_name="李四", relation=Relation.KIN
    )
    c = client_for(personas.township_officer)
    r = c.post(f"/dispatch/cases/{d.pk}/assign/", {"mediator_id": personas.mediator.pk})
    assert r.status_code == 422
    assert "未能指派调解员" in r.content.decode() and "回避" in r.content.decode()
    colleague = add_mediator(VILLAGE, "赵调解", max_load=0)
    r = c.post(f"/dispatch/cases/{d.pk}/assign/", {"mediator_id": colleague.pk}, headers=HTMX)
    assert r.status_code == 200 and "已达上限0件" in r.content.decode()  # shown in the card, in place
    assert Dispute.objects.get(pk=d.pk).mediator is None
    assert not Transition.objects.filter(dispute=d, action=Action.ASSIGN_MEDIATOR).exists()


def test_an_objection_recorded_on_the_card_steers_the_ranking(personas: Personas, accepted: Accepted) -> None:
    d = accepted()
    other = add_mediator(OTHER_VILLAGE, "陈调解")
    c = client_for(personas.township_officer)
    li = d.parties.get(name="李四")
    body = {"party_id": li.pk, "mediator_id": personas.mediator.pk, "ground": "village_official"}
    r = c.post(f"/dispatch/cases/{d.pk}/objections/", body, headers=HTMX)
    assert r.status_code == 200
    html = r.content.decode()
    assert "李四 不接受 王调解" in html and "系对方当事人所在村(社区)干部" in html
    assert "不能指派" in html and "第二十三条" in html  # the home mediator's refusal explained
    r = c.post(f"/dispatch/cases/{d.pk}/objections/", {**body, "ground": ""}, headers=HTMX)
    assert "请选择异议理由" in r.content.decode()
    c.post(f"/dispatch/cases/{d.pk}/assign/", {})
    assert Dispute.objects.get(pk=d.pk).mediator == Mediator.objects.get(pk=other.pk)
