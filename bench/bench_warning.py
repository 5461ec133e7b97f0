"""Early-warning signals (issue 6) with N cases in the database.

- per-case signal latency: the warning job's step for one new fact — a registration
  (entity resolution, repeat, mass, narrative escalation, hotspot count and test) or a
  session record (escalation language) — p50/p95 over 200 of each. Target ≤ 50 ms.
- the nightly recomputation: entity links for every party re-derived from scratch,
  hotspot counts for thirteen weeks recounted, every hotspot cell tested. Target
  ≤ 10 minutes for 5,000,000 cases.

Data: N disputes over ten years (``bench_queries.populate``), each with an applicant
and a respondent. People recur (a sixth of parties are someone already on record in
the same village, as repeat disputes are), 30% of appearances lack the ID number, 5%
carry a homophone in the name and 3% two swapped digits in the phone; a fifth of
respondents are firms whose claims follow a Zipf law. Parties are written encrypted
(core.crypto), and their warning keys (``warning.PartyKey``) built in bulk.

Usage: ``python bench/bench_warning.py [N]`` (default 1,000,000); ``DATABASE_URL`` for
PostgreSQL.
"""

import datetime as dt
import itertools
import random
import statistics
import sys
import time

from common import analyze, machine, scratch_environment

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
SAMPLES = 200


def _pct(ms: list[float], q: float) -> float:
    ms = sorted(ms)
    return ms[min(len(ms) - 1, int(len(ms) * q))]


def summary(ms: list[float]) -> str:
    return f"p50 {statistics.median(ms):.1f} ms, p95 {_pct(ms, 0.95):.1f} ms, max {max(ms):.1f} ms"


