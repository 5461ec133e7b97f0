"""The monthly statistical report of people's mediation (人民调解工作统计月报表) as XLSX.

Laid out as the paper form is: one row per official dispute category (the 18 of
``cases.choices.DisputeType``, in the form's order) and a totals row; columns by
stage and outcome, then agreements by form, judicial confirmations, the amounts and
the people involved; a header with the reporting unit, the period, the preparer and
the date, and the definitions underneath. Figures come from the rollups
(``report_rows``), so a report for a province costs what one for a village does.
"""

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from fengqiao.analytics import periods
from fengqiao.analytics.indicators import Figures
from fengqiao.analytics.measures import NAMES
from fengqiao.analytics.queries import Scope, full_rows_for
from fengqiao.cases.choices import Channel, DisputeType
from fengqiao.geography import queries as geo


@dataclass(frozen=True)
class Column:
    group: str  # the upper header ('' when the column stands alone)
    header: str
    value: Callable[[Figures, Figures], float | int]  # (all channels, grid sweeps) -> value
    money: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("", "排查纠纷(件)", lambda f, sweep: sweep["registered"]),
    Column("", "登记纠纷(件)", lambda f, sweep: f["registered"]),
    Column("", "受理调解(件)", lambda f, sweep: f["accepted"]),
    Column("调解情况(件)", "调解成功", lambda f, sweep: f["agreed"]),
    Column("调解情况(件)", "调解不成", lambda f, sweep: f["mediation_failed"]),
    Column("调解情况(件)", "移交", lambda f, sweep: f["transferred"]),
    Column("调解情况(件)", "撤回或不予受理", lambda f, sweep: f["withdrawn"] + f["declined"]),
    Column("结案(件)", "结案", lambda f, sweep: f["closed"]),
    Column("结案(件)", "其中化解", lambda f, sweep: f["resolved"]),
    Column("调解协议(份)", "书面", lambda f, sweep: f["agreements_written"]),
    Column("调解协议(份)", "口头", lambda f, sweep: f["agreements_oral"]),
    Column("司法确认(件)", "申请", lambda f, sweep: f["confirm_applied"]),
    Column("司法确认(件)", "确认有效", lambda f, sweep: f["confirm_valid"]),
    Column("", "涉及金额(元)", lambda f, sweep: f.amount_yuan, money=True),
    Column("", "涉及人数(人)", lambda f, sweep: f["accepted_people"]),
)

NOTES = (
    "口径说明：按本月发生的办理环节统计（登记纠纷按登记时间，其余按环节登记时间）；纠纷类型为当前认定的类型。",
    "排查纠纷：来源渠道为网格排查的登记纠纷。调解成功：本月首次达成调解协议（书面或口头）的纠纷（人民调解法第二十八条）。",
    "调解不成：本月终止调解的次数（人民调解法第二十六条）。移交：本月移交人民法院、仲裁、法律援助、行政复议或公安机关的纠纷。",
    "结案：本月结案的纠纷；其中化解为协议履行完毕并经回访后结案的纠纷。调解协议按份数计（人民调解法第二十九、三十条）。",
    "司法确认：本月申请司法确认的件数及人民法院裁定确认有效的件数（人民调解法第三十三条）。",
    "涉及金额、涉及人数：本月受理调解的纠纷登记的涉及金额及涉及人数。",
)


@dataclass
class ReportRow:
    label: str
    values: list[float | int]


