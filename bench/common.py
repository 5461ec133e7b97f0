"""Shared helpers for the benchmarks: a scratch database, machine facts, synthetic rows."""

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scratch_environment(tag: str) -> str:
    """Point Django at a fresh database: a temp SQLite file, or DATABASE_URL when set
    (the caller then owns that PostgreSQL database and it is reset).

    ``FENGQIAO_BENCH_KEEP=DIR`` keeps the database instead (SQLite under DIR; the
    PostgreSQL one is not reset): a benchmark that finds its data loaded by an earlier
    run of itself measures again without loading (``reused``)."""
    keep = os.environ.get("FENGQIAO_BENCH_KEEP")
    if not os.environ.get("DATABASE_URL"):
        var = keep or tempfile.mkdtemp(prefix=f"fengqiao-bench-{tag}-")
        os.makedirs(var, exist_ok=True)
        os.environ["FENGQIAO_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL") and not keep:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    from fengqiao.geography.actions import load_divisions

    load_divisions()
    from django.db import connection

    return connection.vendor


def reused() -> bool:
    """Whether the data was loaded by an earlier run (``FENGQIAO_BENCH_KEEP``)."""
    from fengqiao.cases.models import Dispute

    return bool(os.environ.get("FENGQIAO_BENCH_KEEP")) and Dispute.objects.exists()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def village_codes() -> list[int]:
    from fengqiao.geography.choices import Level
    from fengqiao.geography.models import AdminUnit

    return list(AdminUnit.objects.filter(level=Level.VILLAGE).values_list("code", flat=True))


TYPES = [
    "marriage_family",
    "neighbour",
    "housing_homestead",
    "contract",
    "damages",
    "labour",
    "forest_land",
    "traffic",
    "property_management",
    "consumer",
    "production_operation",
    "other",
]
WEIGHTS = [20, 22, 12, 8, 8, 7, 6, 5, 4, 3, 3, 2]


def rng(seed: int = 7) -> random.Random:
    return random.Random(seed)


def timed(fn: Callable[[Any], Any], samples: list[Any]) -> list[float]:
    """Milliseconds of ``fn(sample)`` for each sample."""
    out = []
    for arg in samples:
        t = time.perf_counter()
        fn(arg)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def analyze() -> None:
    """Bring the freshly loaded tables to the state a live database is kept in: planner
    statistics, and on PostgreSQL the visibility map autovacuum maintains (without it an
    index-only scan still reads the table)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


@contextmanager
def query_times() -> Iterator[list[tuple[float, str]]]:
    """Every query run inside the block, as (milliseconds, SQL). The time is the
    execution's; SQLite hands rows over later, as they are fetched, outside it."""
    from django.db import connection

    spent: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed):
        yield spent
