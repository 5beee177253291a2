"""Screening benchmark: `python -m vigie.screening.benchmark --size 100000`.

Builds a fictitious watchlist and a query set with known truth (vigie.screening.generator),
then reports, at DEFAULT_THRESHOLD: recall and precision per query kind, blocking recall, F1,
screened names per second on one core (end to end), p50/p95 latency of a single query, index
build time and peak memory; and the same data through two peers: nomenklatura's logic-v2
(optional `bench` extra) and a full rapidfuzz scan (recall ceiling of plain string matching),
both on a sample. The wiring as `vigie bench screening` is done at merge.
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import statistics
import time
from collections import defaultdict
from typing import Any

from anyascii import anyascii

from vigie.screening import generator
from vigie.screening.engine import DEFAULT_THRESHOLD, Matcher


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return _rss_mb()


def run(
    size: int = 100_000,
    queries: int = 3_000,
    threshold: float | None = None,
    peer_sample: int = 200,
    peers: bool = True,
    seed: int = 7,
    passes: int = 5,
) -> dict[str, Any]:
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    people = generator.watchlist(size, seed=seed)
    records = [p.record() for p in people]
    query_set = generator.queries(people, queries, seed=seed + 4)
    del people
    gc.collect()
    before = _current_rss_mb()
    start = time.perf_counter()
    matcher = Matcher.from_records(records)
    build_seconds = time.perf_counter() - start
    index_mb = _current_rss_mb() - before

    names = [q for _, q, _ in query_set]
    start = time.perf_counter()
    results = matcher.match(names, threshold=threshold)
    rates = [len(names) / (time.perf_counter() - start)]
    # The machine is shared: the same cold pass again (caches cleared) shows the spread.
    for _ in range(passes - 1):
        matcher.clear_caches()
        start = time.perf_counter()
        matcher.match(names, threshold=threshold)
        rates.append(len(names) / (time.perf_counter() - start))
    latencies = []
    for _, query, _ in query_set[:500]:
        t0 = time.perf_counter()
        matcher.match([query], threshold=threshold)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()

    per_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    blocked = listed = 0
    names = {r["id"]: _same_name(r) for r in records}
    for (kind, query, truth), found in zip(query_set, results, strict=True):
        stats = per_kind[kind]
        stats["queries"] += 1
        ids = {c.record_id for c in found}
        if truth is not None and not query.get("birth_date"):
            # Another listed person with the very same name as the true one, or named just
            # as the query is: nothing in a query without a birth date tells them apart, so
            # the alert is neither right nor wrong.
            same = {names[truth], query["name"].casefold()}
            twins = {i for i in ids if i != truth and names[i] in same}
            stats["indistinguishable"] += len(twins)
            ids -= twins
        stats["alerts"] += len(ids)
        if truth is not None:
            listed += 1
            stats["listed"] += 1
            stats["found"] += truth in ids
            stats["true_alerts"] += truth in ids
            blocked += truth in matcher.candidates(query)
    report: dict[str, Any] = {
        "size": len(records),
        "queries": len(query_set),
        "threshold": threshold,
        "kinds": {},
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, one core",
    }
    total = defaultdict(int)
    for kind, stats in per_kind.items():
        for key, value in stats.items():
            total[key] += value
        report["kinds"][kind] = _rates(stats)
    report["all"] = _rates(total)
    script = defaultdict(int)
    for key in ("listed", "found", "alerts", "true_alerts"):
        script[key] = per_kind["script"][key]
    report["blocking_recall"] = blocked / max(listed, 1)
    report["names_per_second"] = statistics.median(rates)
    report["names_per_second_passes"] = rates
    report["latency_ms_p50"] = statistics.median(latencies)
    report["latency_ms_p95"] = latencies[int(len(latencies) * 0.95) - 1]
    report["build_seconds"] = build_seconds
    report["index_mb"] = index_mb
    report["peak_rss_mb"] = _rss_mb()
    if peers:
        sample = query_set[:: max(1, len(query_set) // peer_sample)][:peer_sample]
        report["peers"] = {
            "rapidfuzz full scan (token_set_ratio >= 85, top 5)": _rapidfuzz_peer(records, sample),
            "nomenklatura logic-v2 (>= 0.7, on the rapidfuzz top 20)": _nomenklatura_peer(
                records, sample
            ),
        }
    return report


def _same_name(record: dict[str, Any]) -> str:
    return record["name"].casefold()


def _rates(stats: dict[str, int]) -> dict[str, float | int]:
    listed, found = stats.get("listed", 0), stats.get("found", 0)
    alerts, true_alerts = stats.get("alerts", 0), stats.get("true_alerts", 0)
    recall = found / listed if listed else None
    precision = true_alerts / alerts if alerts else (1.0 if listed == 0 else None)
    f1 = (
        2 * recall * precision / (recall + precision)
        if recall is not None and precision and recall + precision
        else None
    )
    return {
        "queries": stats.get("queries", 0),
        "recall": recall,
        "precision": precision,
        "f1": f1,
        "alerts": alerts,
        "indistinguishable": stats.get("indistinguishable", 0),
    }


def _plain(name: str) -> str:
    return anyascii(name).lower().replace(",", " ")


def _scan(records, sample, cutoff: float, limit: int):
    from rapidfuzz import fuzz, process

    choices = [_plain(r["name"]) for r in records]
    out = []
    for _, query, _truth in sample:
        hits = process.extract(
            _plain(query["name"]), choices, scorer=fuzz.token_set_ratio, limit=limit,
            score_cutoff=cutoff,
        )  # fmt: skip
        out.append([records[i]["id"] for _, _, i in hits])
    return out


def _peer_rates(sample, found_ids, seconds: float) -> dict[str, Any]:
    stats = defaultdict(int)
    script = defaultdict(int)
    for (kind, _query, truth), ids in zip(sample, found_ids, strict=True):
        stats["queries"] += 1
        stats["alerts"] += len(ids)
        for bucket in (stats, script) if kind == "script" else (stats,):
            if truth is not None:
                bucket["listed"] += 1
                bucket["found"] += truth in ids
                bucket["true_alerts"] += truth in ids
            bucket["alerts"] += 0
        if kind == "script":
            script["alerts"] += len(ids)
    rates = _rates(stats)
    rates["script_recall"] = _rates(script)["recall"]
    rates["names_per_second"] = len(sample) / seconds if seconds else None
    return rates


def _rapidfuzz_peer(records, sample) -> dict[str, Any]:
    start = time.perf_counter()
    found = _scan(records, sample, cutoff=85, limit=5)
    return _peer_rates(sample, found, time.perf_counter() - start)


def _nomenklatura_peer(records, sample) -> dict[str, Any]:
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
        from nomenklatura.matching.types import ScoringConfig
    except ImportError as error:
        return {"unavailable": f"nomenklatura not importable ({error}); pip install -e '.[bench]'"}
    config = ScoringConfig.defaults()

    def entity(data: dict[str, Any]):
        proxy = model.make_entity("Person")
        proxy.id = str(data["id"])
        proxy.add("name", data["name"])
        proxy.add("alias", data.get("aliases") or [])
        if data.get("birth_date"):
            proxy.add("birthDate", data["birth_date"])
        if data.get("nationality"):
            proxy.add("nationality", data["nationality"])
        return proxy

    by_id = {r["id"]: r for r in records}
    LogicV2.compare(entity(records[0]), entity(records[0]), config)  # loads its reference data
    shortlists = _scan(records, sample, cutoff=0, limit=20)
    start = time.perf_counter()
    found = []
    for (_, query, _), ids in zip(sample, shortlists, strict=True):
        q = entity(query)
        found.append([i for i in ids if LogicV2.compare(q, entity(by_id[i]), config).score >= 0.7])
    return _peer_rates(sample, found, time.perf_counter() - start)


def format_report(report: dict[str, Any]) -> str:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    lines = [
        f"Screening benchmark: {report['size']:,} listed persons, {report['queries']:,} queries, "
        f"threshold {report['threshold']}, {report['machine']}",
        "",
        "| query kind | queries | recall | precision | F1 | alerts | same-name alerts |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, r in [*sorted(report["kinds"].items()), ("all", report["all"])]:
        lines.append(
            f"| {kind} | {r['queries']} | {pct(r['recall'])} | {pct(r['precision'])} | "
            f"{pct(r['f1'])} | {r['alerts']} | {r['indistinguishable']} |"
        )
    lines += [
        "",
        f"- blocking recall: {report['blocking_recall']:.4f}",
        f"- screened names per second (one core, end to end, median of "
        f"{len(report['names_per_second_passes'])} cold passes): "
        f"{report['names_per_second']:,.0f} (passes: "
        + ", ".join(f"{r:,.0f}" for r in report["names_per_second_passes"])
        + ")",
        f"- single query latency: p50 {report['latency_ms_p50']:.2f} ms, "
        f"p95 {report['latency_ms_p95']:.2f} ms",
        f"- index build: {report['build_seconds']:.1f} s, index memory ≈ "
        f"{report['index_mb']:,.0f} MB (peak process RSS {report['peak_rss_mb']:,.0f} MB)",
    ]
    for name, rates in report.get("peers", {}).items():
        if "unavailable" in rates:
            lines.append(f"- peer {name}: {rates['unavailable']}")
            continue
        lines.append(
            f"- peer {name}, {rates['queries']} sampled queries: recall {pct(rates['recall'])}, "
            f"precision {pct(rates['precision'])}, script recall {pct(rates['script_recall'])}, "
            f"{rates['names_per_second']:,.1f} names/s"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Screening benchmark (fictitious data).")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=3_000)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--peer-sample", type=int, default=200)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--passes", type=int, default=5, help="cold screening passes timed")
    args = parser.parse_args(argv)
    report = run(
        args.size,
        args.queries,
        args.threshold,
        args.peer_sample,
        peers=not args.no_peers,
        passes=max(1, args.passes),
    )
    print(format_report(report))


if __name__ == "__main__":
    main()
