"""Causal-link benchmark: `log-gardener run` on the causal scenarios, links scored against expect.json.

Every scenario folder holds ``export.*`` and ``expect.json`` (the labelled-corpus format plus ``"causal":
true``; see ``tests/causal/README.md``): each entry's problem label, and for each label its DIRECT true
cause (``caused_by``) or none (a root). For every scenario it runs ``python -m log_gardener run -q -i
EXPORT --dry-run`` in a fresh process (the working tree's ``src/`` first on the path, a temporary
working directory), reads the ``--assignments`` rows and the ``--json`` result, and scores the links:

* each label's *home* is the problem holding most of its entries (ties: the smallest problem id);
* a problem's *holder* is, among the labels whose home it is, the one with most entries in it; when it is
  no label's home, the label with most entries in it; when it holds no labelled entry, nobody
  ("unlabelled");
* a *predicted link* is label L -> holder(caused_by of home(L)); a link to L itself (its cause problem
  is a fragment of L) is not counted, only reported;
* a predicted link is *correct* when the cause's holder is L's true cause or an ancestor of it on the
  true chain (a consequence filed under any ancestor lands on the same issue);
* a label that shares its home with another label and is not its holder is *merged* (a grouping
  decision, not a link): it has no link of its own; merged into the problem of its true cause or an
  ancestor it counts as linked for recall (it lands on that issue), otherwise as missed;
* link precision = correct predicted links / predicted links; link recall = true links whose
  consequence is linked (or merged) to its true cause or an ancestor / true links;
* a *hidden root* is a true root linked under something, or merged into another label's problem: the
  worst error (a real problem hidden). Wrong links are annotated "same incident" (the predicted cause is
  on the same true tree but not an ancestor) or "reversed" (the predicted cause is a true consequence).

    python bench/causality.py                          # tests/causal, and bench/causal/heldout when present
    python bench/causality.py tests/causal/twelve-once # one scenario (a scenario or a folder of them)
    python bench/causality.py --json /tmp/causal.json  # also write every figure as JSON

It is a benchmark, not a test: it exits 0 when links are wrong or missed, and 1 only when a scenario
could not be run (bad folder, the run failed, its outputs are missing).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = [REPO / "tests" / "causal", REPO / "bench" / "causal" / "heldout"]


# --------------------------------------------------------------------------- reading and running


def find_cases(paths: list[Path]) -> list[Path]:
    cases: list[Path] = []
    for path in paths:
        if (path / "expect.json").is_file():
            cases.append(path)
        elif path.is_dir():
            cases.extend(sorted(p.parent for p in path.glob("*/expect.json")))
    return cases


def run_gardener(export: Path, work: Path) -> tuple[list[dict], dict, str | None]:
    cmd = [sys.executable, "-m", "log_gardener", "run", "-q", "-i", str(export), "--dry-run",
           "--state", str(work / "state.db"), "--worklog", str(work / "worklog.md"),
           "--json", str(work / "result.json"), "--assignments", str(work / "assignments.jsonl")]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        return [], {}, "timed out"
    if proc.returncode != 0:
        return [], {}, f"exit {proc.returncode}: {(proc.stderr or proc.stdout).strip()[-400:]}"
    try:
        rows = [json.loads(line) for line in (work / "assignments.jsonl").read_text().splitlines() if line.strip()]
        result = json.loads((work / "result.json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        return [], {}, f"unreadable output: {exc}"
    return rows, result, None


# --------------------------------------------------------------------------- truth


def true_causes(expect: dict) -> dict[str, str | None]:
    """label -> its direct true cause (None for a root), for every label of the scenario."""
    labels = sorted({lab["problem"] for lab in expect["entries"].values() if lab.get("problem")}
                    | set(expect.get("problems", {})))
    return {label: (expect.get("problems", {}).get(label) or {}).get("caused_by") for label in labels}


def ancestors(label: str, cause: dict[str, str | None]) -> list[str]:
    """The true chain above ``label``: its direct cause first, then the cause's cause, ..."""
    out: list[str] = []
    cur = cause.get(label)
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cause.get(cur)
    return out


