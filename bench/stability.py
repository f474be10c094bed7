"""Cross-window stability of template signatures on Loghub-2k.

A tracker matches problems run after run by their ids, so an event must get the same
signature in every window it appears in, whether that window holds one of its values or
many. Each dataset is cut into WINDOWS consecutive windows (500 lines each for 2,000),
each window is mined, and for every true event (corrected EventId) that occurs in two
windows or more we check that all its lines, across all windows, got one signature.

Two ways to mine the windows:
- ``alone``: each window by itself, nothing carried over (the hardest case);
- ``carried``: one after another, each run starting from the vocabulary the earlier runs
  learned (what the tracker's state carries from run to run: ``Vocabulary``).

    python bench/stability.py              # both, per dataset and in total
    python bench/stability.py --json OUT   # also the figures as JSON

The data is read at run time from ../shared/data/loghub2k (never copied into the repository).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from log_gardener.group import templates as tm  # noqa: E402
from log_gardener.model import Vocabulary  # noqa: E402
from loghub import DATASETS, DEFAULT_DATA, load_dataset  # noqa: E402

WINDOWS = 4


def windows_of(items: list, n: int) -> list[list]:
    size = -(-len(items) // n)
    return [items[i:i + size] for i in range(0, len(items), size)]


def mine_windows(contents: list[str], carried: bool) -> list[list[str]]:
    """The signature of every line, window by window.

    Carried, each window starts from what the earlier ones learned, and the ids of every window
    are then read as the tracker reads them at the end: through what superseded them.
    """
    out: list[list[str]] = []
    known = Vocabulary() if carried else None
    for window in windows_of(contents, WINDOWS):
        result = tm.mine(window, known)
        if known is not None:
            known = tm.learn(known, {t for _, t in result})
        out.append([tpl for _, tpl in result])
    if known is not None:
        out = [[tm.resolve(known, tpl) for tpl in tpls] for tpls in out]
    return [[tm.template_id(tpl) for tpl in tpls] for tpls in out]


def stability(event_ids: list[str], signatures: list[list[str]]) -> tuple[int, int, list[str]]:
    """(stable events, events seen in two windows or more, the unstable ones)."""
    per_event: dict[str, set[str]] = defaultdict(set)
    windows: dict[str, set[int]] = defaultdict(set)
    n = 0
    for w, sigs in enumerate(signatures):
        for sid in sigs:
            event = event_ids[n]
            n += 1
            if not event:
                continue
            per_event[event].add(sid)
            windows[event].add(w)
    seen = [e for e in per_event if len(windows[e]) >= 2]
    unstable = sorted(e for e in seen if len(per_event[e]) > 1)
    return len(seen) - len(unstable), len(seen), unstable


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, metavar="OUT")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no Loghub-2k data at {args.data}", file=sys.stderr)
        return 1
    figures: dict[str, dict] = {}
    totals = {"alone": [0, 0], "carried": [0, 0]}
    print(f"{'dataset':<11}| {'alone':>16} | {'carried':>16}")
    for name in DATASETS:
        ds = load_dataset(args.data, name)
        row = {}
        for mode in ("alone", "carried"):
            stable, seen, unstable = stability(ds.event_ids, mine_windows(ds.contents, mode == "carried"))
            row[mode] = {"stable": stable, "seen": seen, "unstable": unstable}
            totals[mode][0] += stable
            totals[mode][1] += seen
        figures[name] = row
        print(f"{name:<11}| {row['alone']['stable']:>5}/{row['alone']['seen']:<4} {_pct(row['alone']):>6} |"
              f" {row['carried']['stable']:>5}/{row['carried']['seen']:<4} {_pct(row['carried']):>6}")
    a, c = totals["alone"], totals["carried"]
    print(f"{'total':<11}| {a[0]:>5}/{a[1]:<4} {a[0] / a[1]:>6.3f} | {c[0]:>5}/{c[1]:<4} {c[0] / c[1]:>6.3f}")
    print("events seen in two windows or more that keep one signature across all windows")
    if args.json:
        args.json.write_text(json.dumps({"datasets": figures, "totals": totals}, indent=2))
    return 0


def _pct(r: dict) -> str:
    return f"{r['stable'] / r['seen']:.3f}" if r["seen"] else "  -  "


if __name__ == "__main__":
    raise SystemExit(main())
