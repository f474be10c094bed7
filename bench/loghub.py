"""Loghub-2k benchmark: log-gardener's template miner against Drain3.

One run measures, on this machine, with the same inputs for every tool:

1. accuracy (GA, FGA, PA) on the ten Loghub-2k datasets for log-gardener ``mine``
   (default configuration, no per-dataset tuning), Drain3 with the masking of its
   example ``drain3.ini`` ("drain3-masked") and Drain3 with the per-dataset settings of
   the Drain authors ("drain3-tuned"); the means of two halves of the datasets (rules
   are designed on one half and checked on the other: a change that helps one half and
   hurts the other is fitting); GA with the labels that share one template unified
   (where the labels, not the miner, disagree);
2. accuracy on a synthetic held-out corpus of twelve other log formats
   (``heldout_templates.py``), never designed on;
3. cross-window stability (``stability.py``): each dataset cut in four windows, mined
   alone and with the vocabulary carried from run to run;
4. speed and peak RSS as whole processes: ``log-gardener templates`` against a Drain3
   script (``drain3_templates.py``), both reading the same file and writing one JSON
   line per input line, on a corpus of the ten datasets repeated with every number
   shifted per copy (default 1,000,000 lines).

The data is read at run time (default ``../shared/data/loghub2k`` from the repo
root); it is never copied into the repository. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "loghub2k"
DATASETS = ("Android", "Apache", "BGL", "HDFS", "HPC", "Linux", "OpenSSH", "Spark", "Windows", "Zookeeper")
TOOLS = ("log-gardener", "drain3-masked", "drain3-tuned")
# design on one half, check on the other (and swap)
HALVES = {"H1": ("Android", "BGL", "HPC", "OpenSSH", "Windows"),
          "H2": ("Apache", "HDFS", "Linux", "Spark", "Zookeeper")}
WILDCARD = "<*>"

# The [MASKING] list of Drain3's examples/drain3.ini (logpai/Drain3), verbatim.
DRAIN3_EXAMPLE_MASKING: tuple[tuple[str, str], ...] = (
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
    (r"(?<=executed cmd )(\".+?\")", "CMD"),
)


# --------------------------------------------------------------------------- metrics


def _kept(truth: Sequence[str], *others: Sequence[str]) -> tuple[list[str], ...]:
    """Drop the lines whose ground-truth label is empty (README: "dropped first")."""
    if any(len(o) != len(truth) for o in others):
        raise ValueError("truth and prediction differ in length")
    idx = [i for i, t in enumerate(truth) if t is not None and str(t).strip() != ""]
    return ([truth[i] for i in idx], *([o[i] for i in idx] for o in others))


def _correct_groups(truth: Sequence[str], pred: Sequence[str]) -> tuple[int, int, int, int]:
    """(lines in correct predicted groups, correct groups, predicted groups, truth groups).

    A predicted group is correct when it holds exactly the lines of one truth group.
    Assumes empty-truth lines are already dropped.
    """
    truth_size = Counter(truth)
    members: dict[str, list[str]] = defaultdict(list)
    for t, p in zip(truth, pred, strict=True):
        members[p].append(t)
    lines = groups = 0
    for labels in members.values():
        first = labels[0]
        if truth_size[first] == len(labels) and all(t == first for t in labels):
            groups += 1
            lines += len(labels)
    return lines, groups, len(members), len(truth_size)


def grouping_accuracy(truth: Sequence[str], pred: Sequence[str]) -> float:
    """GA: share of lines that sit in a predicted group equal to one truth group."""
    truth, pred = _kept(truth, pred)
    if not truth:
        return 0.0
    lines, _, _, _ = _correct_groups(truth, pred)
    return lines / len(truth)


def grouping_f1(truth: Sequence[str], pred: Sequence[str]) -> tuple[float, float, float]:
    """(PGA, RGA, FGA): correct groups over predicted / truth groups, and their harmonic mean."""
    truth, pred = _kept(truth, pred)
    if not truth:
        return 0.0, 0.0, 0.0
    _, correct, n_pred, n_truth = _correct_groups(truth, pred)
    pga = correct / n_pred
    rga = correct / n_truth
    fga = 2 * pga * rga / (pga + rga) if pga + rga else 0.0
    return pga, rga, fga


def parsing_accuracy(truth_templates: Sequence[str], pred_templates: Sequence[str]) -> float:
    """PA: share of lines whose predicted template string equals the truth template exactly."""
    truth_templates, pred_templates = _kept(truth_templates, pred_templates)
    if not truth_templates:
        return 0.0
    hits = sum(1 for t, p in zip(truth_templates, pred_templates, strict=True) if t == p)
    return hits / len(truth_templates)


def evaluate(
    truth_ids: Sequence[str],
    truth_templates: Sequence[str],
    pred_ids: Sequence[str],
    pred_templates: Sequence[str],
) -> dict[str, float]:
    """All metrics for one run; lines with an empty truth EventId are dropped for every metric."""
    truth_ids, truth_templates, pred_ids, pred_templates = _kept(truth_ids, truth_templates, pred_ids, pred_templates)
    pga, rga, fga = grouping_f1(truth_ids, pred_ids)
    return {
        "GA": grouping_accuracy(truth_ids, pred_ids),
        "PGA": pga,
        "RGA": rga,
        "FGA": fga,
        "PA": parsing_accuracy(truth_templates, pred_templates),
        "lines": len(truth_ids),
        "truth_groups": len(set(truth_ids)),
        "pred_groups": len(set(pred_ids)),
    }


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    contents: list[str]
    event_ids: list[str]
    templates: list[str]


def load_dataset(data_dir: Path, name: str) -> Dataset:
    path = data_dir / name / f"{name}_2k.log_structured_corrected.csv"
    contents: list[str] = []
    event_ids: list[str] = []
    templates: list[str] = []
    # newline="" lets csv handle any CRLF itself (Android's raw .log has CRLF line ends).
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            contents.append(row["Content"].rstrip("\r\n"))
            event_ids.append(row["EventId"].strip())
            templates.append(row["EventTemplate"].rstrip("\r\n"))
    return Dataset(name, contents, event_ids, templates)


def load_settings(data_dir: Path) -> dict:
    with (data_dir / "settings.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def large_input(data_dir: Path, n_lines: int, unique: bool = False) -> list[str]:
    """``n_lines`` messages: the ten Content columns concatenated (DATASETS order), repeated, truncated.

    With ``unique``, every repetition shifts each number in the line by its round, so a line
    is not repeated word for word (a memo of whole lines no longer helps); the structure is kept.
    """
    base: list[str] = []
    for name in DATASETS:
        base.extend(load_dataset(data_dir, name).contents)
    if not unique:
        return list(islice(cycle(base), n_lines))  # no temporary copies: keeps the loading peak low
    digits = re.compile(r"\d{1,9}")
    out: list[str] = []
    for i in range(n_lines):
        line = base[i % len(base)]
        shift = i // len(base)
        out.append(digits.sub(lambda m, s=shift: str(int(m.group()) + s), line) if shift else line)
    return out


# --------------------------------------------------------------------------- tools


def _import_log_gardener():
    src = REPO_ROOT / "src"
    if src.is_dir() and str(src) not in sys.path:
        sys.path.insert(0, str(src))  # bench the working tree, installed or not
    from log_gardener.group import templates

    return templates


def drain3_masked_config():
    """Drain3 defaults (sim_th 0.4, depth 4, ...) plus the example drain3.ini [MASKING] list."""
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.masking_instructions = [MaskingInstruction(p, name) for p, name in DRAIN3_EXAMPLE_MASKING]
    return config


def drain3_tuned_config(setting: dict):
    """Drain3 with the Drain authors' per-dataset regexes (masked to <*>), st and depth."""
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.masking_instructions = [MaskingInstruction(p, "*") for p in setting["regex"]]
    config.drain_sim_th = float(setting["st"])
    config.drain_depth = int(setting["depth"])
    return config


