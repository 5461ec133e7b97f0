import json
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.triage import service
from fengqiao.triage.taxonomies import Taxonomy, labels

BATCH = 1000


def _lines(stream: Any) -> Iterator[tuple[Any, str]]:
    """(id, text) for each JSON line; a bad line yields its error instead of a text."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            yield row.get("id"), str(row.get("text") or "")
        except (json.JSONDecodeError, AttributeError):
            yield {"line": number}, "\x00bad"


class Command(BaseCommand):
    help = "智能分流：classify 分类；risk 风险评估；eval 评测；retrain 重新训练"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        c = sub.add_parser("classify", help="从标准输入读 JSON 行 {id,text}，逐行输出分类结果")
        c.add_argument("--taxonomy", choices=[t.value for t in Taxonomy], default="mediation")
        sub.add_parser("risk", help="从标准输入读 JSON 行 {id,text}，逐行输出风险等级与标记")
        e = sub.add_parser("eval", help="在带标注的 JSON 行文件上评测：准确率、宏平均F1、混淆矩阵")
        e.add_argument("--taxonomy", choices=[t.value for t in Taxonomy], default="consult")
        e.add_argument("file")
        sub.add_parser("backlog", help="处理批量导入后待分流的纠纷")
        r = sub.add_parser("retrain", help="用团队样本、法条弱标注和已确认的分流结果重新训练")
        r.add_argument("--taxonomy", choices=[*(t.value for t in Taxonomy), "risk"], default=None)

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        getattr(self, verb)(**opts)

    def _write(self, row: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")

    def classify(self, taxonomy: str, **_: Any) -> None:
        tax = Taxonomy(taxonomy)
        rows = _lines(sys.stdin)
        while batch := list(islice(rows, BATCH)):
            predictions = service.classify([t if t != "\x00bad" else "" for _, t in batch], tax)
            for (ident, text), p in zip(batch, predictions, strict=True):
                if text == "\x00bad":
                    self._write({"id": None, "error": f"第{ident['line']}行不是有效的 JSON"})
                    continue
                self._write({"id": ident, "label": p.label, "confidence": p.confidence, "reasons": p.reasons})
        sys.stdout.flush()

    def risk(self, **_: Any) -> None:
        for ident, text in _lines(sys.stdin):
            if text == "\x00bad":
                self._write({"id": None, "error": f"第{ident['line']}行不是有效的 JSON"})
                continue
            r = service.assess_risk(text)
            self._write(
                {
                    "id": ident,
                    "level": r.level.value,
                    "flags": [f.value for f in r.flags],
                    "reasons": r.reasons,
                }
            )
        sys.stdout.flush()

    def eval(self, taxonomy: str, file: str, **_: Any) -> None:
        from fengqiao.triage import store
        from fengqiao.triage.classifier import evaluate

        tax = Taxonomy(taxonomy)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        model = store.current(tax)
        started = time.perf_counter()
        result = evaluate(model, [r["text"] for r in rows], [r["label"] for r in rows])
        seconds = time.perf_counter() - started
        out = self.stdout.write
        out(f"model {model.version}; {result['n']} items; {result['n'] / seconds:,.0f} texts/s")
        out(f"accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}")
        names = labels(tax)
        width = max(len(n) for n in names)
        out("confusion matrix (rows: gold, columns: predicted, in the order listed)")
        for i, name in enumerate(names):
            counts = " ".join(f"{n:3d}" for n in result["confusion"][i])
            out(f"{i:2d} {name:<{width}} {counts}")

    def retrain(self, taxonomy: str | None = None, **_: Any) -> None:
        from fengqiao.triage.training import retrain, retrain_risk

        for kind in [taxonomy] if taxonomy else [*(t.value for t in Taxonomy), "risk"]:
            started = time.perf_counter()
            record = retrain_risk() if kind == "risk" else retrain(Taxonomy(kind))
            self.stdout.write(
                f"{kind}: {record.version} trained in {time.perf_counter() - started:.1f} s "
                f"on {record.examples}"
            )

    def backlog(self, **_: Any) -> None:
        from fengqiao.triage.jobs import drain

        started = time.perf_counter()
        n = drain()
        seconds = time.perf_counter() - started
        rate = f"，{n / seconds:,.0f} 件/秒" if n else ""
        self.stdout.write(f"已完成 {n} 件纠纷的智能分流（{seconds:.1f} 秒{rate}）")
