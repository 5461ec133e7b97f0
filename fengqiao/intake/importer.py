"""Bulk import of disputes from CSV or XLSX.

Each row is one dispute with up to two parties (申请人, 被申请人). A row is validated
by the same schema as the web form and the API; bad rows are reported with their
row number and a Chinese reason and are not written; good rows are written in
atomic chunks, each row whole or not at all. Every row carries an external id (the
``外部编号`` column, or a digest of the row's content), so importing the same file
again creates no duplicates.
"""

import csv
import datetime as dt
import functools
import hashlib
import io
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from pydantic import ValidationError

from fengqiao.accounts import audit
from fengqiao.accounts.models import User
from fengqiao.cases import actions
from fengqiao.cases.choices import Channel, DisputeType, PartyRole
from fengqiao.cases.schemas import DisputeIn, chinese_errors, describe
from fengqiao.core import clock
from fengqiao.core.errors import DomainError
from fengqiao.geography.models import AdminUnit
from fengqiao.intake import actions as intake
from fengqiao.intake.models import ImportBatch

# Column header (Chinese as on the template, or the API field name) → field.
COLUMNS: dict[str, str] = {
    "外部编号": "external_id",
    "登记时间": "received_at",
    "来源渠道": "channel",
    "纠纷类型": "dispute_type",
    "纠纷概要": "summary",
    "纠纷事实经过": "narrative",
    "区划代码": "admin_unit",
    "详细地址": "address",
    "涉及金额": "amount",
    "涉及人数": "people_involved",
    "申请人姓名": "applicant_name",
    "申请人身份证号码": "applicant_id_number",
    "申请人联系电话": "applicant_phone",
    "申请人住址": "applicant_address",
    "被申请人姓名": "respondent_name",
    "被申请人身份证号码": "respondent_id_number",
    "被申请人联系电话": "respondent_phone",
    "被申请人住址": "respondent_address",
}
TEMPLATE_HEADERS = list(COLUMNS)
REQUIRED = ("channel", "dispute_type", "summary", "narrative", "admin_unit", "applicant_name")
CHUNK = 2000
MAX_STORED_ERRORS = 5000

_CHANNELS = {str(c.label): c.value for c in Channel} | {c.value: c.value for c in Channel}
_TYPES = {str(t.label): t.value for t in DisputeType} | {t.value: t.value for t in DisputeType}


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def failed(self) -> int:
        return len(self.errors)