def _mask_names_to_wildcard(config) -> Callable[[str], str]:
    """Replace Drain3's mask tokens (e.g. ``<NUM>``) in a template by ``<*>``."""
    names = sorted({mi.mask_with for mi in config.masking_instructions} | {"*"}, key=len, reverse=True)
    pattern = re.compile(
        re.escape(config.mask_prefix) + "(?:" + "|".join(map(re.escape, names)) + ")" + re.escape(config.mask_suffix)
    )
    return lambda template: pattern.sub(WILDCARD, template)


def run_log_gardener(contents: Sequence[str]) -> tuple[list[str], list[str], float]:
    templates = _import_log_gardener()
    t0 = time.perf_counter()
    result = templates.mine(contents)
    seconds = time.perf_counter() - t0
    return [sid for sid, _ in result], [tpl for _, tpl in result], seconds


def run_drain3(contents: Sequence[str], config) -> tuple[list[str], list[str], float]:
    from drain3 import TemplateMiner

    fix = _mask_names_to_wildcard(config)
    t0 = time.perf_counter()
    miner = TemplateMiner(persistence_handler=None, config=config)
    add = miner.add_log_message
    cluster_ids = [add(m)["cluster_id"] for m in contents]
    final = {c.cluster_id: c.get_template() for c in miner.drain.clusters}  # templates after the last line
    templates = [final[c] for c in cluster_ids]
    seconds = time.perf_counter() - t0
    return [str(c) for c in cluster_ids], [fix(t) for t in templates], seconds


