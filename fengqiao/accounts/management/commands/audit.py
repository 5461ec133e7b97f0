import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fengqiao.accounts import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验日志链是否被篡改、删除、调换或截断"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="重新计算整条日志链并报告问题")

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        findings = audit.verify()
        if not findings:
            from fengqiao.accounts.models import AuditHead

            head = AuditHead.objects.filter(pk=1).first()
            self.stdout.write(f"审计日志完整：共 {head.seq if head else 0} 条，链尾校验码一致")
            return
        for f in findings:
            self.stderr.write(f"第{f.seq}条：{f.problem}")
        self.stderr.write(f"发现 {len(findings)} 处问题")
        sys.exit(2)