def root_of(label: str, cause: dict[str, str | None]) -> str:
    chain = ancestors(label, cause)
    return chain[-1] if chain else label


# --------------------------------------------------------------------------- scoring


def score(case: Path, expect: dict, rows: list[dict], result: dict) -> dict:
    entries: dict[str, dict] = expect["entries"]
    cause = true_causes(expect)
    got: dict[str, str] = {}
    unknown = 0
    for row in rows:
        key = str(row["insertId"]) if "insertId" in row else f"L{row['line']}" if "line" in row else None
        if key is None or key not in entries:
            unknown += 1
            continue
        got.setdefault(key, str(row.get("problem")))

    by_label: dict[str, Counter] = defaultdict(Counter)
    by_problem: dict[str, Counter] = defaultdict(Counter)
    for key in sorted(got):
        label = entries[key].get("problem")
        if label:
            by_label[label][got[key]] += 1
            by_problem[got[key]][label] += 1

    def best(counter: Counter, among: list[str] | None = None) -> str | None:
        keys = sorted(k for k in counter if among is None or k in among)
        return max(keys, key=lambda k: counter[k], default=None)  # max keeps the first (smallest) of equals

    home = {label: best(c) for label, c in sorted(by_label.items())}
    homes_of: dict[str, list[str]] = defaultdict(list)
    for label, prob in sorted(home.items()):
        homes_of[prob].append(label)

    def holder(prob: str | None) -> str | None:
        if prob is None or prob not in by_problem:
            return None
        return best(by_problem[prob], homes_of.get(prob)) if homes_of.get(prob) else best(by_problem[prob])

    problems = {str(p.get("id")): p for p in result.get("problems", [])}

    def describe(prob: str | None) -> dict:
        p = problems.get(prob or "", {})
        return {"id": prob, "title": p.get("title"), "priority": p.get("priority"),
                "cause_reason": p.get("cause_reason")}

    links: list[dict] = []
    for label in sorted(cause):
        truth = cause[label]
        prob = home.get(label)
        pred_prob = problems.get(prob or "", {}).get("caused_by") if prob else None
        pred_prob = str(pred_prob) if pred_prob else None
        pred = holder(pred_prob) if pred_prob else None
        chain = ancestors(label, cause)
        rec: dict = {"label": label, "true_cause": truth, "true_chain": chain, "home": describe(prob),
                     "found": prob is not None, "predicted_problem": pred_prob, "predicted": None,
                     "kind": None}
        owner = holder(prob)
        if prob is not None and owner != label:
            rec["kind"] = "merged"
            rec["merged_into"] = owner
            rec["hidden_root"] = truth is None
            if truth is not None:
                rec["recall_hit"] = owner in chain
                if not rec["recall_hit"]:
                    rec["missed"] = f"merged into {owner}'s problem, not an ancestor"
            links.append(rec)
            continue
        if pred_prob is not None:
            rec["predicted"] = pred if pred is not None else f"(unlabelled {pred_prob})"
            rec["cause"] = describe(pred_prob)
        if pred_prob is not None and pred == label:
            rec["kind"] = "self"
        elif pred_prob is not None:
            rec["kind"] = "correct" if pred in chain else "wrong"
            if rec["kind"] == "wrong":
                notes = []
                if pred is not None and truth is not None and root_of(pred, cause) == root_of(label, cause):
                    notes.append(f"same incident (both under {root_of(label, cause)}), not an ancestor")
                if pred is not None and label in ancestors(pred, cause):
                    notes.append("reversed: the predicted cause is a true consequence of this label")
                rec["note"] = "; ".join(notes)
        rec["hidden_root"] = truth is None and rec["kind"] in ("correct", "wrong")
        if truth is not None:
            rec["recall_hit"] = rec["kind"] == "correct"
            if rec["kind"] != "correct":
                rec["missed"] = ("consequence not found (none of its entries selected)" if prob is None else
                                 "not linked" if pred_prob is None else
                                 "linked to a fragment of itself" if rec["kind"] == "self" else
                                 f"linked to {rec['predicted']} instead")
        links.append(rec)

    predicted = [r for r in links if r["kind"] in ("correct", "wrong")]
    correct = [r for r in predicted if r["kind"] == "correct"]
    true_links = [r for r in links if r["true_cause"] is not None]
    hits = [r for r in true_links if r.get("recall_hit")]
    return {
        "case": str(case.relative_to(REPO)) if case.is_relative_to(REPO) else str(case),
        "labels": len(cause), "roots": sum(1 for v in cause.values() if v is None), "true_links": len(true_links),
        "found_labels": sum(1 for r in links if r["found"]),
        "predicted": len(predicted), "correct": len(correct), "wrong": len(predicted) - len(correct),
        "missed": len(true_links) - len(hits), "hits": len(hits),
        "hidden_roots": sum(1 for r in links if r["hidden_root"]),
        "self_links": sum(1 for r in links if r["kind"] == "self"),
        "merged": sum(1 for r in links if r["kind"] == "merged"),
        "merged_hits": sum(1 for r in links if r["kind"] == "merged" and r.get("recall_hit")),
        "precision": len(correct) / len(predicted) if predicted else None,
        "recall": len(hits) / len(true_links) if true_links else None,
        "unknown_rows": unknown, "links": links,
    }


