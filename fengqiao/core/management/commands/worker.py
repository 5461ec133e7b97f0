import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from fengqiao.core.jobs import JOBS


class Command(BaseCommand):
    help = "后台任务：批量导入后的智能分流等（make run 与网站一同启动）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="处理完积压任务后退出")
        parser.add_argument("--idle", type=float, default=2.0, help="空闲时的轮询间隔（秒）")

    def handle(self, *args: Any, once: bool = False, idle: float = 2.0, **opts: Any) -> None:
        while True:
            close_old_connections()
            done = 0
            for name, job in JOBS:
                n = job()
                if n:
                    self.stdout.write(f"{name}: {n}")
                done += n
            if done == 0:
                if once:
                    return
                time.sleep(idle)
