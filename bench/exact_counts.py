"""Counts at size: each problem's `instances` against the true number of distinct instances.

Builds the 1M-entry input of `bench/pipeline.py` (the demo sample repeated, every copy with fresh
instance ids), runs `log-gardener run --dry-run --assignments`, and joins the assignments (entry ->
problem) with the input (entry -> instance) to count each problem's distinct instances exactly.
Distinct values are kept per signature up to `Limits.max_tracked` (1000) by the smallest hashes;
past that, the count is the k-minimum-values estimate and says so (`instances_estimated`).

    python bench/exact_counts.py              # 65 copies: ~1M entries
    python bench/exact_counts.py --copies 10
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=65)
    args = ap.parse_args()
    from log_gardener.garden.local import LocalTracker
    from log_gardener.pipeline import RunOptions, run
    from pipeline import build

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "big.jsonl.gz"
        n = build(args.copies, src)
        t0 = time.perf_counter()
        tracker = LocalTracker(work / "state.db")
        run(RunOptions(inputs=[str(src)], dry_run=True, json_path=str(work / "r.json"),
                       assignments_path=str(work / "a.jsonl"), worklog=str(work / "w.md")), tracker, "local")
        seconds = time.perf_counter() - t0
        instance_of = {}
        with gzip.open(src, "rb") as fh:
            for line in fh:
                doc = orjson.loads(line)
                instance_of[doc["insertId"]] = (doc.get("labels") or {}).get("instanceId")
        true: dict[str, set[str]] = defaultdict(set)
        for line in (work / "a.jsonl").read_bytes().splitlines():
            row = orjson.loads(line)
            inst = instance_of.get(row.get("insertId"))
            if inst:
                true[row["problem"]].add(inst)
        problems = orjson.loads((work / "r.json").read_bytes())["problems"]
    print(f"{n:,} entries, run {seconds:.1f} s, {len(problems)} problems")
    print(f"{'problem':<15} {'count':>8} {'true instances':>15} {'reported':>10} {'estimated':>9} {'error':>7}")
    worst = 0.0
    for p in sorted(problems, key=lambda p: -len(true[p["id"]]))[:15]:
        exact = len(true[p["id"]])
        err = abs(p["instances"] - exact) / exact if exact else 0.0
        worst = max(worst, err if p["instances_estimated"] else (0.0 if err == 0 else 1.0))
        print(f"{p['id']:<15} {p['count']:>8,} {exact:>15,} {p['instances']:>10,} "
              f"{'yes' if p['instances_estimated'] else 'no':>9} {err:>7.1%}")
    exact_ok = all(p["instances"] == len(true[p["id"]]) for p in problems if not p["instances_estimated"])
    print(f"every count not marked estimated is exact: {exact_ok}; largest error of an estimate: {worst:.1%}")
    return 0 if exact_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
