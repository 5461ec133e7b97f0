"""Fast bulk insert for the bulk paths (imports, demo data, benchmarks): one prepared
INSERT per table, or a COPY.

Why not ``QuerySet.bulk_create``: for the ~900,000 rows of a full demo set it spends
about 80 µs a row on building model instances and compiling each value into SQL
(on SQLite, 999 parameters per statement), over a minute on the target machine.
Here rows are plain dicts keyed by field attname, values still go through Django's
own adapters wherever a type needs adapting (dates, times, JSON, decimals), and the
database runs one prepared statement per table (about 15 µs a row on SQLite), or a
COPY on PostgreSQL, where a round trip per row would be slow.

Primary keys are reserved up front so children can point at parents without a
round trip: from the sequence on PostgreSQL (safe beside other writers), and above
the highest id ever used on SQLite, whose IMMEDIATE transactions hold the write lock.
"""

import datetime as dt
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

from fengqiao.core.fields import BlindIndexField

Row = dict[str, Any]
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
    }
)
_TEXT_TYPES = frozenset({"CharField", "TextField", "SlugField", "EmailField"})
_EXECUTE_ROWS = 5000
_SQLITE_PARAMS = 30000  # below SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32)


def _text(value: Any) -> Any:
    # Choice members are str subclasses; hand the driver the plain value.
    return value if value is None or type(value) is str else str(value)


def _parent_id(value: Any) -> Any:
    # A reference to a parent row not yet written: take its reserved id.
    return value["id"] if isinstance(value, dict) else value


def _converter(field: "models.Field[Any, Any]", db: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    if field.is_relation:
        return _parent_id
    if getattr(field, "encrypts", False):
        # personal data: encrypted here exactly as save() would (never written in clear)
        return field.get_prep_value
    kind = field.get_internal_type()
    if kind in _PLAIN_TYPES:
        return None
    if kind in _TEXT_TYPES:
        return _text
    # The backend adapters the fields themselves end in, called directly: the values
    # are already of the right Python type (aware datetimes, dates, JSON-able data).
    if kind == "DateTimeField":
        if db.vendor == "sqlite":
            # What the SQLite backend stores (adapt_datetimefield_value): naive UTC in ISO
            # form; converting directly avoids its per-value time-zone lookups.
            return lambda v: str(v.astimezone(dt.UTC).replace(tzinfo=None)) if v.tzinfo else str(v)
        return db.ops.adapt_datetimefield_value
    if kind == "DateField":
        return db.ops.adapt_datefield_value
    if kind == "JSONField":
        return partial(db.ops.adapt_json_value, encoder=getattr(field, "encoder", None))
    return partial(field.get_db_prep_save, connection=db)


class Table:
    """Inserts dict rows into one model's table; a row's ``id`` is set when written."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        # The wrapper itself, not the ``connection`` proxy, whose every attribute access
        # goes through a context-local lookup — a third of the time on 900,000 rows.
        db = connections[connection.alias]
        self.convert = [_converter(f, db) for f in self.fields]
        qn = connection.ops.quote_name
        target = "{} ({})".format(qn(model._meta.db_table), ", ".join(qn(f.column) for f in self.fields))
        self.insert_head = f"INSERT INTO {target}"
        self.sql = "INSERT INTO {} VALUES ({})".format(target, ", ".join(["%s"] * len(self.fields)))
        self.copy_sql = f"COPY {target} FROM STDIN"

    def insert(self, rows: list[Row]) -> int:
        """Reserve ids, then write ``rows`` (dicts of attname → value; missing fields get
        their default, and a parent row given in place of a foreign key its id)."""
        if not rows:
            return 0
        unknown = set(rows[0]) - set(self.names)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        for row, pk in zip(rows, reserve_ids(self.model, len(rows)), strict=True):
            row["id"] = pk
        defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        # Column by column: one comprehension per field beats a Python loop per value.
        columns: list[list[Any]] = []
        for field, name, convert in zip(self.fields, self.names, self.convert, strict=True):
            default = defaults.get(name)
            if isinstance(field, BlindIndexField):  # derived from its source, never given
                columns.append([field.index_of(row.get(field.source)) for row in rows])
                continue
            column = [row.get(name, default) for row in rows]
            if convert is not None:
                column = [None if v is None else convert(v) for v in column]
            columns.append(column)
        params = list(zip(*columns, strict=True))
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                # psycopg 3: COPY is four times faster than executemany, which costs a
                # round trip per row (multi-row VALUES lists are slower still).
                with raw.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            elif connection.vendor == "sqlite":
                # Multi-row VALUES with sqlite3's own "?" placeholders, straight to the
                # driver: Django's wrapper would rewrite "%s" with a regex over the whole
                # statement. Measured 25-30% faster than executemany here.
                per = max(1, _SQLITE_PARAMS // len(self.fields))
                one = "(" + ", ".join(["?"] * len(self.fields)) + ")"
                for start in range(0, len(params), per):
                    chunk = params[start : start + per]
                    sql = f"{self.insert_head} VALUES {', '.join([one] * len(chunk))}"
                    sqlite3.Cursor.execute(raw, sql, [v for values in chunk for v in values])
            else:
                for start in range(0, len(params), _EXECUTE_ROWS):
                    cursor.executemany(self.sql, params[start : start + _EXECUTE_ROWS])
        return len(rows)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``, never used before."""
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, count],
            )
            return [r[0] for r in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT keeps the highest id ever issued in sqlite_sequence; staying
            # above it means ids of deleted demo rows are not handed out again.
            cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk.column)}) FROM {table}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            seq = cursor.fetchone()
            start = max(highest, seq[0] if seq else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"bulk insert supports SQLite and PostgreSQL, not {connection.vendor}")


def insert_rows(model: type[models.Model], rows: list[Row]) -> list[int]:
    """Insert ``rows`` (dicts keyed by attname) into ``model``'s table; return their new ids
    in order. Call inside ``transaction.atomic`` (which on SQLite holds the write lock)."""
    Table(model).insert(rows)
    return [row["id"] for row in rows]
