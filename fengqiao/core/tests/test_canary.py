"""Canary: personal data never reaches the disk or the logs in clear.

Known values are written through every path that stores personal data (the form
action, the bulk import, a user's phone), in a separate process with a file
database and debug logging; then the database file, its WAL, a full SQL dump and
everything the process logged are searched for them. On PostgreSQL the dump is
taken by reading every text column of every table.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ID = "510129198808086666"
PHONE = "13999887766"
ADDRESS = "金丝雀巷九十九号"

SCRIPT = f"""
import django, logging, io
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from fengqiao.geography.actions import load_divisions
load_divisions()
from fengqiao.core.testing import make_personas, register, dispute_payload
from fengqiao.intake.importer import TEMPLATE_HEADERS, import_disputes
from fengqiao.accounts.models import User
p = make_personas()
logging.getLogger("canary").warning("registering")
d = register(p.village_mediator, parties=[
    {{"role": "applicant", "name": "金丝雀", "id_number": "{ID}", "phone": "{PHONE}", "address": "{ADDRESS}"}}])
assert d.parties.get().id_number == "{ID}"  # reads back in clear in the application
header = ",".join(TEMPLATE_HEADERS)
row = ",".join(["C-1", "", "来访", "邻里", "占道", "堆放杂物。", str(510129101203), "", "", "2",
                 "金丝雀二", "{ID}", "{PHONE}", "{ADDRESS}", "邻居", "", "", ""])
report = import_disputes("c.csv", (header + "\\n" + row + "\\n").encode(), actor=p.township_officer)
assert report.imported == 1, report.errors
User.objects.filter(pk=p.citizen.pk).update(phone="{PHONE}")
print("ok")
"""


def _plaintexts() -> list[bytes]:
    return [v.encode() for v in (ID, PHONE, ADDRESS)]


def test_no_plaintext_in_database_file_wal_dump_or_logs(tmp_path: Path) -> None:
    """The embedded database in a process of its own, whichever database the suite runs on
    (the PostgreSQL columns are scanned by the test below)."""
    env = {
        **os.environ,
        "FENGQIAO_VAR_DIR": str(tmp_path),
        "FENGQIAO_MODEL_DIR": str(Path(__file__).resolve().parents[3] / "var" / "models"),
        "DEBUG": "true",
        "LOG_LEVEL": "DEBUG",
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings",
    }
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    logs = run.stdout + run.stderr
    assert b"ok" in run.stdout
    db = tmp_path / "fengqiao.sqlite3"
    files = {"database": db.read_bytes(), "log": logs}
    wal = tmp_path / "fengqiao.sqlite3-wal"
    if wal.exists():
        files["wal"] = wal.read_bytes()
    import sqlite3

    with sqlite3.connect(db) as c:
        files["dump"] = "\n".join(c.iterdump()).encode()
    assert b"SELECT" in logs or b"INSERT" in logs  # debug SQL logging was really on
    for where, content in files.items():
        for value in _plaintexts():
            assert value not in content, f"{value.decode()} found in {where}"
        assert "金丝雀巷".encode() not in content, where


@pytest.mark.django_db
def test_no_plaintext_in_any_postgres_text_column() -> None:
    """On either database: no column of any table holds the canary values in clear."""
    from fengqiao.core.testing import make_personas, register

    p = make_personas()
    register(
        p.village_mediator,
        parties=[
            {"role": "applicant", "name": "金丝雀", "id_number": ID, "phone": PHONE, "address": ADDRESS}
        ],
    )
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cast = f"CAST({name} AS TEXT)"
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {cast} LIKE %s OR {cast} LIKE %s OR {cast} LIKE %s",
                    [f"%{ID}%", f"%{PHONE}%", f"%{ADDRESS}%"],
                )
                assert cursor.fetchone()[0] == 0, f"{table}.{column.name}"
