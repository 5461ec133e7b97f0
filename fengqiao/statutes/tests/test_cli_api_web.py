"""The command-line contract, the JSON API and the web pages."""

import io
import json
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from fengqiao.core.testing import Personas, sign_in
from fengqiao.statutes import queries
from fengqiao.statutes.choices import Status
from fengqiao.statutes.models import Article, Law


def run(capsys: Any, monkeypatch: Any, stdin: str, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("statutes", *args)
    return str(capsys.readouterr().out)


def test_search_reads_json_lines_and_answers_each_in_order(capsys: Any, monkeypatch: Any) -> None:
    lines = [
        {"id": 7, "text": "民法典第1079条"},
        {"id": "b", "text": "老板拖欠工资不发"},
        {"id": None, "text": ""},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n"
    out = [json.loads(line) for line in run(capsys, monkeypatch, stdin, "search", "--top", "3").splitlines()]
    assert [o["id"] for o in out] == [7, "b", None, None]
    assert out[0]["hits"][0] == {
        "law": "中华人民共和国民法典",
        "article": 1079,
        "score": out[0]["hits"][0]["score"],
    }
    assert set(out[1]["hits"][0]) == {"law", "article", "score"} and len(out[1]["hits"]) == 3
    assert all(isinstance(h["article"], int) and isinstance(h["score"], float) for h in out[1]["hits"])
    assert out[1]["hits"][0]["law"].startswith("中华人民共和国")
    assert out[2]["hits"] == [] and "error" in out[3]


def test_check_prints_each_citation_with_its_verdict(capsys: Any, monkeypatch: Any) -> None:
    text = "依照《民法典》第1079条、《婚姻法》第三十二条和《民法典》第1300条。"
    human = run(capsys, monkeypatch, text, "check")
    assert "《民法典》第一千零七十九条：核对无误" in human
    assert "《婚姻法》第三十二条：已失效" in human and "建议改引：《民法典》第一千零七十九条" in human
    assert "条文不存在" in human and "共 3 处引用，2 处有问题" in human
    rows = [json.loads(line) for line in run(capsys, monkeypatch, text, "check", "--json").splitlines()]
    assert [r["verdict"] for r in rows] == ["ok", "not_in_force", "no_such_article"]


@pytest.fixture
def client(personas: Personas, corpus: None) -> Client:
    c = Client()
    sign_in(c, personas.citizen)
    return c


def test_api_search_browse_and_check(client: Client) -> None:
    r = client.get("/api/v1/statutes/search", {"q": "我老公跟别的女人同居好几年了，我要离婚", "top": "5"})
    assert r.status_code == 200, r.content
    hits = r.json()["hits"]
    divorce = next(h for h in hits if h["article"] == 1079)
    assert divorce["id"] == Article.objects.get(law__short_name="民法典", number=1079).id
    assert divorce["spans"] and divorce["reasons"] and divorce["status_label"] == "现行有效"

    laws = client.get("/api/v1/statutes/laws", {"status": "repealed"}).json()
    assert laws and all(x["status"] == "repealed" for x in laws)
    code = Law.objects.get(name="中华人民共和国民法典")
    detail = client.get(f"/api/v1/statutes/laws/{code.id}").json()
    articles = [a for ch in detail["chapters"] for s in ch["sections"] for a in s["articles"]]
    assert len(articles) == 1260 and detail["chapters"][0]["title"] == "第一章 基本规定"
    one = client.get(f"/api/v1/statutes/articles/{divorce['id']}").json()
    assert one["number_text"] == "第一千零七十九条" and one["law"]["short_name"] == "民法典"
    assert "男人出去打工三年没回过屋，也不联系，媳妇想离婚" in one["situations"]
    assert client.get("/api/v1/statutes/articles/999999999").status_code == 404

    checked = client.post(
        "/api/v1/statutes/check",
        data=json.dumps({"text": "根据《婚姻法》第三十二条"}),
        content_type="application/json",
    ).json()
    assert checked["problems"] == 1 and checked["citations"][0]["suggestion"]["article"] == 1079
    assert checked["citations"][0]["suggestion"]["id"] == divorce["id"]


def test_api_needs_a_signed_in_user() -> None:
    assert Client().get("/api/v1/statutes/search", {"q": "离婚"}).status_code == 401


def test_statute_pages_search_browse_and_check(client: Client) -> None:
    home = client.get("/statutes/", {"q": "楼上扔下来的花盆砸坏了我的车"}).content.decode()
    assert "法律法规" in home and "<mark>" in home and "第一千二百五十四条" in home and "民法商法" in home
    live = client.get("/statutes/search/", {"q": "民法典第1079条"}, HTTP_HX_REQUEST="true").content.decode()
    assert "第一千零七十九条" in live and "<html" not in live
    code = Law.objects.get(name="中华人民共和国民法典")
    law_page = client.get(f"/statutes/laws/{code.id}/").content.decode()
    assert "第四章 离婚" in law_page and "现行有效" in law_page
    a = Article.objects.get(law=code, number=1079)
    page = client.get(f"/statutes/articles/{a.id}/").content.decode()
    assert "感情确已破裂" in page and "第一千零七十八条" in page and "第一千零八十条" in page
    assert "常见情形" in page and "男人出去打工三年没回过屋" in page  # the team's lay situations
    superseded = Article(law=code, number=1079, sub=0, status=Status.HISTORICAL)  # never shown as law
    assert queries.situations(a) and not queries.situations(superseded)
    checked = client.post("/statutes/check/", {"text": "依据《婚姻法》第三十二条"}).content.decode()
    assert "已失效" in checked and "建议" in checked and "第一千零七十九条" in checked
    assert Client().get("/statutes/").status_code == 302
