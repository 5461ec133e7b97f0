"""Cases at the stages the documents need (the statute corpus in the database comes from the
root conftest), and a fake model server that speaks the OpenAI chat-completions protocol
over real HTTP."""

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from fengqiao.cases import actions
from fengqiao.cases.choices import AgreementForm
from fengqiao.cases.models import Dispute
from fengqiao.core import clock
from fengqiao.core.testing import Personas, make_id_number, register

APPLICANT_ID = make_id_number(seq=101)
APPLICANT_PHONE = "13812345678"
APPLICANT_ADDRESS = "大邑县王泗镇飞羊村三组12号"

NEIGHBOURS = {
    "summary": "修院墙堵塞排水沟致雨水倒灌",
    "narrative": (
        "申请人张三称，邻居李四修建院墙时把两家之间的排水沟堵死了，下雨时雨水倒灌进张三家中，"
        "损坏了家具和粮食。张三要求李四拆除堵塞物、疏通排水沟并赔偿损失，李四不同意，双方多次争吵。"
    ),
    "parties": [
        {
            "role": "applicant",
            "name": "张三",
            "id_number": APPLICANT_ID,
            "phone": APPLICANT_PHONE,
            "address": APPLICANT_ADDRESS,
            "gender": "male",
        },
        {"role": "respondent", "name": "李四", "id_number": make_id_number(seq=202), "phone": "13987654321"},
    ],
}


def mediate(p: Personas, d: Dispute) -> None:
    actor = p.village_mediator
    actions.accept_dispute(d, actor=actor)
    actions.assign_mediator(d, actor=actor, mediator=p.mediator)
    actions.record_session(
        d,
        actor=actor,
        held_at=clock.now() - dt.timedelta(hours=1),
        place="飞羊村村委会调解室",
        content="张三陈述雨水倒灌的损失；李四承认修墙时堵塞了排水沟，同意疏通。",
    )


def agree(p: Personas, d: Dispute, form: AgreementForm = AgreementForm.WRITTEN) -> Dispute:
    mediate(p, d)
    actions.reach_agreement(
        d,
        actor=p.village_mediator,
        form=form,
        facts="李四修建院墙时堵塞两家之间的排水沟，致张三家中被雨水倒灌受损。",
        responsibilities="李四对排水沟堵塞负主要责任。",
        terms="一、李四于七日内拆除堵塞物、疏通排水沟；\n二、李四赔偿张三财产损失人民币1500元。",
        performance_method="现金支付、现场疏通",
        performance_place="飞羊村村委会",
        performance_deadline=clock.today() + dt.timedelta(days=7),
    )
    d.refresh_from_db()
    return d


@pytest.fixture
def case(personas: Personas, corpus: None) -> Dispute:
    """A neighbours' dispute under mediation (accepted, one session)."""
    d = register(personas.village_mediator, **NEIGHBOURS)
    mediate(personas, d)
    d.refresh_from_db()
    return d


@pytest.fixture
def agreed(personas: Personas, corpus: None) -> Dispute:
    """A neighbours' dispute settled by a written agreement today."""
    return agree(personas, register(personas.village_mediator, **NEIGHBOURS))


@pytest.fixture
def failed(personas: Personas, corpus: None) -> Dispute:
    d = register(personas.village_mediator, **NEIGHBOURS)
    mediate(personas, d)
    actions.fail_mediation(
        d,
        actor=personas.village_mediator,
        advice="可向大邑县人民法院提起诉讼，或申请法律援助。",
        reason="李四拒绝赔偿损失",
    )
    d.refresh_from_db()
    return d


# ---------------------------------------------------------------- the fake model server


@dataclass
class FakeModel:
    """Answers chat completions with ``reply(request_json) -> (status, body)``; records requests."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    reply: Callable[[dict[str, Any]], tuple[int, Any]] = lambda body: (200, completion("好的。"))
    delay: float = 0.0

    def configure(self, monkeypatch: Any, *, timeout: int = 5) -> None:
        monkeypatch.setenv("FENGQIAO_LLM_BASE_URL", self.url)
        monkeypatch.setenv("FENGQIAO_LLM_MODEL", "qwen2.5-7b-instruct")
        monkeypatch.setenv("FENGQIAO_LLM_API_KEY", "test-key")
        monkeypatch.setenv("FENGQIAO_LLM_TIMEOUT", str(timeout))


def completion(text: str, model: str = "qwen2.5-7b-instruct") -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


@pytest.fixture
def fake_model() -> Iterator[FakeModel]:
    state: dict[str, FakeModel] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            model = state["model"]
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            model.requests.append(body)
            model.headers.append({k.lower(): v for k, v in self.headers.items()})
            if self.path != "/v1/chat/completions":
                status, payload = 404, {"error": {"message": "not found"}}
            else:
                status, payload = model.reply(body)
            if model.delay:
                threading.Event().wait(model.delay)
            raw = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["model"] = FakeModel(url=f"http://127.0.0.1:{server.server_address[1]}/v1")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["model"]
    finally:
        server.shutdown()
        server.server_close()
