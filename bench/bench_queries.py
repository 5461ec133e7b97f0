"""List and count latency with 1,000,000 disputes in the database.

- a township officer's first page of open disputes, filters applied, through the real
  web view (server time: routing, scoping, query, template), and the queries it runs;
- a county's count by status and type (the query behind the county overview).
Targets (issue 2): list ≤ 150 ms with a bounded number of queries; count ≤ 300 ms.
"""

import datetime as dt
import sys
import time

from common import TYPES, WEIGHTS, analyze, machine, rng, scratch_environment, summary, timed

CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
SAMPLES = 40


def populate(n: int, open_share: float = 0.03) -> None:
    from django.db import transaction
    from django.utils import timezone

    from fengqiao.cases.choices import Channel, Outcome, Status, Tier
    from fengqiao.cases.models import Dispute
    from fengqiao.core.bulk import insert_rows
    from fengqiao.geography.choices import OrgKind
    from fengqiao.geography.models import Organisation

    r = rng(11)
    committees = dict(
        Organisation.objects.filter(kind=OrgKind.MEDIATION_COMMITTEE).values_list("admin_unit_id", "id")
    )
    villages = [c for c in committees if c % 1000]
    start = timezone.now() - dt.timedelta(days=3650)
    open_statuses = [Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.AGREED, Status.FAILED]
    channels = [c.value for c in Channel]
    batch = 20_000
    for base in range(0, n, batch):
        rows = []
        for i in range(base, min(n, base + batch)):
            v = r.choice(villages)
            received = start + dt.timedelta(seconds=int(3650 * 86400 * i / n))
            is_open = i > n * (1 - open_share) or r.random() < 0.01
            status = r.choice(open_statuses) if is_open else Status.CLOSED
            rows.append(
                {
                    "received_at": received,
                    "channel": r.choice(channels),
                    "dispute_type": r.choices(TYPES, WEIGHTS)[0],
                    "summary": f"纠纷{i}",
                    "narrative": "双方因琐事发生争执。",
                    "admin_unit_id": v,
                    "status": status,
                    "outcome": "" if is_open else Outcome.RESOLVED,
                    "tier": Tier.VILLAGE,
                    "handling_org_id": committees[v],
                    "people_involved": 2,
                    "updated_at": received,
                }
            )
        with transaction.atomic():
            insert_rows(Dispute, rows)

    analyze()


def main() -> None:
    vendor = scratch_environment("queries")
    t = time.perf_counter()
    populate(CASES)
    print(f"machine: {machine()}")
    print(f"database: {vendor}; {CASES:,} disputes loaded in {time.perf_counter() - t:.0f} s")

    from django.db import connection
    from django.test import Client

    from fengqiao.accounts.choices import Role
    from fengqiao.accounts.models import User
    from fengqiao.cases import queries
    from fengqiao.core.testing import sign_in
    from fengqiao.geography.models import AdminUnit

    r = rng(3)
    townships = r.sample(list(AdminUnit.objects.filter(level=4).values_list("code", flat=True)), SAMPLES)
    counties = r.sample(list(AdminUnit.objects.filter(level=3).values_list("code", flat=True)), SAMPLES)
    officers = {
        c: User.objects.create(username=f"t{c}", role=Role.TOWNSHIP_OFFICER, admin_unit_id=c)
        for c in townships
    }
    county_officers = {
        c: User.objects.create(username=f"c{c}", role=Role.COUNTY_OFFICER, admin_unit_id=c) for c in counties
    }
    clients = {code: Client() for code in townships}  # each officer signed in once, outside the timing
    for code, client in clients.items():
        sign_in(client, officers[code])

    def township_list(code: int) -> None:
        resp = clients[code].get("/", {"dispute_type": "neighbour"})
        assert resp.status_code == 200

    def township_list_unfiltered(code: int) -> None:
        assert clients[code].get("/").status_code == 200

    def county_counts(code: int) -> None:
        queries.counts_by_status_and_type(county_officers[code])

    township_list(townships[0])  # warm caches, templates
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        township_list(townships[1])
    print(
        f"township open list (web view, type filter): {summary(timed(township_list, townships))}; "
        f"{len(executed)} queries per page incl. session and user (target ≤ 150 ms)"
    )
    print(
        f"township open list (web view, no filter):   {summary(timed(township_list_unfiltered, townships))}"
    )
    print(
        f"county count by status × type:              {summary(timed(county_counts, counties))} (target ≤ 300 ms)"
    )


if __name__ == "__main__":
    main()