def populate_parties(n: int) -> tuple[int, float]:
    """Two parties per dispute and their warning keys; returns (parties, seconds)."""
    from django.db import transaction

    from fengqiao.cases.models import Dispute, Party
    from fengqiao.core.bulk import insert_rows
    from fengqiao.demo import people
    from fengqiao.warning import resolution
    from fengqiao.warning.models import PartyKey
    from fengqiao.warning.simulator import _homophone, _swap_digits

    started = time.perf_counter()
    r = random.Random(5)
    firms = [
        f"{r.choice('眉山成都乐山')}{r.choice(people.BRANDS)}{r.choice(['建筑劳务', '物业管理', '商贸'])}有限公司"
        for _ in range(20_000)
    ]
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(firms))))
    seen: dict[int, list[tuple[str, str, str]]] = {}  # village → people on record there
    total = 0
    last = 0
    while True:
        rows = list(
            Dispute.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "admin_unit_id", "received_at")[:50_000]
        )
        if not rows:
            break
        last = rows[-1][0]
        parties, keys = [], []
        for pk, unit, _received in rows:
            here = seen.setdefault(unit, [])
            for role in ("applicant", "respondent"):
                if role == "respondent" and r.random() < 0.2:
                    name = r.choices(firms, cum_weights=cumulative)[0]
                    party = {"role": role, "kind": "organisation", "name": name, "phone": "", "id_number": ""}
                else:
                    if here and r.random() < 1 / 6:
                        name, id_number, phone = r.choice(here)
                    else:
                        male = r.random() < 0.55
                        name = people.han_name(r, male)
                        born = dt.date(1950 + r.randrange(50), 1 + r.randrange(12), 1 + r.randrange(28))
                        id_number = people.resident_id(r, str(unit)[:6], born, male)
                        phone = people.mobile(r)
                        here.append((name, id_number, phone))
                    if r.random() < 0.05:
                        name = _homophone(name)
                    if r.random() < 0.03:
                        phone = _swap_digits(phone, r)
                    party = {
                        "role": role,
                        "kind": "person",
                        "name": name,
                        "id_number": "" if r.random() < 0.3 else id_number,
                        "phone": phone,
                    }
                party["dispute_id"] = pk
                parties.append(party)
        with transaction.atomic():
            insert_rows(Party, parties)
            ref = {pk: resolution.DisputeRef(pk, unit, received) for pk, unit, received in rows}
            keys = [resolution.key_row(p, ref[p["dispute_id"]], p["id"]) for p in parties]
            insert_rows(PartyKey, keys)
        total += len(parties)
        print(f"  parties {total:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    analyze()
    return total, time.perf_counter() - started


def main() -> None:
    vendor = scratch_environment("warning")
    import bench_queries

    t = time.perf_counter()
    bench_queries.populate(N, open_share=0.05)
    disputes_s = time.perf_counter() - t
    parties, parties_s = populate_parties(N)
    print(f"machine: {machine()}")
    print(
        f"database: {vendor}; {N:,} disputes ({disputes_s:.0f} s), {parties:,} parties with warning keys "
        f"({parties_s:.0f} s)"
    )

    from django.db import transaction

    from fengqiao.accounts.choices import Role
    from fengqiao.accounts.models import User
    from fengqiao.cases import actions
    from fengqiao.cases.choices import Status
    from fengqiao.cases.models import Dispute, Party
    from fengqiao.cases.schemas import DisputeIn
    from fengqiao.core import clock
    from fengqiao.warning import jobs
    from fengqiao.warning.models import PartyKey

    # The nightly recomputation first: it also gives the per-case path linked persons.
    t, cpu = time.perf_counter(), time.process_time()
    figures = jobs.nightly()
    nightly_s, nightly_cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"nightly recomputation: {nightly_s:.0f} s wall, {nightly_cpu:.0f} s CPU of this process, "
        f"for {N:,} cases / {figures['parties']:,} parties "
        f"(target ≤ 600 s for 5,000,000) — relink {figures['relink_seconds']} s {figures['relink_phases']}, "
        f"{figures['groups']:,} candidate groups, {figures['pairs']:,} pairs checked, {figures['links']:,} links, "
        f"{figures['refused']:,} refused for conflicting IDs, {figures['persons']:,} persons; "
        f"hotspot recount {figures['recount_seconds']} s, scan {figures['scan_seconds']} s"
    )
    jobs.drain()  # first run: sets the cursors

    r = random.Random(8)
    recent = list(
        Dispute.objects.filter(received_at__gte=clock.now() - dt.timedelta(days=200)).values_list(
            "id", "admin_unit_id"
        )[:20_000]
    )
    officers: dict[int, User] = {}

    def officer(unit: int) -> User:
        county = unit // 10**6 * 10**6
        if county not in officers:
            officers[county] = User.objects.create(
                username=f"bench-{county}", role=Role.COUNTY_OFFICER, admin_unit_id=county
            )
        return officers[county]

    # Wall time and this process's CPU time: on a shared machine the first includes
    # waiting for a core; the second is the work itself (SQLite runs in-process).
    registration_ms: list[float] = []
    registration_cpu: list[float] = []
    for i in range(SAMPLES):
        pk, unit = r.choice(recent)
        earlier = list(
            Party.objects.filter(dispute_id=pk).values("role", "kind", "name", "id_number", "phone")
        )
        if i % 2:  # half of them between people already on record: a repeat to find
            party_rows = earlier
        else:
            party_rows = [
                {"role": "applicant", "name": f"新当事人{i}", "phone": f"139{r.randrange(10**8):08d}"},
                {"role": "respondent", "name": f"另一方{i}"},
            ]
        data = DisputeIn.model_validate(
            {
                "channel": "walk_in",
                "dispute_type": r.choice(["neighbour", "marriage_family", "labour"]),
                "summary": "双方因宅基地边界发生纠纷",
                "narrative": "申请人称被申请人建房时越界占用其宅基地约半米，双方多次协商未果，发生争吵。",
                "admin_unit": unit,
                "parties": party_rows,
            }
        )
        actions.register_dispute(data, actor=officer(unit))
        t, cpu = time.perf_counter(), time.process_time()
        assert jobs.evaluate_transitions(settle=False) == 1
        registration_ms.append((time.perf_counter() - t) * 1000)
        registration_cpu.append((time.process_time() - cpu) * 1000)

    open_ids = list(
        Dispute.objects.filter(status__in=[Status.ACCEPTED, Status.MEDIATING]).values_list(
            "id", "admin_unit_id"
        )[:5000]
    )
    session_ms: list[float] = []
    session_cpu: list[float] = []
    contents = [
        "双方陈述了各自意见，调解员释明有关法律规定，约定下周再次调解。",
        "被申请人情绪激动，扬言要拿刀砍人，调解员当场劝阻。",
        "申请人表示调解再不成就去县里讨个说法，到北京上访。",
        "经调解员耐心疏导，双方互谅互让，初步达成一致意见。",
    ]
    for i in range(SAMPLES):
        pk, unit = r.choice(open_ids)
        d = Dispute.objects.get(pk=pk)
        with transaction.atomic():
            actions.record_session(
                d,
                actor=officer(unit),
                held_at=clock.now(),
                place="村调委会",
                content=contents[i % len(contents)],
            )
        t, cpu = time.perf_counter(), time.process_time()
        jobs.evaluate_sessions(settle=False)
        jobs.evaluate_transitions(settle=False)
        session_ms.append((time.perf_counter() - t) * 1000)
        session_cpu.append((time.process_time() - cpu) * 1000)

    print(f"per-case signals, registration (1 of {N:,}): wall {summary(registration_ms)} (target ≤ 50 ms)")
    print(f"                                       CPU  {summary(registration_cpu)}")
    print(f"per-case signals, session record:            wall {summary(session_ms)} (target ≤ 50 ms)")
    print(f"                                       CPU  {summary(session_cpu)}")
    print(f"warning keys: {PartyKey.objects.count():,}")


if __name__ == "__main__":
    main()
