"""Fast multi-row INSERT for the bulk paths (imports, demo data, benchmarks).

``QuerySet.bulk_create`` builds a model instance per row and prepares every value
through the field machinery, which costs more than the database itself for wide
rows (measured: ~75% of import time). Here each column's conversion is chosen once,
rows are plain dicts, and each batch is one ``INSERT … VALUES (…), (…) RETURNING id``.
Values are converted by the same field methods Django uses, so what is stored is
identical to what ``save()`` would store.
"""

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

_IDENTITY_TYPES = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How to turn a Python value into a query parameter; None when it passes as is."""
    if isinstance(field, (models.ForeignKey, *_IDENTITY_TYPES)):
        return None
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
        # What Django's SQLite backend stores: naive UTC in ISO form (adapt_datetimefield_value).
        return lambda v: None if v is None else str(v.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(field, models.DateField | models.DecimalField):
        # Rows of one batch share timestamps and amounts; convert each distinct value once.
        cache: dict[Any, Any] = {}

        def cached(v: Any) -> Any:
            try:
                return cache[v]
            except KeyError:
                out = cache[v] = field.get_db_prep_save(v, connection)
                return out

        return cached
    return lambda v: field.get_db_prep_save(v, connection)


def _default(field: models.Field) -> Any:
    if field.default is NOT_PROVIDED:
        return None if field.null else ("" if field.empty_strings_allowed else None)
    return field.get_default()


def insert_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning: bool = True
) -> list[Any]:
    """Insert ``rows`` (dicts keyed by attribute name, e.g. ``admin_unit_id``) and return
    their primary keys in order. Missing attributes take the field default (a callable
    default is evaluated once per call)."""
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    auto_pk = isinstance(pk, models.AutoField | models.BigAutoField)
    fields = [f for f in meta.concrete_fields if not (f.primary_key and auto_pk)]
    defaults = {f.attname: _default(f) for f in fields}
    converters = [(f.attname, _converter(f)) for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    sqlite = connection.vendor == "sqlite"
    # On SQLite the statement goes straight to sqlite3 with its own "?" placeholders:
    # Django's wrapper rewrites "%s" with a regex, which costs more than the insert.
    one = "(" + ", ".join(["?" if sqlite else "%s"] * len(fields)) + ")"
    limit = 30000 if sqlite else 60000
    size = max(1, limit // len(fields))
    ids: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params = [
                row.get(name, defaults[name]) if conv is None else conv(row.get(name, defaults[name]))
                for row in batch
                for name, conv in converters
            ]
            sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([one] * len(batch))}"
            if returning and auto_pk:
                sql += f" RETURNING {qn(pk.column)}"
            if sqlite:
                raw = cursor.cursor
                sqlite3.Cursor.execute(raw, sql, params)
            else:
                raw = cursor
                raw.execute(sql, params)
            if returning and auto_pk:
                ids.extend(r[0] for r in raw.fetchall())
    return ids