# --------------------------------------------------------------------------- output


def pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:5.1f}"


def short(p: dict | None) -> str:
    if not p or not p.get("id"):
        return "-"
    title = (p.get("title") or "").replace("\n", " ")
    return f"{p['id']} {title[:70]!r}"


def print_case(r: dict) -> None:
    print(f"\n== {r['case']}")
    if r.get("error"):
        print(f"   NOT RUN: {r['error']}")
        return
    print(f"   {r['labels']} labels ({r['roots']} roots, {r['true_links']} true links), {r['found_labels']} found; "
          f"predicted links {r['predicted']}: {r['correct']} correct, {r['wrong']} wrong; recall "
          f"{r['hits']}/{r['true_links']}; hidden roots {r['hidden_roots']}"
          + (f"; merged labels {r['merged']}" if r["merged"] else "")
          + (f"; self links {r['self_links']}" if r["self_links"] else ""))
    for rec in r["links"]:
        if rec["kind"] == "merged":
            verdict = ("HIDES A ROOT" if rec["hidden_root"] else
                       "its true cause or an ancestor: counts as linked" if rec.get("recall_hit") else
                       "not an ancestor: counts as missed")
            print(f"   MERGED      {rec['label']} into {rec['merged_into']}'s problem {short(rec['home'])}: {verdict}")
    for rec in r["links"]:
        if rec["kind"] == "wrong":
            tag = "HIDDEN ROOT" if rec["hidden_root"] else "WRONG"
            want = rec["true_cause"] or "none: a root"
            print(f"   {tag:<11} {rec['label']} -> {rec['predicted']} (true cause: {want})"
                  + (f"  [{rec['note']}]" if rec.get("note") else ""))
            print(f"               problem {short(rec['home'])}")
            print(f"               under   {short(rec.get('cause'))}")
            print(f"               cause_reason: {rec['home'].get('cause_reason')}")
    for rec in r["links"]:
        if rec.get("missed"):
            print(f"   MISSED      {rec['label']} -> {rec['true_cause']}: {rec['missed']}")
            if rec["found"]:
                print(f"               problem {short(rec['home'])}")
                if rec.get("cause"):
                    print(f"               under   {short(rec.get('cause'))}")
                    print(f"               cause_reason: {rec['home'].get('cause_reason')}")
    for rec in r["links"]:
        if rec["kind"] == "self":
            print(f"   self link   {rec['label']} -> a fragment of itself ({rec['predicted_problem']})")


