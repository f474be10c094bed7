"""Issue 17's figures in one run: the decode floor, `run` in one process and with every core, peak RSS,
and (--beam) the Beam pipeline on the same entries split into files, checked equal to `run`.

The input is the shipped demo sample (12 hours of a crash-looping Cloud Run backend, ~15,000 entries,
a fifth of them WARNING or above) repeated until it holds N entries, each copy shifted by 12 hours
with fresh insertIds and instance ids, written as plain JSON Lines (one file; --beam also splits it
into 16 files, as a sink writes hourly files).

    python bench/scale.py                          # 1M entries
    python bench/scale.py --entries 5000000 --no-floor --jobs 0   # peak RSS at 5M, all cores only
    python bench/scale.py --beam                   # + Beam DirectRunner, and its result == run's
    python bench/scale.py --below 4000000 --no-floor --jobs 1   # 4M more INFO entries: the RSS they add
    python bench/scale.py --stages --jobs      # where one process's time goes, stage by stage

The floor is what any reader of this input must do: read each line and decode it (orjson.loads),
timed in this process on the same file. Each run is a fresh process (`log-gardener run --dry-run`);
its wall time is divided by the floor's. Peak RSS is the largest resident size of the run's process
(with --jobs, a reading worker's is reported beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from pipeline import copy_of, sample_rows  # bench/ is on the path when this script runs

REPO = Path(__file__).resolve().parents[1]


def build(entries: int, out: Path, below: int = 0) -> int:
    """``entries`` demo-shaped entries (``pipeline.py``'s copies), then ``below`` more INFO entries (the
    sample's own INFO lines with fresh insertIds), which a run only counts."""
    rows = sample_rows()
    info = [r for r in rows if r.get("severity") == "INFO"]
    with open(out, "wb") as fh:
        for i in range(below):
            doc = dict(info[i % len(info)])
            doc["insertId"] = f"below-{i}"
            fh.write(orjson.dumps(doc) + b"\n")
        for n in range(entries):
            c, i = divmod(n, len(rows))
            fh.write(orjson.dumps(copy_of(rows[i], c)) + b"\n")
    return entries + below


def split(path: Path, parts: int, out: Path) -> list[Path]:
    """The file cut into ``parts`` files by line, in order (the order `run` reads a directory in)."""
    out.mkdir()
    lines = path.read_bytes().splitlines(keepends=True)
    step = -(-len(lines) // parts)
    files = []
    for i in range(parts):
        f = out / f"part-{i:03d}.jsonl"
        f.write_bytes(b"".join(lines[i * step:(i + 1) * step]))
        files.append(f)
    return files


def floor(path: Path) -> float:
    t0 = time.perf_counter()
    loads = orjson.loads
    with open(path, "rb") as fh:
        for line in fh:
            loads(line)
    return time.perf_counter() - t0


def stages(path: Path, fl: float) -> None:
    """One process's time per stage, each timed over the previous stage's output kept in a list (the same
    work `run` streams through; the lists cost memory, not time, with the collector as `collect` sets it)."""
    import gc

    from log_gardener.analyse.analysis import analyse
    from log_gardener.analyse.deploys import RevisionActivity
    from log_gardener.group.grouping import GroupBuilder, finalize, resolve_templates
    from log_gardener.model import ReadStats, Severity
    from log_gardener.parse.assemble import assemble
    from log_gardener.pipeline import GC_WHILE_READING, RunOptions, Totals, dedupe, select
    from log_gardener.sources.files import iter_entries

    gc.set_threshold(*GC_WHILE_READING)
    opts = RunOptions(inputs=[str(path)])
    stats, totals, activity = ReadStats(light_below=Severity.WARNING), Totals(), RevisionActivity()
    laps: list[tuple[str, float, int]] = []

    def lap(name: str, work):
        t0 = time.perf_counter()
        out = work()
        laps.append((name, time.perf_counter() - t0, len(out) if isinstance(out, list) else 0))
        return out

    items = lap("read: decode, normalise (Entry or Glimpse)", lambda: list(iter_entries([str(path)], stats)))
    entries = lap("dedupe, tally what is only counted", lambda: list(dedupe(items, totals, activity)))
    items.clear()
    records = lap("assemble multi-line records, select", lambda: list(select(assemble(entries), opts, totals)))
    entries.clear()

    def group():
        builder = GroupBuilder()
        for r in records:
            builder.add(r)
        return builder.finish()

    state = lap("group (add, finish)", group)
    lap("resolve templates, analyse (causes, priorities)",
        lambda: analyse(finalize(resolve_templates(state).state), state, None, activity))
    gc.set_threshold(700, 10, 10)
    total = sum(s for _, s, _ in laps)
    print(f"stages in one process (floor {fl:.2f} s):")
    for name, seconds, n in laps:
        out = f"{n:,} out" if n else ""
        print(f"  {name:<50} {seconds:6.2f} s {seconds / fl:5.1f}x  {out}")
    print(f"  {'total':<50} {total:6.2f} s {total / fl:5.1f}x")


def timed(cmd: list[str]) -> dict:
    """Wall time and peak RSS (MB) of a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed:\n{err[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}


def run(inputs: list[Path], work: Path, name: str, extra: list[str], command: str = "run") -> dict:
    out = work / f"{name}.json"
    cmd = [sys.executable, "-m", "log_gardener", command, "-q", "--dry-run", "--state", str(work / f"{name}.db"),
           "--json", str(out), "--worklog", str(work / f"{name}.md"), *extra]
    for p in inputs:
        cmd += ["-i", str(p)]
    r = timed(cmd)
    doc = json.loads(out.read_text())
    r["doc"] = doc
    r["read"] = doc["totals"]["read"]
    r["problems"] = len(doc["problems"])
    return r


def same(a: dict, b: dict) -> bool:
    a, b = dict(a), dict(b)
    for d in (a, b):
        d.pop("generated_at", None)
        d.pop("tracker", None)
    return a == b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 0], help="run with these --jobs (0: every core)")
    ap.add_argument("--no-floor", action="store_true")
    ap.add_argument("--beam", action="store_true", help="also run the Beam pipeline (DirectRunner)")
    ap.add_argument("--below", type=int, default=0, help="add this many INFO entries (only counted by a run)")
    ap.add_argument("--stages", action="store_true", help="time each stage in this process (needs the floor)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "export.jsonl"
        t0 = time.perf_counter()
        n = build(args.entries, path, args.below)
        print(f"input: {n:,} entries, {path.stat().st_size / 1e9:.2f} GB JSON Lines (built in "
              f"{time.perf_counter() - t0:.0f} s); {os.cpu_count()} cores")
        fl = None
        if not args.no_floor:
            floor(path)  # once to have the file in the page cache, as the runs will
            fl = floor(path)
            print(f"decode floor (read each line, orjson.loads): {fl:.2f} s")
        results = {}
        for jobs in args.jobs:
            r = results[jobs] = run([path], work, f"jobs{jobs}", ["--jobs", str(jobs)])
            ratio = f", {r['seconds'] / fl:.1f}x the floor" if fl else ""
            label = "1 process" if jobs == 1 else f"--jobs {jobs or 'all cores'}"
            print(f"run ({label}): {r['seconds']:.1f} s{ratio}; peak RSS {r['peak_rss_mb']:.0f} MB; "
                  f"{r['read']:,} read, {r['doc']['totals']['selected']:,} selected, {r['problems']} problems")
        docs = [r["doc"] for r in results.values()]
        if len(docs) > 1:
            print(f"every --jobs gives the same result: {all(same(docs[0], d) for d in docs[1:])}")
        if args.stages and fl:
            stages(path, fl)  # last: this process grows, and a child's peak RSS counts its parent's at the fork
        if args.beam:
            files = split(path, 16, work / "parts")
            local = run([work / "parts"], work, "run-parts", ["--jobs", "1"])
            b = run([work / "parts"], work, "beam", [], command="beam")
            print(f"beam (DirectRunner, 16 files): {b['seconds']:.1f} s; peak RSS {b['peak_rss_mb']:.0f} MB; "
                  f"run on the same {len(files)} files: {local['seconds']:.1f} s; "
                  f"identical result: {same(local['doc'], b['doc'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
