import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.analytics import periods, report, rollups
from fengqiao.analytics.actions import SYSTEM_PREPARER
from fengqiao.analytics.queries import Scope
from fengqiao.core import clock
from fengqiao.geography.models import AdminUnit


class Command(BaseCommand):
    help = "统计分析：rebuild 全量重算汇总表；update 增量汇总至最新；report 生成调解统计月报；status 查看汇总进度"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("rebuild", help="由全部流转记录重算汇总表（每夜及大批量导入、删除演示数据后）")
        sub.add_parser("update", help="把水位之后的流转记录汇总进汇总表，直至追平")
        sub.add_parser("status", help="水位、待汇总条数、最近重算时间")
        r = sub.add_parser("report", help="生成某区划某月的人民调解工作统计月报表（XLSX）")
        r.add_argument("--unit", required=True, help="12位区划代码")
        r.add_argument("--month", required=True, help="统计月份，如 2026-10")
        r.add_argument("--out", required=True, help="输出文件路径")
        r.add_argument("--preparer", default=SYSTEM_PREPARER, help="填报人")

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        getattr(self, verb)(**opts)

    def rebuild(self, **_: Any) -> None:
        result = rollups.rebuild(say=self.stdout.write)
        self.stdout.write(
            f"已重算：纠纷 {result.disputes:,} 件、流转记录 {result.transitions:,} 条，"
            f"汇总行 {result.rows:,} 行，用时 {result.seconds:.1f} 秒（水位 {result.last_id}）"
        )

    def update(self, **_: Any) -> None:
        started = time.perf_counter()
        n = rollups.catch_up()
        seconds = time.perf_counter() - started
        rate = f"，{n / seconds:,.0f} 条/秒" if n and seconds else ""
        self.stdout.write(f"已汇总流转记录 {n:,} 条（{seconds:.1f} 秒{rate}）")

    def status(self, **_: Any) -> None:
        st = rollups.state()
        rebuilt = f"{st.rebuilt_at:%Y-%m-%d %H:%M}" if st.rebuilt_at else "从未"
        self.stdout.write(
            f"水位 {st.last_id}；待汇总 {rollups.pending():,} 条；待查缺口 {len(st.gaps)} 段；"
            f"最近更新 {st.updated_at:%Y-%m-%d %H:%M}；最近全量重算 {rebuilt}"
        )

    def report(self, unit: str, month: str, out: str, preparer: str, **_: Any) -> None:
        m = periods.parse_month(month)
        if m is None:
            raise CommandError("月份格式应为 2026-10")
        found = AdminUnit.objects.filter(code=int(unit)).first() if unit.isdecimal() else None
        if found is None:
            raise CommandError(f"区划代码不存在：{unit}")
        scope = Scope(found, found)
        Path(out).write_bytes(report.build_xlsx(scope, m, preparer=preparer, on=clock.today()))
        self.stdout.write(f"已生成 {found.name}{periods.label(m)}调解统计月报：{out}")
