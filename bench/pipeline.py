"""End-to-end throughput: `log-gardener run` on a large Cloud Run export, in a fresh process.

Builds an export by repeating the shipped demo sample (12 hours, ~15,000 entries of a
crash-looping Cloud Run backend) N times, each copy shifted by 12 hours with fresh
insertIds and instance ids, writes it as JSON Lines (gzip), then times a full dry run
(read, select, group, mine templates, analyse, plan against an empty local tracker,
write the worklog and JSON) and reports entries/s and the peak RSS of that process.

    python bench/pipeline.py                 # 40 copies: ~615,000 entries
    python bench/pipeline.py --copies 100    # ~1.5 million entries

It also times the decode floor on the same file (decompress, read each line, orjson.loads it) and
prints the run's time as a multiple of it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]


def sample_rows() -> list[dict]:
    sample = resources.files("log_gardener.demo") / "cloudrun-sample.jsonl.gz"
    return [orjson.loads(line) for line in gzip.decompress(sample.read_bytes()).splitlines()]


def copy_of(row: dict, c: int) -> dict:
    """The sample's ``row`` in copy ``c``: 12 hours later per copy, fresh insertId and instance id."""
    doc = dict(row)
    ts = datetime.fromisoformat(doc["timestamp"].replace("Z", "+00:00")) + timedelta(hours=12 * c)
    doc["timestamp"] = ts.isoformat().replace("+00:00", "Z")
    doc["insertId"] = f"{doc['insertId']}-{c}"
    labels = dict(doc.get("labels") or {})
    if "instanceId" in labels:
        labels["instanceId"] = f"{labels['instanceId'][:-4]}{c:04d}"
        doc["labels"] = labels
    return doc


def build(copies: int, out: Path) -> int:
    rows = sample_rows()
    n = 0
    with gzip.open(out, "wb", compresslevel=1) as fh:
        for c in range(copies):
            for row in rows:
                fh.write(orjson.dumps(copy_of(row, c)) + b"\n")
                n += 1
    return n


def child(path: str, work: str) -> None:
    sys.path.insert(0, str(REPO / "src"))
    from log_gardener.garden.local import LocalTracker
    from log_gardener.pipeline import RunOptions, run

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracker = LocalTracker(Path(work) / "state.db")
    t0 = time.perf_counter()
    result = run(RunOptions(inputs=[path], dry_run=True, worklog=str(Path(work) / "w.md"),
                            json_path=str(Path(work) / "r.json")), tracker, "local")
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "read": result.totals.read, "selected": result.totals.selected, "problems": len(result.findings),
        "seconds": seconds, "entries_per_s": result.totals.read / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_before_mb": before,
    }))


def floor(path: str) -> dict:
    """The decode floor: decompress and read every line, orjson.loads it, nothing else (issue 17's reference)."""
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    n = 0
    with gzip.open(path, "rb") as fh:
        for line in fh:
            orjson.loads(line)
            n += 1
    return {"entries": n, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - cpu0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "export.jsonl.gz"
        t0 = time.perf_counter()
        n = build(args.copies, path)
        print(f"built {n:,} entries ({path.stat().st_size / 1e6:.0f} MB gzip) in {time.perf_counter() - t0:.1f} s")
        proc = subprocess.run([sys.executable, __file__, "--child", str(path), work], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        f = floor(str(path))
        print(f"log-gardener run (dry run): {r['read']:,} read, {r['selected']:,} selected, {r['problems']} problems")
        print(f"  {r['seconds']:.1f} s, {r['entries_per_s']:,.0f} entries/s, peak RSS {r['peak_rss_mb']:.0f} MB "
              f"(before the run: {r['rss_before_mb']:.0f} MB)")
        print(f"decode floor (gunzip + orjson.loads of every line, this process): {f['seconds']:.1f} s; "
              f"run / floor = {r['seconds'] / f['seconds']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
