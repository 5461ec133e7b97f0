"""``fengqiao demo``: create the demo data set (accounts, mediators, synthetic disputes)."""

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count

from fengqiao.analytics import rollups
from fengqiao.cases.choices import Outcome, Status, Tier
from fengqiao.cases.models import Dispute
from fengqiao.demo import generator
from fengqiao.demo.generator import DEFAULT_SEED, DEMO_PASSWORD, DemoError
from fengqiao.demo.users import account_rows


class Command(BaseCommand):
    help = "生成演示数据：各角色演示账号、全部调解组织的调解员、两年的模拟矛盾纠纷（已存在时不重复生成）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=settings.FENGQIAO_DEMO_CASES,
            help=f"模拟纠纷件数（默认 {settings.FENGQIAO_DEMO_CASES}，即 FENGQIAO_DEMO_CASES）",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"随机种子，便于复现同一套数据（默认 {DEFAULT_SEED}）",
        )
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据再重新生成")

    def handle(self, *args: Any, cases: int, seed: int, reset: bool, **opts: Any) -> None:
        if cases < 0:
            raise CommandError("--cases 不能为负数")
        try:
            # One transaction: a failed regeneration leaves the old demo data in place.
            with transaction.atomic():
                if reset and generator.demo_exists():
                    generator.reset(stdout=self.stdout)
                counts = generator.generate(cases, seed, stdout=self.stdout)
        except DemoError as e:
            raise CommandError(str(e)) from None
        if reset:  # the rollup job follows new steps; removed disputes need a recount
            rollups.rebuild()
        if counts.get("skipped"):
            self.accounts()
            return
        self.summary(counts)
        self.accounts()

    def summary(self, counts: dict[str, int]) -> None:
        labels = {
            "users": "演示账号",
            "mediators": "调解员",
            "disputes": "矛盾纠纷",
            "parties": "当事人",
            "transitions": "流转记录",
            "sessions": "调解笔录",
            "agreements": "调解协议",
            "confirmations": "司法确认",
            "performances": "履行记录",
            "follow_ups": "回访记录",
        }
        self.stdout.write(
            "已生成：" + "，".join(f"{label} {counts.get(k, 0)}" for k, label in labels.items())
        )
        self.stdout.write(f"用时 {counts.get('seconds', 0)} 秒")
        demo = Dispute.objects.filter(is_demo=True)
        by_status = Counter(dict(demo.values_list("status").annotate(n=Count("id"))))
        self.stdout.write("状态：" + "，".join(f"{s.label} {by_status.get(s.value, 0)}" for s in Status))
        by_outcome = Counter(dict(demo.values_list("outcome").annotate(n=Count("id"))))
        self.stdout.write("结果：" + "，".join(f"{o.label} {by_outcome.get(o.value, 0)}" for o in Outcome))
        by_tier = Counter(
            dict(demo.filter(outcome=Outcome.RESOLVED).values_list("tier").annotate(n=Count("id")))
        )
        self.stdout.write(
            "调解成功的办理层级：" + "，".join(f"{t.label} {by_tier.get(t.value, 0)}" for t in Tier)
        )

    def accounts(self) -> None:
        rows = account_rows()
        if not rows:
            return
        header = ("用户名", "角色", "姓名", "所属机构/辖区")
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(4)]
        self.stdout.write(f"\n演示账号（统一密码：{DEMO_PASSWORD}）")
        for row in [header, *rows]:
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
