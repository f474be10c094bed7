"""Hostile and unlucky input: time and peak memory of `log-gardener run --dry-run`, each in a
fresh process, on inputs built to hurt:

1. one line of a repeated shape (`[ERROR] a-a-a-...`, 32 KB and 1 MB): catastrophic regex
   backtracking would take minutes;
2. ERROR lines of random words, every line distinct (free text: user input, upstream error
   bodies, model output) at several sizes: the cost must grow near-linearly; Drain3 (with the
   example masking, the same lines) runs beside it as the reference, as a ratio;
3. N identical ERROR entries without insertId, streamed through stdin: memory must not grow
   with the entries.

    python bench/hostile.py                          # the figures quoted in the README
    python bench/hostile.py --distinct 1000 10000 --identical 1000000   # quicker

Inputs are generated under a temporary folder; nothing from ../shared is used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cli() -> list[str]:
    cli = Path(sys.executable).with_name("log-gardener")
    return [str(cli)] if cli.exists() else [sys.executable, "-m", "log_gardener"]


def measure(cmd: list[str], stdin_cmd: list[str] | None = None, cwd: Path | None = None) -> dict:
    """Wall seconds and the peak RSS of ``cmd`` alone (its own rusage from wait4)."""
    feeder = subprocess.Popen(stdin_cmd, stdout=subprocess.PIPE) if stdin_cmd else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=feeder.stdout if feeder else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    if feeder is not None and feeder.stdout is not None:
        feeder.stdout.close()  # the run owns the pipe now
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if feeder is not None:
        feeder.wait()
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "exit": code, "stderr": err[-500:]}


def run(inputs: list[str], work: Path, stdin_cmd: list[str] | None = None) -> dict:
    args = [*_cli(), "run", "--dry-run", "-q", "--state", str(work / "state.db"), "--worklog-dir", str(work / "wl")]
    for i in inputs:
        args += ["-i", i]
    return measure(args, stdin_cmd, cwd=work)


def random_lines(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(50_000)]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) for _ in range(n)]


def identical_entries(n: int) -> None:
    """Writes N identical ERROR entries (no insertId), 20 ms apart, as JSON Lines to stdout."""
    base = {"severity": "ERROR", "textPayload": "Upstream payment service returned 503 Service Unavailable",
            "resource": {"type": "cloud_run_revision",
                         "labels": {"service_name": "pay", "revision_name": "pay-00001-abc"}},
            "labels": {"instanceId": "00ab0001"}, "logName": "projects/p/logs/run.googleapis.com%2Fstderr"}
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    head = json.dumps(base)[:-1]
    out = sys.stdout.buffer
    chunk = []
    for i in range(n):
        ts = (t0 + timedelta(milliseconds=20 * i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        chunk.append(f'{head}, "timestamp": "{ts}"}}\n')
        if len(chunk) == 10_000:
            out.write("".join(chunk).encode())
            chunk = []
    out.write("".join(chunk).encode())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--distinct", type=int, nargs="*", default=[1_000, 10_000, 30_000, 100_000, 500_000])
    ap.add_argument("--drain3-up-to", type=int, default=30_000,
                    help="largest free-text size Drain3 is run on (it is quadratic on free text: 100k takes minutes)")
    ap.add_argument("--identical", type=int, default=10_000_000)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--emit-identical", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.emit_identical is not None:
        identical_entries(args.emit_identical)
        return 0
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("one line of a repeated shape")
        for size in (32 * 1024, 1024 * 1024):
            path = work / f"shape-{size}.log"
            path.write_text("[ERROR] " + "a-" * (size // 2) + "\n", encoding="utf-8")
            r = run([str(path)], work)
            figures[f"shape_{size}"] = r
            print(f"  [ERROR] a-a-a-... {size // 1024:>5} KB: {r['seconds']:6.2f} s, "
                  f"peak RSS {r['peak_rss_mb']:6.0f} MB (exit {r['exit']})")

        print("ERROR lines of random words, every line distinct")
        figures["distinct"] = {}
        for n in args.distinct:
            lines = random_lines(n)
            path = work / f"distinct-{n}.log"
            path.write_text("".join(f"ERROR {line}\n" for line in lines), encoding="utf-8")
            r = run([str(path)], work)
            row = {"log-gardener": r}
            text = f"  {n:>9,} lines: {r['seconds']:7.2f} s ({r['seconds'] / n * 1e6:5.0f} µs a line), " \
                   f"peak RSS {r['peak_rss_mb']:6.0f} MB"
            if n <= args.drain3_up_to:
                plain = work / f"distinct-{n}.txt"
                plain.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
                d = measure([sys.executable, str(REPO / "bench" / "drain3_templates.py"), str(plain)],
                            cwd=REPO / "bench")
                row["drain3-masked"] = d
                text += f"; Drain3 (templates only) {d['seconds']:7.2f} s: Drain3 time / log-gardener's whole run " \
                        f"{d['seconds'] / r['seconds']:.2f}x"
            figures["distinct"][n] = row
            print(text)
            path.unlink()

        if not args.identical:
            return _done(figures, args.json)
        print(f"{args.identical:,} identical ERROR entries (no insertId), JSON Lines on stdin")
        r = run(["-"], work, stdin_cmd=[sys.executable, __file__, "--emit-identical", str(args.identical)])
        figures["identical"] = {"entries": args.identical, **r}
        print(f"  {r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB (exit {r['exit']})")
    return _done(figures, args.json)


def _done(figures: dict, path: Path | None) -> int:
    if path:
        path.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
