"""Related-dispute detection (一揽子调处) for a new dispute against N existing ones.

Data: N disputes (bench_queries.populate) with two parties each — applicants with ID
numbers and phones (some people appear in several disputes), respondents drawn from a
mix of neighbours (individuals, mostly distinct) and 20,000 organisations whose claims
follow a Zipf law (a large employer faces hundreds of claims). Target (issue 4): ≤ 50 ms.
"""

import gc
import itertools
import random
import statistics
import sys
import time

from common import analyze, machine, query_times, scratch_environment

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def main() -> None:
    vendor = scratch_environment("related")
    import bench_queries
    from django.db import transaction

    from fengqiao.accounts.choices import Role
    from fengqiao.accounts.models import User
    from fengqiao.cases import related
    from fengqiao.cases.models import Dispute, Party
    from fengqiao.core.bulk import insert_rows
    from fengqiao.core.identity import id_check_char

    started = time.perf_counter()
    bench_queries.populate(N, open_share=0.1)
    r = random.Random(9)
    people = max(1, N // 2)  # so that people recur across disputes
    firms = [
        f"成都{r.choice('宏发恒达鑫源华川蜀丰')}{r.choice('建筑劳务物业置业商贸')}有限公司{i}"
        for i in range(20_000)
    ]
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(firms))))
    ids = list(Dispute.objects.values_list("id", "admin_unit_id"))
    for base in range(0, len(ids), 50_000):
        rows = []
        for pk, unit in ids[base : base + 50_000]:
            person = r.randrange(people)
            first17 = f"{str(unit)[:6]}19{60 + person % 40:02d}0101{person % 1000:03d}"
            rows.append(
                {
                    "dispute_id": pk,
                    "role": "applicant",
                    "kind": "person",
                    "name": f"居民{person}",
                    "id_number": first17 + id_check_char(first17),
                    "phone": f"138{person:08d}",
                }
            )
            if r.random() < 0.2:
                firm = r.choices(firms, cum_weights=cumulative)[0]
                rows.append({"dispute_id": pk, "role": "respondent", "kind": "organisation", "name": firm})
            else:
                rows.append(
                    {
                        "dispute_id": pk,
                        "role": "respondent",
                        "kind": "person",
                        "name": f"邻居{r.randrange(N)}",
                    }
                )
        with transaction.atomic():
            insert_rows(Party, rows)
    analyze()
    print(f"machine: {machine()}")
    print(
        f"database: {vendor}; {N:,} disputes, {2 * N:,} parties loaded in {time.perf_counter() - started:.0f} s"
    )

    officer = User.objects.create(
        username="bench-county", role=Role.COUNTY_OFFICER, admin_unit_id=510129000000
    )
    sample = [Dispute.objects.get(pk=pk) for pk, _ in r.sample(ids, 200)]
    # The loader's millions of tuples are not part of a server's heap: without this the
    # garbage collector's full passes over them land inside the timed calls.
    del ids, rows
    gc.collect()
    gc.freeze()
    times, found, slowest = [], [], []
    for d in sample:
        officer.admin_unit_id = d.admin_unit_id // 10**6 * 10**6  # the county of the dispute
        t = time.perf_counter()
        with query_times() as queries:
            found.append(len(related.related_to(officer, d)))
        times.append((time.perf_counter() - t) * 1000)
        slowest.append((times[-1], sorted(queries, reverse=True)))
    times.sort()
    slowest.sort(reverse=True)
    for total, spent in slowest[:3]:  # where the slowest calls spend their time
        print(
            f"  a slow call: {total:.1f} ms, {len(spent)} queries taking {sum(ms for ms, _ in spent):.1f} ms:"
        )
        for ms, sql in spent[:3]:
            print(f"    {ms:.1f} ms: {sql[:100]} … {sql[-300:]}")
    print(
        f"related disputes for one dispute: median {statistics.median(times):.1f} ms, p95 {times[189]:.1f} ms, "
        f"max {times[-1]:.1f} ms (target ≤ 50 ms); {statistics.mean(found):.1f} candidates on average"
    )


if __name__ == "__main__":
    main()