def read_rows(name: str, data: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as the user sees it, {field: value}) for each non-empty data row."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows: Iterable[Sequence[Any]] = _xlsx_rows(data)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(data)
    else:
        raise DomainError("仅支持 CSV 或 XLSX 文件", field="file")
    it = iter(rows)
    header = next(it, None)
    if header is None:
        raise DomainError("文件为空", field="file")
    keys = [COLUMNS.get(str(h).strip(), str(h).strip()) if h is not None else "" for h in header]
    missing = [h for h, f in COLUMNS.items() if f in REQUIRED and f not in keys]
    if missing:
        raise DomainError("缺少必需的列：" + "、".join(missing), field="file")
    for number, values in enumerate(it, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        yield number, {k: v for k, v in zip(keys, values, strict=False) if k}


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    # Excel in China saves CSV as GB18030 unless told otherwise; accept both.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise DomainError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV", field="file") from None
    yield from csv.reader(io.StringIO(text))


def _xlsx_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise DomainError("无法读取 XLSX 文件，请确认文件未损坏", field="file") from None
    try:
        yield from wb.worksheets[0].iter_rows(values_only=True)
    finally:
        wb.close()


def _text(v: Any) -> str:
    if type(v) is str:
        return v.strip()
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _datetime(v: Any) -> dt.datetime | str | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    s = _text(v)
    try:
        return dt.datetime.fromisoformat(s)
    except ValueError:
        pass
    s = s.replace("/", "-").replace("年", "-").replace("月", "-").replace("日", "")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    return s  # let the schema report it


def to_submission(values: dict[str, Any]) -> dict[str, Any]:
    """Map a row's cells to the DisputeIn shape (labels to codes, dates, numbers)."""
    t = {k: _text(v) for k, v in values.items()}
    parties = []
    for role in (PartyRole.APPLICANT, PartyRole.RESPONDENT):
        name = t.get(f"{role.value}_name", "")
        if name:
            parties.append(
                {
                    "role": role.value,
                    "name": name,
                    "id_number": t.get(f"{role.value}_id_number", ""),
                    "phone": t.get(f"{role.value}_phone", ""),
                    "address": t.get(f"{role.value}_address", ""),
                }
            )
    amount = t.get("amount", "").replace(",", "").replace("，", "").removesuffix("元") or None
    received = _datetime(values.get("received_at"))
    if isinstance(received, dt.datetime) and received.tzinfo is None:
        received = received.replace(tzinfo=_local_zone())
    row: dict[str, Any] = {
        "channel": _CHANNELS.get(t.get("channel", ""), t.get("channel", "")),
        "dispute_type": _TYPES.get(t.get("dispute_type", ""), t.get("dispute_type", "")),
        "summary": t.get("summary", ""),
        "narrative": t.get("narrative", ""),
        "admin_unit": _unit_code(t.get("admin_unit", "")),
        "address": t.get("address", ""),
        "amount": amount,
        "parties": parties,
        "external_id": t.get("external_id") or None,
        "received_at": received,
    }
    if t.get("people_involved"):
        row["people_involved"] = t["people_involved"]
    return row


@functools.cache
def _local_zone() -> zoneinfo.ZoneInfo:
    """Times written without a zone are local time (Asia/Shanghai)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _unit_code(text: str) -> str:
    """Short division codes (6 or 9 digits) widen to the 12-digit form."""
    return text.ljust(12, "0") if text.isdecimal() and len(text) in (2, 4, 6, 9) else text


def content_id(submission: dict[str, Any]) -> str:
    """An external id for a row that has none: a digest of what the row says."""
    keys = ("channel", "dispute_type", "summary", "narrative", "admin_unit", "received_at")
    parts = [str(submission.get(k) or "") for k in keys]
    parts += [f"{p['role']}:{p['name']}:{p['id_number']}" for p in submission["parties"]]
    return "row:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


@dataclass
class _Parsed:
    """One chunk of rows after validation: the good ones and the refused ones."""

    good: list[tuple[int, DisputeIn]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _parse_chunk(rows: list[tuple[int, dict[str, Any]]], actor: User, units: dict[int, int]) -> _Parsed:
    """Validate rows with the shared schema and the registration rules (no database access)."""
    out = _Parsed()
    for number, values in rows:
        submission = to_submission(values)
        submission["external_id"] = submission["external_id"] or content_id(submission)
        try:
            item = DisputeIn.model_validate(submission)
            actions.check_registration(item, actor, units.get(item.admin_unit))
        except ValidationError as e:
            out.errors.append(RowError(number, describe(chinese_errors(e))))
        except DomainError as e:
            out.errors.append(RowError(number, e.message))
        else:
            out.good.append((number, item))
    return out


def _chunks(rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    chunk: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_disputes(name: str, data: bytes | IO[bytes], *, actor: User) -> ImportReport:
    """Import a CSV or XLSX file of disputes for ``actor``; return the report (also stored).

    Rows are validated in chunks and each chunk's good rows are written in one
    transaction, so a failure part-way leaves whole chunks and a re-import resumes.
    (A background writer thread was measured and dropped: with the GIL it was no faster.)
    """
    raw = data if isinstance(data, bytes) else data.read()
    report = ImportReport()
    batch = ImportBatch.objects.create(
        file_name=name[:200], sha256=hashlib.sha256(raw).hexdigest(), actor=actor
    )
    report.batch_id = batch.pk
    units = dict(AdminUnit.objects.values_list("code", "level"))
    first_row_of: dict[str, int] = {}
    try:
        for chunk in _chunks(read_rows(name, raw)):
            parsed = _parse_chunk(chunk, actor, units)
            report.errors.extend(parsed.errors)
            pending = []
            for number, item in parsed.good:
                ext = item.external_id or ""
                if ext in first_row_of:
                    report.errors.append(RowError(number, f"外部编号与第{first_row_of[ext]}行重复"))
                    continue
                first_row_of[ext] = number
                pending.append(item)
            report.total += len(parsed.good) + len(parsed.errors)
            if pending:
                written = intake.submit_disputes_bulk(pending, actor=actor)
                report.imported += len(written)
                report.skipped += len(pending) - len(written)
    except DomainError as e:
        report.errors.append(RowError(0, e.message))
    report.errors.sort(key=lambda e: e.row)
    _finish(batch, report, actor)
    return report


@transaction.atomic
def _finish(batch: ImportBatch, report: ImportReport, actor: User) -> None:
    batch.finished_at = clock.now()
    batch.rows_total = report.total
    batch.rows_imported = report.imported
    batch.rows_skipped = report.skipped
    batch.rows_failed = report.failed
    batch.errors = [{"row": e.row, "message": e.message} for e in report.errors[:MAX_STORED_ERRORS]]
    batch.save()
    audit.record(
        actor,
        "import_disputes",
        batch,
        file=batch.file_name,
        imported=report.imported,
        skipped=report.skipped,
        failed=report.failed,
    )
