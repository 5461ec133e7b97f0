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


JOBS: list[tuple[str, Callable[[], int]]] = [("triage", _triage), ("deadlines", _deadlines)]
