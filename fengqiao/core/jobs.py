"""The background jobs ``fengqiao worker`` runs. Each takes one bounded step of work from
durable rows and returns how much it did (0 when there is nothing to do), so the worker
can loop without a separate queue service."""

from collections.abc import Callable


def _triage() -> int:
    from fengqiao.triage.jobs import triage_backlog

    return triage_backlog()


def _deadlines() -> int:
    from fengqiao.deadlines.jobs import sweep

    return sweep()


def _warning() -> int:
    from fengqiao.warning.jobs import step

    return step()


def _warning_nightly() -> int:
    from fengqiao.warning.jobs import nightly_step

    return nightly_step()


def _analytics() -> int:
    from fengqiao.analytics.jobs import rollup_step

    return rollup_step()


def _analytics_nightly() -> int:
    from fengqiao.analytics.jobs import monthly_reports, nightly_rebuild

    return nightly_rebuild() + monthly_reports()


def _retention() -> int:
    from fengqiao.cases.jobs import retention_step

    return retention_step()


JOBS: list[tuple[str, Callable[[], int]]] = [
    ("triage", _triage),
    ("deadlines", _deadlines),
    ("warning", _warning),
    ("warning_nightly", _warning_nightly),
    ("analytics", _analytics),
    ("analytics_nightly", _analytics_nightly),
    ("retention", _retention),
]
