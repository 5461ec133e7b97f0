"""``fengqiao warning``: run the early-warning job, its nightly recomputation, or the simulator."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SCRATCH = "FENGQIAO_WARNING_SCRATCH"


class Command(BaseCommand):
    help = "智慧监测预警：处理新纠纷的预警信号（run）、夜间重算（nightly）、评估模拟（simulate）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("run", help="评估积压的新纠纷、调解笔录和流转记录")
        sub.add_parser("nightly", help="夜间重算：当事人识别、热点基线与检验")
        sim = sub.add_parser(
            "simulate", help="在临时数据库中植入情形并评估检出率、延迟和误报（不触及正式数据库）"
        )
        sim.add_argument("--seed", type=int, default=1)
        sim.add_argument("--days", type=int, default=90, help="评估天数")
        sim.add_argument("--warmup", type=int, default=91, help="预热天数（基线历史）")
        sim.add_argument("--area", type=int, default=None, help="模拟区域的区划代码（默认眉山市）")
        sim.add_argument("--scale", type=float, default=1.0, help="背景纠纷量倍数")
        sim.add_argument("--hotspot-rate", type=float, default=1.5, help="热点每日新增件数")

    def handle(self, *args: Any, what: str, **opts: Any) -> None:
        if what == "run":
            from fengqiao.warning import jobs

            self.stdout.write(f"已评估 {jobs.drain()} 条记录")
        elif what == "nightly":
            from fengqiao.warning import jobs

            for k, v in jobs.nightly().items():
                self.stdout.write(f"{k}: {v}")
        else:
            self.simulate(opts)

    def simulate(self, opts: dict[str, Any]) -> None:
        if os.environ.get(SCRATCH) != "1":
            self._in_scratch_database()
            return
        from django.core.management import call_command

        from fengqiao.geography.actions import load_divisions
        from fengqiao.warning import simulator

        call_command("migrate", interactive=False, verbosity=0)
        load_divisions()
        config = simulator.Config(
            seed=opts["seed"],
            days=opts["days"],
            warmup=opts["warmup"],
            area=opts["area"] or simulator.DEFAULT_AREA,
            scale=opts["scale"],
            hotspot_rate=opts["hotspot_rate"],
        )
        started = time.perf_counter()
        report = simulator.simulate(config, say=lambda m: self.stdout.write(m))
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"  用时 {time.perf_counter() - started:.0f} 秒；达标：{'是' if report.meets_targets else '否'}"
        )
        for alert in report.false_alerts:
            self.stdout.write(f"  误报：{alert['title']}")

    def _in_scratch_database(self) -> None:
        """Re-run this command against a fresh SQLite database in a temporary directory."""
        var = tempfile.mkdtemp(prefix="fengqiao-simulate-")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({SCRATCH: "1", "FENGQIAO_VAR_DIR": var, "FENGQIAO_KEYS_DIR": os.path.join(var, "keys")})
        try:
            done = subprocess.run([sys.executable, "-m", "fengqiao.cli", *sys.argv[1:]], env=env, check=False)
        finally:
            shutil.rmtree(var, ignore_errors=True)
        if done.returncode:
            raise CommandError("模拟失败")
