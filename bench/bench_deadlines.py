"""The deadline engine at scale: a sweep over 1,000,000 open deadlines, and the cost of a
case page's countdown.

Data: N open disputes (bench_queries.populate) each with one open mediation term, last
days spread over the past month and the coming two. The state is that of a daily sweep
in steady running: terms whose reminder day or last day passed before today were
handled by earlier sweeps, so today's sweep finds the ~1/90 entering their reminder
window today and the ~1/90 whose last day was yesterday. Targets (issue 4): sweep ≤ 5 s; a
countdown adds ≤ 5 ms to a case page.
"""

import datetime as dt
import random
import statistics
import sys
import time

from common import analyze, machine, scratch_environment

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def main() -> None:
    vendor = scratch_environment("deadlines")
    import bench_queries
    from django.db import transaction

    from fengqiao.cases.models import Dispute
    from fengqiao.core import clock
    from fengqiao.core.bulk import insert_rows
    from fengqiao.deadlines import queries
    from fengqiao.deadlines.jobs import sweep
    from fengqiao.deadlines.models import Deadline

    started = time.perf_counter()
    bench_queries.populate(N, open_share=1.0)  # every deadline belongs to an open dispute
    today = clock.today()
    r = random.Random(5)
    ids = list(Dispute.objects.values_list("id", "admin_unit_id"))
    for base in range(0, len(ids), 50_000):
        rows = []
        for pk, unit in ids[base : base + 50_000]:
            due = today + dt.timedelta(days=r.randint(-30, 60))
            remind = due - dt.timedelta(days=5)
            earlier = clock.now() - dt.timedelta(days=1)
            rows.append(
                {
                    "rule": "mediation",
                    "dispute_id": pk,
                    "admin_unit_id": unit,
                    "started_on": due - dt.timedelta(days=30),
                    "due_on": due,
                    "remind_on": remind,
                    "reminded_at": earlier if remind < today else None,
                    "expired_at": earlier if due < today - dt.timedelta(days=1) else None,
                    "status": "open",
                }
            )
        with transaction.atomic():
            insert_rows(Deadline, rows)
    analyze()
    print(f"machine: {machine()}")
    print(
        f"database: {vendor}; {N:,} disputes and {N:,} open deadlines loaded in {time.perf_counter() - started:.0f} s"
    )

    runs = []
    for _ in range(3):
        t = time.perf_counter()
        while done := sweep():
            runs.append(done)
        runs.append(0)
        elapsed = time.perf_counter() - t
        print(
            f"sweep: {sum(runs):,} deadlines acted on (reminders and expiries) in {elapsed:.2f} s (target ≤ 5 s)"
        )
        runs.clear()
    sample = [Dispute.objects.get(pk=pk) for pk, _ in r.sample(ids, 200)]
    times = []
    for d in sample:
        t = time.perf_counter()
        queries.countdowns(d, today)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"case-page countdown: median {statistics.median(times):.2f} ms, p99 {times[197]:.2f} ms (target ≤ 5 ms)"
    )


if __name__ == "__main__":
    main()