def summarize(results: list[dict]) -> dict:
    ok = [r for r in results if not r.get("error")]
    keys = ("labels", "roots", "true_links", "found_labels", "predicted", "correct", "wrong", "missed", "hits",
            "hidden_roots", "self_links", "merged", "merged_hits")
    tot = {k: sum(r[k] for r in ok) for k in keys}
    tot["precision"] = tot["correct"] / tot["predicted"] if tot["predicted"] else None
    tot["recall"] = tot["hits"] / tot["true_links"] if tot["true_links"] else None
    tot["cases"] = len(results)
    tot["cases_not_run"] = len(results) - len(ok)
    return tot


def row(name: str, r: dict, width: int = 42) -> str:
    return (f"{name:<{width}} {r['labels']:>6} {r['true_links']:>5} {r['predicted']:>5} {r['correct']:>7} "
            f"{r['wrong']:>5} {r['missed']:>6} {r['merged']:>6} {r['hidden_roots']:>6}  {pct(r['precision'])}  "
            f"{pct(r['recall'])}")


def print_table(results: list[dict], tot: dict) -> None:
    width = max([42, *(len(f"{r['corpus']}/{r['name']}") for r in results)])
    print(f"\n{'scenario':<{width}} labels links  pred correct wrong missed merged hidden  prec%   rec%")
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups[r["corpus"]].append(r)
        name = f"{r['corpus']}/{r['name']}"
        print(f"{name:<{width}} NOT RUN" if r.get("error") else row(name, r, width))
    if len(groups) > 1:
        for corpus, members in sorted(groups.items()):
            print(row(f"subtotal {corpus}", summarize(members), width))
    print(row("TOTAL", tot, width))
    print(f"\nlinks: precision {pct(tot['precision']).strip()}% ({tot['correct']}/{tot['predicted']} predicted links "
          f"correct), recall {pct(tot['recall']).strip()}% ({tot['hits']}/{tot['true_links']} true links found, "
          f"{tot['merged_hits']} of them by a grouping merge into the cause); hidden roots {tot['hidden_roots']} of "
          f"{tot['roots']} roots"
          + (f"; {tot['cases_not_run']} scenario(s) NOT RUN" if tot["cases_not_run"] else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, help="scenario folders or folders of scenarios (default: "
                    "tests/causal and, when it exists, bench/causal/heldout)")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    args = ap.parse_args(argv)
    dirs = args.dirs or [d for d in DEFAULT_DIRS if d.exists()]
    bad = [d for d in dirs if not d.exists()]
    cases = find_cases([d.resolve() for d in dirs])
    if not cases or bad:
        print(f"no scenario found in {', '.join(map(str, bad or dirs))}", file=sys.stderr)
        return 1
    results: list[dict] = []
    t0 = time.perf_counter()
    for case in cases:
        exports = sorted(case.glob("export.*"))
        name = str(case.relative_to(REPO)) if case.is_relative_to(REPO) else str(case)
        where = {"corpus": case.parent.name, "name": case.name}
        try:
            expect = json.loads((case / "expect.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            results.append({"case": name, **where, "error": f"unreadable expect.json: {exc}"})
            print_case(results[-1])
            continue
        if len(exports) != 1:
            results.append({"case": name, **where, "error": f"expected one export.* file, found {len(exports)}"})
        elif not expect.get("causal"):
            results.append({"case": name, **where, "error": "expect.json is not causal (no \"causal\": true)"})
        else:
            with tempfile.TemporaryDirectory(prefix="causal-") as tmp:
                rows, result, error = run_gardener(exports[0], Path(tmp))
            results.append({"case": name, **where, "error": error} if error else
                           {**where, **score(case, expect, rows, result)})
        print_case(results[-1])
    tot = summarize(results)
    print_table(results, tot)
    print(f"({len(cases)} scenarios in {time.perf_counter() - t0:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps({"total": tot, "cases": results}, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")
    return 1 if tot["cases_not_run"] else 0


if __name__ == "__main__":
    sys.exit(main())
