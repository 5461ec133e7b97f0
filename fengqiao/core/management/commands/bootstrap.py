from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fengqiao.geography.models import AdminUnit


class Command(BaseCommand):
    help = "准备运行：迁移数据库，载入参考数据；数据库为空时生成演示数据（make run 调用）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="不生成演示数据")

    def handle(self, *args: Any, no_demo: bool = False, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        if not AdminUnit.objects.exists():
            call_command("geo", "load", stdout=self.stdout)
        from fengqiao.statutes.actions import corpus_loaded

        if not corpus_loaded():
            call_command("statutes", "load", stdout=self.stdout)
        from fengqiao.triage import store

        if store.risk_outdated():
            self.stdout.write("风险模型的训练数据已更新，正在重新训练……")
            call_command("triage", "retrain", "--taxonomy", "risk", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        if no_demo or not settings.FENGQIAO_DEMO_ON_EMPTY:
            return
        from fengqiao.cases.models import Dispute
        from fengqiao.demo.generator import demo_exists, generate

        if Dispute.objects.exists() or demo_exists():
            self.stdout.write("已有数据，不生成演示数据")
            return
        self.stdout.write(f"数据库为空，正在生成演示数据（{settings.FENGQIAO_DEMO_CASES} 件纠纷）……")
        generate(cases=settings.FENGQIAO_DEMO_CASES, seed=2026, stdout=self.stdout)
