"""Run every benchmark and print its figures: `make bench` (SQLite), and with
`--postgres` the same again on a throwaway PostgreSQL (scripts/with-postgres)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCHES = [
    ("bench_import.py", "100000"),
    ("bench_queries.py", "1000000"),
    ("bench_dispatch.py", "20000"),
    ("bench_dashboard.py", "5000000 20000 --sample=50000"),
    ("bench_warning.py", "1000000"),
    ("bench_related.py", "1000000"),
    ("bench_deadlines.py", "1000000"),
    ("bench_triage.py", ""),
    ("bench_statutes.py", ""),
]


def run_all(prefix: list[str]) -> None:
    for script, arg in BENCHES:
        print(f"\n== {script} {arg} ==", flush=True)
        subprocess.run([*prefix, sys.executable, str(HERE / script), *arg.split()], cwd=HERE, check=True)


if __name__ == "__main__":
    run_all([])
    if "--postgres" in sys.argv:
        print("\n==== PostgreSQL ====", flush=True)
        run_all([str(ROOT / "scripts" / "with-postgres")])
