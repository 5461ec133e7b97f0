"""The web pages through Django's test client: Chinese, scoped, one action per post."""

import datetime as dt
import io

import pytest
from django.test import Client
from docx import Document

from fengqiao.cases import actions
from fengqiao.cases.choices import AgreementForm, Status
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.testing import (
    CITY,
    COUNTY,
    OTHER_VILLAGE,
    PASSWORD,
    TOWNSHIP,
    VILLAGE,
    Personas,
    make_id_number,
    register,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db


def logged_in(user: object) -> Client:
    c = Client()
    sign_in(c, user)  # type: ignore[arg-type]
    return c


def test_login_page_is_chinese_and_login_works(personas: Personas) -> None:
    c = Client()
    page = c.get("/login/").content.decode()
    assert "登录" in page and 'lang="zh-CN"' in page
    bad = c.post("/login/", {"username": "sifasuo", "password": "wrong"})
    assert "用户名或密码不正确" in bad.content.decode()
    ok = c.post("/login/", {"username": "sifasuo", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert c.get("/")["Location"] == "/login/second-factor/?next=/"  # staff: the TOTP code next
    assert c.post("/login/second-factor/", {"code": totp_code(personas.township_officer)}).status_code == 302
    assert c.get("/").status_code == 200


def test_pages_require_login() -> None:
    r = Client().get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_township_officer_sees_open_disputes_of_his_township_only(personas: Personas) -> None:
    mine = register(personas.village_mediator, summary="本镇的纠纷")
    register(personas.other_township_officer, summary="别镇的纠纷", admin_unit=510131101200)
    page = logged_in(personas.township_officer).get("/").content.decode()
    assert "本镇的纠纷" in page and "别镇的纠纷" not in page
    assert mine.number in page


def test_filters_narrow_the_list_and_htmx_gets_only_rows(personas: Personas) -> None:
    register(personas.village_mediator, summary="邻里占道")
    register(personas.village_mediator, summary="欠薪", dispute_type="labour")
    c = logged_in(personas.township_officer)
    page = c.get("/", {"dispute_type": "labour"}).content.decode()
    assert "欠薪" in page and "邻里占道" not in page
    partial = c.get("/", {"q": "邻里"}, HTTP_HX_REQUEST="true").content.decode()
    assert "邻里占道" in partial and "<html" not in partial


def test_out_of_scope_case_page_is_404(personas: Personas) -> None:
    d = register(personas.village_mediator)
    c = logged_in(personas.other_county_officer)
    assert c.get(f"/cases/{d.pk}/").status_code == 404
    assert c.post(f"/cases/{d.pk}/act/accept/", {}).status_code == 404
    assert c.get(f"/cases/{d.pk}/agreement/").status_code == 404


def test_recording_a_dispute_from_the_phone_form(personas: Personas) -> None:
    c = logged_in(personas.village_mediator)
    form = c.get("/cases/new/").content.decode()
    assert "登记纠纷" in form and "纠纷事实经过" in form
    data = {
        "dispute_type": "housing_homestead",
        "channel": "grid_sweep",
        "summary": "宅基地界址争议",
        "narrative": "两户因新建房屋地基越过界址发生争执。",
        "amount": "",
        "people_involved": "2",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "孙八",
        "parties-0-id_number": make_id_number(seq=404),
        "parties-0-phone": "139 1234 5678",
        "parties-1-role": "respondent",
        "parties-1-kind": "person",
        "parties-1-name": "周九",
    }
    r = c.post("/cases/new/", data)
    assert r.status_code == 302
    d = Dispute.objects.get(summary="宅基地界址争议")
    assert d.admin_unit_id == VILLAGE and d.status == Status.REGISTERED
    assert d.parties.get(name="孙八").phone == "13912345678"


def test_form_errors_are_shown_in_chinese_naming_the_field(personas: Personas) -> None:
    c = logged_in(personas.township_officer)
    r = c.post(
        "/cases/new/",
        {
            "dispute_type": "neighbour",
            "channel": "walk_in",
            "summary": "x",
            "narrative": "事实经过说明",
            "village": str(VILLAGE),
            "parties-0-role": "applicant",
            "parties-0-name": "吴十",
            "parties-0-phone": "02888",
        },
    )
    page = r.content.decode()
    assert r.status_code == 422
    assert "纠纷概要：内容过短" in page
    assert "当事人1 联系电话" in page
    assert not Dispute.objects.exists()
    assert f'<option value="{VILLAGE}" selected>' in page  # the place chosen is kept
    assert f'<option value="{OTHER_VILLAGE}">' in page  # and the villages beside it offered


def test_a_citizens_place_cascade_starts_at_the_cities_and_keeps_the_county_chosen(
    personas: Personas,
) -> None:
    c = logged_in(personas.citizen)
    form = c.get("/cases/new/").content.decode()
    assert 'name="city"' in form and f'<option value="{CITY}">' in form and "请先选择乡镇" in form
    r = c.post("/cases/new/", {"summary": "x", "city": str(CITY), "county": str(COUNTY)})
    page = r.content.decode()
    assert r.status_code == 422
    assert f'<option value="{CITY}" selected>' in page and f'<option value="{COUNTY}" selected>' in page
    assert f'<option value="{TOWNSHIP}">' in page  # the townships of the county chosen


def test_township_officer_records_at_township_level_when_no_village_chosen(personas: Personas) -> None:
    c = logged_in(personas.township_officer)
    r = c.post(
        "/cases/new/",
        {
            "dispute_type": "contract",
            "channel": "walk_in",
            "summary": "土地流转合同纠纷",
            "narrative": "合作社拖欠土地流转费。",
            "parties-0-role": "applicant",
            "parties-0-name": "郑一",
        },
    )
    assert r.status_code == 302
    assert Dispute.objects.get().admin_unit_id == TOWNSHIP


def test_actions_from_the_case_page_and_refusals_shown_in_place(personas: Personas) -> None:
    d = register(personas.village_mediator)
    c = logged_in(personas.village_mediator)
    assert c.post(f"/cases/{d.pk}/act/accept/", {"tier": "village"}).status_code == 302
    r = c.post(f"/cases/{d.pk}/act/reach_agreement/", {"form": "oral", "terms": "赔偿"})
    assert r.status_code == 422 and "尚无调解笔录" in r.content.decode()
    held = (clock.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(f"/cases/{d.pk}/act/record_session/", {"held_at": held, "place": "村委会", "content": "调解"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.MEDIATING
    page = c.get(f"/cases/{d.pk}/").content.decode()
    assert "流转记录" in page and "记录调解" in page and "调解期限" in page


def test_agreement_print_view_and_docx_carry_the_required_contents(personas: Personas) -> None:
    u = personas.village_mediator
    d = register(u)
    actions.accept_dispute(d, actor=u)
    actions.record_session(d, actor=u, held_at=clock.now(), place="村委会", content="调解")
    actions.reach_agreement(
        d,
        actor=u,
        form=AgreementForm.WRITTEN,
        facts="排水沟被堵塞",
        responsibilities="被申请人负全部责任",
        terms="被申请人于三日内疏通排水沟",
        performance_method="现场疏通",
        performance_place="申请人宅旁",
    )
    c = logged_in(u)
    page = c.get(f"/cases/{d.pk}/agreement/").content.decode()
    for required in (
        "人民调解协议书",
        "张三",
        "纠纷主要事实",
        "各方当事人的责任",
        "履行方式",
        "三十日内",
        "盖章",
    ):
        assert required in page
    r = c.get(f"/cases/{d.pk}/agreement.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "被申请人于三日内疏通排水沟" in text and "一式3份" in text


def test_import_page_reports_rows(personas: Personas) -> None:
    c = logged_in(personas.township_officer)
    assert "下载模板" in c.get("/import/").content.decode()
    template = c.get("/import/template.csv").content.decode("utf-8-sig")
    header = template.splitlines()[0]
    line = "T-1,,来访,邻里,占道纠纷,堆放杂物占用通道。," + str(VILLAGE) + ",,,2,甲某,,,,乙某,,,"
    upload = io.BytesIO((header + "\n" + line + "\n").encode())
    upload.name = "cases.csv"
    page = c.post("/import/", {"file": upload}).content.decode()
    assert "成功导入 <strong>1</strong> 件" in page
    assert c.get("/import/").status_code == 200
    assert logged_in(personas.village_mediator).get("/import/").status_code == 404


def test_more_parties_can_be_added_to_the_form(personas: Personas) -> None:
    c = logged_in(personas.village_mediator)
    fragment = c.get("/cases/new/party-row/", {"i": 2}).content.decode()
    assert 'name="parties-2-name"' in fragment and "当事人3" in fragment and "i=3" in fragment


def test_township_sees_what_was_escalated_and_village_sees_what_came_back(personas: Personas) -> None:
    from fengqiao.cases.choices import Tier

    up = register(personas.village_mediator, summary="上报的纠纷")
    actions.accept_dispute(up, actor=personas.village_mediator)
    actions.escalate_dispute(
        up, actor=personas.village_mediator, to_tier=Tier.TOWNSHIP, reason="涉及宅基地权属"
    )
    back = register(personas.village_mediator, summary="退回的纠纷")
    actions.accept_dispute(back, actor=personas.township_officer, tier=Tier.TOWNSHIP)
    actions.refer_back_dispute(back, actor=personas.township_officer, to_tier=Tier.VILLAGE, reason="事实简单")
    register(personas.village_mediator, summary="普通纠纷")
    township = logged_in(personas.township_officer).get("/", {"flow": "escalated"}).content.decode()
    assert "上报的纠纷" in township and "退回的纠纷" not in township and "普通纠纷" not in township
    village = logged_in(personas.village_mediator).get("/", {"flow": "returned"}).content.decode()
    assert "退回的纠纷" in village and "上报的纠纷" not in village


def test_choosing_another_county_empties_the_townships_villages(personas: Personas) -> None:
    c = logged_in(personas.citizen)
    r = c.get("/units/options/", {"county": str(COUNTY)}).content.decode()
    assert f'<option value="{TOWNSHIP}">' in r
    assert '<select id="sel-village" hx-swap-oob="innerHTML">' in r and "sel-township" not in r
    from_city = c.get("/units/options/", {"city": str(CITY)}).content.decode()
    assert f'<option value="{COUNTY}">' in from_city
    assert 'id="sel-township" hx-swap-oob' in from_city and 'id="sel-village" hx-swap-oob' in from_city
    assert "hx-swap-oob" not in c.get("/units/options/", {"township": str(TOWNSHIP)}).content.decode()
