from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from fengqiao.geography.actions import DEFAULT_PROVINCE, load_divisions
from fengqiao.geography.models import AdminUnit, Organisation


class Command(BaseCommand):
    help = "行政区划：load 载入区划与机构（幂等）；stats 统计各级数量"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="载入区划数据及由区划生成的机构")
        load.add_argument("--province", default=DEFAULT_PROVINCE)
        sub.add_parser("stats", help="各级区划与机构数量")

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        if verb == "load":
            result = load_divisions(opts["province"])
            self.stdout.write(f"区划 {result.units} 个，机构 {result.organisations} 个已载入")
        self.stats()

    def stats(self) -> None:
        for row in AdminUnit.objects.values("level").annotate(n=Count("code")).order_by("level"):
            self.stdout.write(f"level {row['level']}: {row['n']}")
        for row in Organisation.objects.values("kind").annotate(n=Count("id")).order_by("kind"):
            self.stdout.write(f"{row['kind']}: {row['n']}")
