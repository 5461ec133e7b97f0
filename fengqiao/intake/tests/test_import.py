"""Bulk import: good rows in, bad rows reported by number in Chinese, nothing duplicated."""

import csv
import io

import pytest
from openpyxl import Workbook

from fengqiao.cases.models import Dispute, Party, Transition
from fengqiao.core.testing import OTHER_COUNTY_VILLAGE, VILLAGE, Personas, make_id_number
from fengqiao.intake.importer import TEMPLATE_HEADERS, import_disputes
from fengqiao.intake.models import ImportBatch

pytestmark = pytest.mark.django_db


def row(**kw: str) -> list[str]:
    base = {
        "外部编号": "",
        "登记时间": "2026-03-05 09:30",
        "来源渠道": "来访",
        "纠纷类型": "邻里",
        "纠纷概要": "占道堆放柴草引发纠纷",
        "纠纷事实经过": "被申请人在公共通道堆放柴草，影响申请人通行，双方发生口角。",
        "区划代码": str(VILLAGE),
        "详细地址": "3组",
        "涉及金额": "",
        "涉及人数": "2",
        "申请人姓名": "赵六",
        "申请人身份证号码": make_id_number(seq=303),
        "申请人联系电话": "13700001111",
        "申请人住址": "",
        "被申请人姓名": "钱七",
        "被申请人身份证号码": "",
        "被申请人联系电话": "",
        "被申请人住址": "",
    }
    base.update(kw)
    return [base[h] for h in TEMPLATE_HEADERS]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def test_good_rows_are_imported_and_bad_rows_reported_by_number(personas: Personas) -> None:
    data = csv_bytes(
        [
            row(外部编号="A-1"),
            row(外部编号="A-2", 申请人身份证号码="510129198005171230"),
            row(外部编号="A-3", 纠纷类型="吵架"),
            row(外部编号="A-4", 区划代码=str(OTHER_COUNTY_VILLAGE)),
            row(外部编号="A-5", 纠纷类型="劳动争议", 涉及金额="12,000.50"),
            row(外部编号="A-1"),
        ]
    )
    report = import_disputes("cases.csv", data, actor=personas.township_officer)
    assert (report.total, report.imported, report.failed) == (6, 2, 4)
    messages = {e.row: e.message for e in report.errors}
    assert "身份证号码校验位不正确" in messages[3] and "申请人1" not in messages[3]
    assert "当事人1 身份证号码" in messages[3]
    assert "纠纷类型" in messages[4]
    assert "管辖范围" in messages[5]
    assert "第2行重复" in messages[7]
    labour = Dispute.objects.get(external_id="A-5")
    assert str(labour.amount) == "12000.50" and labour.dispute_type == "labour"
    assert labour.parties.count() == 2
    assert Transition.objects.filter(dispute=labour, action="register").exists()
    assert report.batch_id is not None
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.rows_imported, batch.rows_failed) == (2, 4)


def test_reimporting_the_same_file_creates_no_duplicates(personas: Personas) -> None:
    data = csv_bytes([row(外部编号="B-1"), row(纠纷概要="无外部编号的一行")])
    first = import_disputes("b.csv", data, actor=personas.township_officer)
    second = import_disputes("b.csv", data, actor=personas.township_officer)
    assert (first.imported, first.skipped) == (2, 0)
    assert (second.imported, second.skipped) == (0, 2)
    assert Dispute.objects.count() == 2
    assert Party.objects.count() == 4


def test_gbk_csv_from_excel_and_xlsx_are_read(personas: Personas) -> None:
    gbk = import_disputes(
        "gbk.csv", csv_bytes([row(外部编号="G-1")], "gb18030"), actor=personas.county_officer
    )
    assert gbk.imported == 1
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(TEMPLATE_HEADERS)
    ws.append(row(外部编号="X-1"))
    ws.append(row(外部编号="X-2", 纠纷事实经过=""))
    buf = io.BytesIO()
    wb.save(buf)
    report = import_disputes("cases.xlsx", buf.getvalue(), actor=personas.county_officer)
    assert (report.imported, report.failed) == (1, 1)
    assert report.errors[0].row == 3 and "纠纷事实经过" in report.errors[0].message


def test_a_file_without_required_columns_is_refused_whole(personas: Personas) -> None:
    report = import_disputes("x.csv", "姓名,电话\n张三,138\n".encode(), actor=personas.county_officer)
    assert report.imported == 0 and report.errors[0].row == 0
    assert "缺少必需的列" in report.errors[0].message
    assert Dispute.objects.count() == 0


def test_a_failure_while_writing_leaves_no_half_written_rows(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fengqiao.cases import actions

    real = actions.insert_rows

    def fail_on_transitions(model: object, rows: object, **kw: object) -> object:
        if model is actions.Transition:
            raise RuntimeError("disk full")
        return real(model, rows, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(actions, "insert_rows", fail_on_transitions)
    with pytest.raises(RuntimeError):
        import_disputes("c.csv", csv_bytes([row(外部编号="C-1")]), actor=personas.county_officer)
    assert not Dispute.objects.filter(external_id="C-1").exists()
    assert not Party.objects.filter(name="赵六").exists()