def report_rows(scope: Scope, month: int) -> list[ReportRow]:
    """The form's 18 category rows and the totals row for the scope's unit and month."""
    source = full_rows_for(scope.code, scope.level).and_("month = %s", month)
    groups = source.sums(by=("dispute_type", "channel"))
    every: dict[str, list[Figures]] = {}
    sweeps: dict[str, list[Figures]] = {}
    for g in groups:
        f = Figures.of({n: g[n] for n in NAMES})
        every.setdefault(g["dispute_type"], []).append(f)
        if g["channel"] == Channel.GRID_SWEEP:
            sweeps.setdefault(g["dispute_type"], []).append(f)
    rows: list[ReportRow] = []
    for kind in DisputeType:
        f, s = Figures.total(every.get(kind.value, [])), Figures.total(sweeps.get(kind.value, []))
        rows.append(ReportRow(str(kind.label), [c.value(f, s) for c in COLUMNS]))
    totals = [sum(r.values[i] for r in rows) for i in range(len(COLUMNS))]
    rows.append(
        ReportRow("合计", [round(v, 2) if c.money else v for v, c in zip(totals, COLUMNS, strict=True)])
    )
    return rows


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_HEAD = Font(name="黑体", size=10)
_TITLE = Font(name="黑体", size=16)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def build_xlsx(scope: Scope, month: int, *, preparer: str, on: dt.date) -> bytes:
    """The report as an XLSX workbook (bytes)."""
    rows = report_rows(scope, month)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "调解统计月报"
    wb.properties.creator = "枫桥矛盾纠纷多元化解平台"
    wb.properties.title = f"人民调解工作统计月报表（{periods.label(month)}）"
    width = len(COLUMNS) + 1
    last = get_column_letter(width)

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = "人民调解工作统计月报表"
    ws["A1"].font, ws["A1"].alignment = _TITLE, _CENTER
    ws.row_dimensions[1].height = 32
    first, end = periods.first_day(month), periods.last_day(month)
    half = width // 2
    meta = [
        (2, f"填报单位：{geo.full_name(scope.code)}", f"统计期间：{first:%Y年%m月%d日}至{end:%Y年%m月%d日}"),
        (3, f"填报人：{preparer}", f"填报日期：{on:%Y年%m月%d日}　　计量单位：件、份、元、人"),
    ]
    for r, left, right in meta:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=half)
        ws.merge_cells(start_row=r, start_column=half + 1, end_row=r, end_column=width)
        ws.cell(r, 1, left).font = _BODY
        cell = ws.cell(r, half + 1, right)
        cell.font, cell.alignment = _BODY, Alignment(horizontal="right", vertical="center")

    head, sub = 4, 5
    ws.merge_cells(start_row=head, start_column=1, end_row=sub, end_column=1)
    ws.cell(head, 1, "纠纷类型")
    col = 2
    while col <= width:
        c = COLUMNS[col - 2]
        if not c.group:
            ws.merge_cells(start_row=head, start_column=col, end_row=sub, end_column=col)
            ws.cell(head, col, c.header)
            col += 1
            continue
        span = 1
        while col + span <= width and COLUMNS[col + span - 2].group == c.group:
            span += 1
        ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + span - 1)
        ws.cell(head, col, c.group)
        for k in range(span):
            ws.cell(sub, col + k, COLUMNS[col + k - 2].header)
        col += span
    for r in (head, sub):
        ws.row_dimensions[r].height = 30
        for cidx in range(1, width + 1):
            cell = ws.cell(r, cidx)
            cell.font, cell.alignment, cell.border = _HEAD, _CENTER, _BOX

    for i, row in enumerate(rows):
        r = sub + 1 + i
        bold = row.label == "合计"
        name = ws.cell(r, 1, row.label)
        name.font, name.alignment, name.border = (_BOLD if bold else _BODY), _CENTER, _BOX
        for j, (value, c) in enumerate(zip(row.values, COLUMNS, strict=True)):
            cell = ws.cell(r, j + 2, value)
            cell.font, cell.border = (_BOLD if bold else _BODY), _BOX
            cell.alignment = Alignment(horizontal="right", vertical="center")
            cell.number_format = "#,##0.00" if c.money else "#,##0"

    note_row = sub + len(rows) + 2
    for k, text in enumerate(NOTES):
        r = note_row + k
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        cell = ws.cell(r, 1, text)
        cell.font, cell.alignment = Font(name="宋体", size=9), _LEFT
        ws.row_dimensions[r].height = 26
    sign = note_row + len(NOTES) + 1
    ws.cell(sign, 1, "单位负责人：").font = _BODY
    ws.cell(sign, half + 1, "审核人：").font = _BODY

    ws.column_dimensions["A"].width = 14
    for j, c in enumerate(COLUMNS):
        ws.column_dimensions[get_column_letter(j + 2)].width = 16 if c.money else 9
    ws.freeze_panes = ws.cell(sub + 1, 2)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head}:{sub}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(scope: Scope, month: int) -> str:
    return f"人民调解统计月报_{scope.unit.name}_{periods.iso(month)}.xlsx"
