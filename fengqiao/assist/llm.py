"""Optional large language model: any OpenAI-compatible chat-completions endpoint.

Nothing requires it. It is configured by the environment — ``FENGQIAO_LLM_BASE_URL`` (e.g.
``http://127.0.0.1:11434/v1`` for Ollama, ``http://gpu-host:8000/v1`` for vLLM serving a
Qwen model), ``FENGQIAO_LLM_MODEL``, optionally ``FENGQIAO_LLM_API_KEY``,
``FENGQIAO_LLM_TIMEOUT`` (seconds, default 30) and ``FENGQIAO_LLM_MAX_TOKENS`` (default
800). With no base URL or model, ``config()`` is None and every feature answers
extractively (``answers``). The client is plain ``urllib`` with a total deadline — no SDK —
and goes to the configured host directly, never through an environment proxy: case data
must not take a route nobody chose.

Personal data (个人信息保护法 Arts. 6 and 28: no more than the purpose needs; identity
numbers are sensitive): a prompt carries only what the task needs, and ``mask()`` is
applied to every text before it leaves the process — resident ID numbers, mobile and
landline numbers, bank-card numbers and e-mail addresses become placeholders; the
callers also replace the parties' names by their roles and leave addresses out. Prompts
and replies are never logged; the audit entry records the feature, the model, a hash of
the prompt and the citation corrections (``actions.record_generation``).
"""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from fengqiao.core.env import envint, envstr

MAX_REPLY_BYTES = 1_000_000
_THINK = re.compile(r"<think>.*?</think>", re.S)  # reasoning models (Qwen3, DeepSeek-R1) show their work
_ID = re.compile(
    r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_OLD_ID = re.compile(r"(?<!\d)\d{15}(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class LlmError(Exception):
    """The model could not answer (unreachable, timed out, refused, or answered nonsense)."""


@dataclass(frozen=True)
class Config:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 30.0
    max_tokens: int = 800


@dataclass(frozen=True)
class Reply:
    text: str
    model: str  # as the server names it (falls back to the configured name)


def config() -> Config | None:
    """The configured endpoint, or None when no model is configured."""
    base, model = envstr("FENGQIAO_LLM_BASE_URL").strip(), envstr("FENGQIAO_LLM_MODEL").strip()
    if not base or not model:
        return None
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        return None
    return Config(
        base_url=base,
        model=model,
        api_key=envstr("FENGQIAO_LLM_API_KEY"),
        timeout=float(envint("FENGQIAO_LLM_TIMEOUT", 30)),
        max_tokens=envint("FENGQIAO_LLM_MAX_TOKENS", 800),
    )


def mask(text: str) -> str:
    """Replace identifiers that a prompt never needs by placeholders."""
    text = _ID.sub("〔身份证号〕", text)
    text = _MOBILE.sub("〔电话〕", text)
    text = _CARD.sub("〔卡号〕", text)
    text = _OLD_ID.sub("〔身份证号〕", text)
    text = _LANDLINE.sub("〔电话〕", text)
    return _EMAIL.sub("〔邮箱〕", text)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def chat(messages: list[dict[str, str]], cfg: Config, *, temperature: float = 0.2) -> Reply:
    """One chat completion. Raises ``LlmError`` on any failure, within ``cfg.timeout`` in total."""
    url = cfg.base_url.rstrip("/") + "/chat/completions"
    body = json.dumps(
        {
            "model": cfg.model,
            "messages": messages,
            "temperature": temperature,
            "max_tokens": cfg.max_tokens,
            "stream": False,
        },
        ensure_ascii=False,
    ).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if cfg.api_key:
        headers["Authorization"] = f"Bearer {cfg.api_key}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    deadline = time.monotonic() + cfg.timeout
    try:
        with _opener().open(request, timeout=cfg.timeout) as response:
            raw = _read(response, deadline)
    except urllib.error.HTTPError as e:
        raise LlmError(f"模型服务返回错误（HTTP {e.code}）") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise LlmError(f"模型服务无法连接或超时（{type(e).__name__}）") from None
    return _parse(raw, cfg)


def _read(response: Any, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("total deadline")
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise LlmError("模型服务的回答过长")
        chunks.append(chunk)


def _parse(raw: bytes, cfg: Config) -> Reply:
    try:
        data = json.loads(raw)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmError("模型服务的回答格式无法识别") from None
    if not isinstance(content, str):
        raise LlmError("模型服务的回答格式无法识别")
    text = _THINK.sub("", content).strip()
    if not text:
        raise LlmError("模型服务的回答为空")
    model = data.get("model") if isinstance(data.get("model"), str) else ""
    return Reply(text, model or cfg.model)