# --------------------------------------------------------------------------- whole-process speed


def write_corpus(data_dir: Path, n_lines: int, path: Path) -> int:
    """The speed corpus as a file, one message per line; returns its distinct lines."""
    lines = large_input(data_dir, n_lines, unique=True)
    with path.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line.replace("\n", " ").replace("\r", " ") + "\n")
    return len(set(lines))


def timed_process(cmd: list[str], out_path: Path) -> dict:
    """Wall time and peak RSS of one process (its own rusage, from wait4), stdout to a file."""
    with out_path.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=REPO_ROOT / "bench")
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr}")
    rss = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": rss}


def speed_run(data_dir: Path, n_lines: int, workdir: Path) -> dict:
    """Run before this process loads anything: Linux keeps a process's peak RSS across exec, so a
    child forked from a large parent would report the parent's size. The corpus is written by a
    child for the same reason."""
    corpus = workdir / "corpus.txt"
    made = subprocess.run([sys.executable, __file__, "--write-corpus", str(corpus), "--lines", str(n_lines),
                           "--data", str(data_dir)], capture_output=True, text=True, check=True)
    distinct = int(made.stdout.strip().splitlines()[-1])
    cli = Path(sys.executable).with_name("log-gardener")
    lg_cmd = [str(cli)] if cli.exists() else [sys.executable, "-m", "log_gardener"]
    runs = {
        "log-gardener": timed_process([*lg_cmd, "templates", "-i", str(corpus)], workdir / "lg.jsonl"),
        "drain3-masked": timed_process([sys.executable, str(REPO_ROOT / "bench" / "drain3_templates.py"),
                                        str(corpus)], workdir / "drain3.jsonl"),
    }
    for tool, r in runs.items():
        out = workdir / ("lg.jsonl" if tool == "log-gardener" else "drain3.jsonl")
        with out.open("rb") as fh:
            r["lines_out"] = sum(1 for _ in fh)
        r["msgs_per_s"] = n_lines / r["seconds"]
    return {"lines": n_lines, "distinct_lines": distinct, "runs": runs,
            "speed_ratio_lg_over_drain3_masked": runs["drain3-masked"]["seconds"] / runs["log-gardener"]["seconds"]}


# --------------------------------------------------------------------------- held-out, labels, stability


def wrong_events(ds: Dataset, ids: Sequence[str], templates: Sequence[str]) -> list[dict]:
    """The true events whose lines are not exactly one predicted group: split, or merged with others."""
    members: dict[str, int] = Counter(ids)
    lines: dict[str, list[int]] = defaultdict(list)
    for i, event in enumerate(ds.event_ids):
        lines[event].append(i)
    out = []
    for event, idx in lines.items():
        groups = {ids[i] for i in idx}
        if len(groups) == 1 and members[ids[idx[0]]] == len(idx):
            continue
        out.append({"event": event, "lines": len(idx), "template": ds.templates[idx[0]],
                    "predicted": Counter(templates[i] for i in idx).most_common(3),
                    "split_into": len(groups), "merged_with_lines": sum(members[g] for g in groups) - len(idx)})
    return out


