"""Triage speed, memory and accuracy.

- batch throughput on one core (texts/s) for classification alone and full triage;
- single API triage latency (POST /api/v1/triage through the test client), p50/p99;
- model load time from its saved file, and resident memory after loading both models;
- risk: recall and precision of high risk on the test half of data/risk_testset.jsonl
  (even-numbered items; the odd half was used while writing the rules);
- consultation topic accuracy on ../shared/data/consult_topic_dev.jsonl when present.
Targets (issue 3): ≥ 2,000 texts/s; p99 ≤ 30 ms; load ≤ 2 s; RSS ≤ 400 MB; high-risk
recall ≥ 0.95 at precision ≥ 0.7; consultation accuracy ≥ 0.60 on held-out data.
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from common import machine, scratch_environment

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "consult_topic_dev.jsonl"


def main() -> None:
    os.sched_setaffinity(0, {0})  # one core
    scratch_environment("triage")
    from django.test import Client

    from fengqiao.accounts.choices import Role
    from fengqiao.accounts.models import User
    from fengqiao.core.testing import sign_in
    from fengqiao.triage import service, store
    from fengqiao.triage.classifier import TextClassifier
    from fengqiao.triage.taxonomies import Taxonomy

    print(f"machine: {machine()} (pinned to one core)")
    for tax in Taxonomy:
        store.current(tax)  # train once if there is no saved model
    store.current_risk()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"resident memory with the three models and Django: {rss:.0f} MiB (target ≤ 400)")
    for tax in Taxonomy:
        path = store.path_for(store.current(tax).version)
        started = time.perf_counter()
        TextClassifier.load(path)
        print(
            f"{tax.value} model {path.name}: load {time.perf_counter() - started:.2f} s, {path.stat().st_size / 2**20:.1f} MiB file"
        )

    rows = [
        json.loads(line) for line in (ROOT / "fengqiao/triage/data/risk_testset.jsonl").open(encoding="utf-8")
    ]
    texts = [r["text"] for r in rows] * 20
    started = time.perf_counter()
    service.classify(texts, Taxonomy.CONSULT)
    rate = len(texts) / (time.perf_counter() - started)
    print(
        f"batch classification: {rate:,.0f} texts/s on {len(texts):,} texts of {statistics.mean(map(len, texts)):.0f} chars"
    )
    started = time.perf_counter()
    service.triage_many([service.Case(t) for t in texts])
    rate = len(texts) / (time.perf_counter() - started)
    print(f"batch full triage (type, risk, route): {rate:,.0f} texts/s (target ≥ 2,000)")

    user = User.objects.create(username="bench", role=Role.TOWNSHIP_OFFICER, admin_unit_id=510129101000)
    client = Client()
    sign_in(client, user)
    times = []
    for r in rows[:300]:
        body = json.dumps({"text": r["text"]})
        started = time.perf_counter()
        assert client.post("/api/v1/triage", data=body, content_type="application/json").status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"single API triage: p50 {times[len(times) // 2]:.1f} ms, p99 {times[int(len(times) * 0.99) - 1]:.1f} ms (target ≤ 30)"
    )

    test = [r for r in rows if int(r["id"].split("-")[1]) % 2 == 0]
    tp = fp = fn = 0
    for r in test:
        pred = service.assess_risk(r["text"]).level == "high"
        gold = r["level"] == "high"
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
    print(
        f"risk ({store.current_risk().version}), test half ({len(test)} items, {tp + fn} high): high-risk recall {tp / (tp + fn):.3f}, "
        f"precision {tp / (tp + fp):.3f} (target recall ≥ 0.95 at precision ≥ 0.7)"
    )

    if DEV.exists():
        dev = [json.loads(line) for line in DEV.open(encoding="utf-8")]
        pred = service.classify([r["text"] for r in dev], Taxonomy.CONSULT)
        acc = sum(p.label == r["label"] for p, r in zip(pred, dev, strict=True)) / len(dev)
        print(
            f"consultation topic, dev set ({len(dev)} items): accuracy {acc:.2f} (GPT-4 0.45; target 0.60 held-out)"
        )


if __name__ == "__main__":
    sys.exit(main())
