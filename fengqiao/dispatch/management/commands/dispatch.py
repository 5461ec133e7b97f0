from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.core.errors import DomainError
from fengqiao.dispatch import actions


class Command(BaseCommand):
    help = "调度：pairings load 载入结对帮扶县（幂等）；batch --unit CODE --as USERNAME 批量指派调解员"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        pairings = sub.add_parser("pairings", help="结对帮扶县")
        what = pairings.add_subparsers(dest="what", required=True)
        load = what.add_parser("load", help="从数据文件载入结对帮扶县")
        load.add_argument("--file", type=Path, default=actions.PAIRINGS_FILE)
        batch = sub.add_parser("batch", help="批量指派本区域待指派的纠纷")
        batch.add_argument("--unit", type=int, required=True, help="调度范围的区划代码（12位）")
        batch.add_argument(
            "--as", dest="username", required=True, help="以该用户（司法所/县矛调中心）身份执行"
        )

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        try:
            if verb == "pairings":
                n = actions.load_pairings(opts["file"])
                self.stdout.write(f"结对帮扶县 {n} 对已载入（示意数据，见 data/PROVENANCE.md）")
            else:
                self.batch(opts["unit"], opts["username"])
        except DomainError as e:
            raise CommandError(e.message) from None

    def batch(self, unit: int, username: str) -> None:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"没有用户 {username}")
        out = actions.dispatch_batch(unit, actor)
        run, s = out.run, out.seconds
        self.stdout.write(
            f"批量调度记录 {run.pk}：待指派 {run.considered} 件，已指派 {run.assigned} 件，"
            f"未能指派 {run.unassigned} 件；总成本 {run.total_cost}；"
            f"载入 {s['load']:.2f} 秒，求解 {s['solve']:.2f} 秒，写入 {s['write']:.2f} 秒"
        )
        for dispute_id, why in list(run.detail.get("unassigned", {}).items())[:20]:
            self.stdout.write(f"  纠纷 {dispute_id}：{why}")