def heldout_scores(n_lines: int = 2000) -> dict[str, dict[str, float]]:
    """GA of log-gardener and drain3-masked on each synthetic held-out kind."""
    import heldout_templates as ht

    out: dict[str, dict[str, float]] = {}
    for kind in ht.KINDS:
        rows = ht.generate(kind, n_lines)
        msgs, labels, tpls = [m for m, _, _ in rows], [e for _, e, _ in rows], [t for _, _, t in rows]
        out[kind] = {}
        for tool, (ids, pred, _s) in (("log-gardener", run_log_gardener(msgs)),
                                      ("drain3-masked", run_drain3(msgs, drain3_masked_config()))):
            out[kind][tool] = evaluate(labels, tpls, ids, pred)["GA"]
    return out


def stability_figures(datasets: Sequence[Dataset]) -> dict[str, dict]:
    """Per dataset and mode (alone / carried): events in two windows or more, and those with one signature."""
    import stability as st

    out: dict[str, dict] = {}
    for ds in datasets:
        out[ds.name] = {}
        for mode in ("alone", "carried"):
            stable, seen, unstable = st.stability(ds.event_ids, st.mine_windows(ds.contents, mode == "carried"))
            out[ds.name][mode] = {"stable": stable, "seen": seen, "unstable": unstable}
    return out


# --------------------------------------------------------------------------- report


def _fmt_row(label: str, cells: Iterable[float]) -> str:
    parts = [f"{label:<10}"]
    cells = list(cells)
    for i in range(0, len(cells), 3):
        parts.append(" ".join(f"{c:5.3f}" for c in cells[i : i + 3]))
    return " | ".join(parts)


