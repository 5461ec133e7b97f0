"""Durability: commits survive a crash (等保 数据完整性; 网络安全法 Art. 21).

- the databases are configured to make every acknowledged commit durable: SQLite in WAL
  mode with synchronous=FULL, PostgreSQL with fsync and synchronous_commit on;
- a crash test: the real server (gunicorn) takes concurrent registrations and is killed
  with SIGKILL 50 times — the worker processes doing the writes, mid-write, and twice
  the whole server (master and workers; a restart costs seconds); afterwards every registration it acknowledged is in the
  database and the audit chain is intact; the nightly rebuild of the rollups, run by
  its pool of processes, then counts every registration.
"""

import functools
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
KILLS = int(os.environ.get("FENGQIAO_CRASH_KILLS", "50"))


def test_sqlite_commits_are_durable(tmp_path: Path) -> None:
    """The embedded database's connection options, as the server uses them, on a file."""
    import sqlite3

    db = sqlite3.connect(tmp_path / "d.sqlite3")
    db.executescript(str(settings.SQLITE_OPTIONS["init_command"]))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db.close()
    if connection.vendor == "sqlite":
        assert (
            settings.DATABASES["default"]["OPTIONS"]["init_command"]
            == settings.SQLITE_OPTIONS["init_command"]
        )


@pytest.mark.django_db
def test_the_database_in_use_commits_durably() -> None:
    """Whichever database the suite runs on (CI runs it on both) is set up durably."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SHOW fsync")
            assert c.fetchone()[0] == "on"
            c.execute("SHOW synchronous_commit")
            assert c.fetchone()[0] == "on"
        else:
            c.execute("PRAGMA synchronous")
            assert c.fetchone()[0] == 2  # FULL (the test database lives in memory: no WAL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the gunicorn workers)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise AssertionError("server did not start")


def _wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def _grown(items: list[str], size: int) -> bool:
    return len(items) > size


def _run(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/fengqiao"), *args], env=env, capture_output=True, timeout=600, check=True
    )
    return out.stdout.decode()


def test_acknowledged_registrations_survive_fifty_sigkills(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FENGQIAO_VAR_DIR": str(tmp_path),
        "API_RATE_USER": "100000/m",
        "FENGQIAO_DEMO_ON_EMPTY": "0",
    }
    env["FENGQIAO_MODEL_DIR"] = str(ROOT / "var" / "models")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]  # the CI's own database beside the test one
    else:
        env.pop("DATABASE_URL", None)
    _run(env, "migrate", "-v", "0")
    _run(env, "geo", "load")
    key = (
        _run(
            env,
            "shell",
            "-c",
            "from fengqiao.core.testing import make_personas;"
            "from fengqiao.accounts.models import User;"
            "from fengqiao.accounts.actions import issue_api_token;"
            "u = User.objects.filter(username='cun_tiaojie').first() or make_personas().village_mediator;"
            "print(issue_api_token(u, name='crash'))",
        )
        .strip()
        .splitlines()[-1]
    )
    port = [0]  # a fresh port for each server: no waiting for the old socket to close
    acknowledged: list[str] = []
    refused: Counter[str] = Counter()  # answers other than 201 (a crash gives no answer)
    stop = threading.Event()
    lock = threading.Lock()

    def writer(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            ext = f"crash-{n}-{i}"
            body = json.dumps(
                {
                    "channel": "walk_in",
                    "dispute_type": "neighbour",
                    "summary": "崩溃测试纠纷",
                    "narrative": "用于验证服务器被强制终止后已确认的写入不丢失。",
                    "admin_unit": 510129101203,
                    "external_id": ext,
                    "parties": [{"role": "applicant", "name": "测试人"}],
                }
            ).encode()
            req = urllib.request.Request(
                f"http://127.0.0.1:{port[0]}/api/v1/cases",
                data=body,
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
            )
            try:
                with urllib.request.urlopen(req, timeout=5) as r:
                    if r.status == 201:
                        with lock:
                            acknowledged.append(ext)
            except urllib.error.HTTPError as e:
                with lock:
                    refused[f"{e.code} {e.read()[:200].decode(errors='replace')}"] += 1
                time.sleep(0.05)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    r = random.Random(7)
    boot: list[float] = []
    server: subprocess.Popen[bytes] | None = None

    def start() -> subprocess.Popen[bytes]:
        port[0] = _free_port()
        proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "fengqiao.wsgi",
                "--bind",
                f"127.0.0.1:{port[0]}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--config",
                "python:fengqiao.gunicorn_conf",  # as scripts/serve: app and models preloaded
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        began = time.monotonic()
        _wait_until_up(port[0])
        boot.append(time.monotonic() - began)
        return proc

    acked_before = 0
    try:
        for kill in range(KILLS):
            if server is None:
                server = start()
            # Let writes get through again before the next crash, so that kills land
            # mid-write rather than during start-up.
            _wait_for(functools.partial(_grown, acknowledged, acked_before), timeout=60)
            acked_before = len(acknowledged)
            time.sleep(r.uniform(0.1, 0.6))  # writes in flight
            if kill % 25 == 24:
                os.killpg(server.pid, signal.SIGKILL)  # the whole server: master and workers
                server.wait()
                server = None
            else:
                for pid in _children(server.pid):  # the processes doing the writes, mid-write
                    os.kill(pid, signal.SIGKILL)
                _wait_until_up(port[0])  # the master forks new workers from the preloaded app
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    print("boot times", [round(b, 1) for b in boot], "acknowledged", len(acknowledged))
    assert len(acknowledged) > KILLS, (boot, refused.most_common(3))  # writes got through between crashes
    found = (
        _run(
            env,
            "shell",
            "-c",
            "import sys, json; from fengqiao.cases.models import Dispute;"
            f"wanted = {json.dumps(acknowledged)};"
            "have = set(Dispute.objects.filter(external_id__in=wanted).values_list('external_id', flat=True));"
            "print(json.dumps(sorted(set(wanted) - have)))",
        )
        .strip()
        .splitlines()[-1]
    )
    assert json.loads(found) == [], "acknowledged registrations lost after SIGKILL"
    assert "审计日志完整" in _run(env, "audit", "verify")
    # The nightly rebuild over what survived, by its pool of processes reading in the
    # command's snapshot (the only test with a database other processes can open).
    stored = _run(
        env, "shell", "-c", "from fengqiao.cases.models import Dispute; print(Dispute.objects.count())"
    )
    rebuilt = _run({**env, "FENGQIAO_REBUILD_WORKERS": "2"}, "analytics", "rebuild")
    assert f"纠纷 {int(stored.split()[-1]):,} 件" in rebuilt, rebuilt
