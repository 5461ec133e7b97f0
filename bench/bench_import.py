"""Import throughput: 100,000 disputes from one CSV file through the real importer.

Prints rows per second on the database selected by DATABASE_URL (SQLite by default).
Target (issue 2): ≥ 5,000 rows/s on SQLite on the 2-core reference machine.
"""

import csv
import io
import sys
import time

from common import TYPES, WEIGHTS, machine, rng, scratch_environment

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def main() -> None:
    vendor = scratch_environment("import")
    from fengqiao.accounts.actions import create_user
    from fengqiao.accounts.choices import Role
    from fengqiao.cases.choices import DisputeType
    from fengqiao.core.identity import id_check_char
    from fengqiao.geography.models import AdminUnit
    from fengqiao.intake.importer import TEMPLATE_HEADERS, import_disputes

    province = AdminUnit.objects.get(code=510000000000)
    # A province-level importer would be an analyst; use a county officer per county is
    # realistic but the importer's cost is the same, so one broad account imports all.
    actor = (
        create_user(
            username="bench",
            password=None,
            role=Role.COUNTY_OFFICER,
            admin_unit=province,
            check_password=False,
        )
        if False
        else None
    )
    from fengqiao.accounts.models import User

    actor = User.objects.create(username="bench", role=Role.COUNTY_OFFICER, admin_unit=province)
    r = rng()
    villages = list(AdminUnit.objects.filter(level=5).values_list("code", flat=True))
    labels = {t.value: str(t.label) for t in DisputeType}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(TEMPLATE_HEADERS)
    for i in range(ROWS):
        v = r.choice(villages)
        first17 = f"{str(v)[:6]}19{r.randint(40, 99)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 999):03d}"
        t = r.choices(TYPES, WEIGHTS)[0]
        row = {
            "外部编号": f"bench-{i}",
            "登记时间": f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} 10:00",
            "来源渠道": "来访",
            "纠纷类型": labels[t],
            "纠纷概要": f"{labels[t]}纠纷{i}",
            "纠纷事实经过": "双方因琐事发生争执，申请人请求调解。" * 3,
            "区划代码": str(v),
            "详细地址": f"{r.randint(1, 12)}组",
            "涉及金额": str(r.randint(0, 50000)),
            "涉及人数": "2",
            "申请人姓名": "张某",
            "申请人身份证号码": first17 + id_check_char(first17),
            "申请人联系电话": f"13{r.randint(0, 9)}{r.randint(10_000_000, 99_999_999)}",
            "申请人住址": "",
            "被申请人姓名": "李某",
            "被申请人身份证号码": "",
            "被申请人联系电话": "",
            "被申请人住址": "",
        }
        w.writerow([row[h] for h in TEMPLATE_HEADERS])
    data = buf.getvalue().encode()
    from fengqiao.triage import store
    from fengqiao.triage.taxonomies import Taxonomy

    loading = time.perf_counter()
    store.current(Taxonomy.MEDIATION)  # load (or first train) the triage model outside the timing
    print(f"triage model ready in {time.perf_counter() - loading:.1f} s")
    started = time.perf_counter()
    report = import_disputes("bench.csv", data, actor=actor)
    seconds = time.perf_counter() - started
    print(f"machine: {machine()}")
    print(f"database: {vendor}; file: {ROWS:,} rows, {len(data) / 2**20:.1f} MiB CSV")
    print(
        f"imported {report.imported:,}, failed {report.failed:,} in {seconds:.1f} s "
        f"= {report.imported / seconds:,.0f} rows/s (target ≥ 5,000 on SQLite)"
    )
    again = time.perf_counter()
    second = import_disputes("bench.csv", data, actor=actor)
    print(
        f"re-import of the same file: {second.imported} new, {second.skipped:,} skipped in "
        f"{time.perf_counter() - again:.1f} s"
    )


if __name__ == "__main__":
    main()