def print_accuracy_table(per_dataset: dict[str, dict[str, dict]], means: dict[str, dict[str, float]]) -> None:
    head1 = f"{'':<10} | " + " | ".join(f"{t:^17}" for t in TOOLS)
    head2 = f"{'dataset':<10} | " + " | ".join(f"{'GA':>5} {'FGA':>5} {'PA':>5}" for _ in TOOLS)
    rule = "-" * len(head1)
    print(head1)
    print(head2)
    print(rule)
    for name, tools in per_dataset.items():
        print(_fmt_row(name, [tools[t][m] for t in TOOLS for m in ("GA", "FGA", "PA")]))
    print(rule)
    print(_fmt_row("mean", [means[t][m] for t in TOOLS for m in ("GA", "FGA", "PA")]))


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="loghub2k folder (default: %(default)s)")
    ap.add_argument("--lines", type=int, default=1_000_000, help="size of the speed corpus (default 1,000,000)")
    ap.add_argument("--skip-large", action="store_true", help="skip the whole-process speed/memory run")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write all figures as JSON to PATH")
    ap.add_argument("--errors", action="store_true", help="list log-gardener's wrongly grouped events")
    ap.add_argument("--write-corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    data_dir: Path = args.data.resolve()
    if args.write_corpus:
        print(write_corpus(data_dir, args.lines, args.write_corpus))
        return 0

    import drain3  # noqa: F401  (fail early with a clear message when missing)

    started = time.perf_counter()
    speed = None
    if not args.skip_large:  # first, while this process is small (see speed_run)
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            speed = speed_run(data_dir, args.lines, Path(tmp))
    settings = load_settings(data_dir)
    datasets = [load_dataset(data_dir, name) for name in DATASETS]  # parsed before any timing

    print(f"Loghub-2k (corrected labels) from {data_dir}")
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"drain3 {_version('drain3')}; log-gardener {_version('log-gardener') or 'working tree'}"
    )
    print()

    per_dataset: dict[str, dict[str, dict]] = {}
    wrong: dict[str, list[dict]] = {}
    for ds in datasets:
        runs = {
            "log-gardener": run_log_gardener(ds.contents),
            "drain3-masked": run_drain3(ds.contents, drain3_masked_config()),
            "drain3-tuned": run_drain3(ds.contents, drain3_tuned_config(settings[ds.name])),
        }
        per_dataset[ds.name] = {}
        for tool, (ids, tpls, seconds) in runs.items():
            scores = evaluate(ds.event_ids, ds.templates, ids, tpls)
            scores["seconds"] = seconds
            scores["msgs_per_s"] = len(ds.contents) / seconds
            per_dataset[ds.name][tool] = scores
        wrong[ds.name] = wrong_events(ds, runs["log-gardener"][0], runs["log-gardener"][1])

    means = {
        tool: {
            m: _mean(per_dataset[d][tool][m] for d in per_dataset)
            for m in ("GA", "PGA", "RGA", "FGA", "PA", "msgs_per_s")
        }
        for tool in TOOLS
    }
    print_accuracy_table(per_dataset, means)
    halves = {
        half: {tool: {"mean": _mean(per_dataset[d][tool]["GA"] for d in names),
                      "min": min(per_dataset[d][tool]["GA"] for d in names)} for tool in TOOLS}
        for half, names in HALVES.items()
    }
    for half, names in HALVES.items():
        cells = ", ".join(f"{t} {halves[half][t]['mean']:.3f} (min {halves[half][t]['min']:.3f})" for t in TOOLS)
        print(f"GA {half} ({', '.join(names)}): {cells}")
    if args.errors:
        print("\nlog-gardener: the true events not grouped exactly (split over templates, or merged with others)")
        for name, events in wrong.items():
            for w in events:
                print(f"  {name} {w['event']} ({w['lines']} lines): {w['template'][:90]!r}: split into "
                      f"{w['split_into']}, merged with {w['merged_with_lines']} other lines; "
                      f"as {[t[:70] for t, _ in w['predicted']]}")
    print()
    held = heldout_scores()
    print("synthetic held-out formats (bench/heldout_templates.py, 2,000 lines each), GA:")
    print(f"  {'kind':<12} {'log-gardener':>12} {'drain3-masked':>13}")
    for kind, r in held.items():
        print(f"  {kind:<12} {r['log-gardener']:>12.3f} {r['drain3-masked']:>13.3f}")
    held_means = {t: _mean(r[t] for r in held.values()) for t in ("log-gardener", "drain3-masked")}
    held_min = {t: min(r[t] for r in held.values()) for t in ("log-gardener", "drain3-masked")}
    print(f"  {'mean':<12} {held_means['log-gardener']:>12.3f} {held_means['drain3-masked']:>13.3f}")
    print(f"  {'min':<12} {held_min['log-gardener']:>12.3f} {held_min['drain3-masked']:>13.3f}")

    print()
    stab = stability_figures(datasets)
    print("cross-window stability (4 windows; events in >= 2 windows keeping one signature):")
    stab_totals: dict[str, dict[str, float]] = {}
    for label, names in (*HALVES.items(), ("all", DATASETS)):
        stab_totals[label] = {}
        for mode in ("alone", "carried"):
            kept = sum(stab[d][mode]["stable"] for d in names)
            seen = sum(stab[d][mode]["seen"] for d in names)
            stab_totals[label][mode] = kept / seen
            stab_totals[label][f"{mode}_counts"] = [kept, seen]
        t = stab_totals[label]
        print(f"  {label:<4} alone {t['alone']:.3f} ({t['alone_counts'][0]}/{t['alone_counts'][1]}), "
              f"carried {t['carried']:.3f} ({t['carried_counts'][0]}/{t['carried_counts'][1]})")

    result: dict = {
        "data": str(data_dir),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "drain3": _version("drain3"),
        "datasets": per_dataset,
        "mean": means,
        "halves": halves,
        "wrong_events": wrong,
        "heldout": held,
        "stability": {"datasets": stab, "totals": stab_totals},
    }

    if speed is not None:
        print()
        print(f"speed, whole processes: {speed['lines']:,} lines ({speed['distinct_lines']:,} distinct: the ten "
              "datasets repeated, every number shifted per copy; lines without a number repeat)")
        for tool, r in speed["runs"].items():
            print(f"  {tool:<14} {r['seconds']:6.2f} s wall ({r['cpu_seconds']:.2f} s CPU)  "
                  f"{r['msgs_per_s']:>10,.0f} lines/s  peak RSS {r['peak_rss_mb']:7.1f} MB  "
                  f"({r['lines_out']:,} lines out)")
        print(f"  log-gardener / drain3-masked speed ratio: {speed['speed_ratio_lg_over_drain3_masked']:.2f}x")
        result["speed"] = speed

    elapsed = time.perf_counter() - started
    result["wall_seconds"] = elapsed
    print()
    print(f"total wall time: {elapsed:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"JSON written to {args.json}")
    return 0


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
