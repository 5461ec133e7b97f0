import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.intake.importer import import_disputes


class Command(BaseCommand):
    help = "批量导入：fengqiao import cases FILE --as 用户名（CSV 或 XLSX）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        cases = sub.add_parser("cases", help="导入矛盾纠纷")
        cases.add_argument("file")
        cases.add_argument(
            "--as", dest="username", required=True, help="以哪个用户的身份导入（决定管辖范围）"
        )

    def handle(
        self, *args: Any, what: str, file: str, username: str, no_triage: bool = False, **opts: Any
    ) -> None:
        try:
            actor = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"用户不存在：{username}") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        started = time.perf_counter()
        report = import_disputes(path.name, path.read_bytes(), actor=actor)
        seconds = time.perf_counter() - started
        for err in report.errors:
            where = f"第{err.row}行" if err.row else "文件"
            self.stderr.write(f"{where}：{err.message}")
        self.stdout.write(
            f"共 {report.total} 行：导入 {report.imported}，已存在跳过 {report.skipped}，错误 {report.failed}"
            f"（{seconds:.1f} 秒，批次 {report.batch_id}）"
        )
        if report.imported and not no_triage:
            from fengqiao.triage.jobs import drain

            started = time.perf_counter()
            n = drain()
            self.stdout.write(f"智能分流 {n} 件（{time.perf_counter() - started:.1f} 秒）")
        if report.failed:
            sys.exit(1)
