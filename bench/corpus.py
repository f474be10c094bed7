"""Classification benchmark: `log-gardener run` on the labelled corpus, scored against expect.json.

For every case folder (``export.*`` + ``expect.json``, format in ``tests/corpus/README.md``) it runs
``python -m log_gardener run -q -i EXPORT --dry-run`` in a fresh process (the working tree's ``src/``
first on the path, a temporary directory as the working directory so no rules file is picked up),
reads the ``--assignments`` rows (an entry is *selected* when it has a row) and the ``--json``
result, and reports:

* selection: precision and recall of the selected entries against ``want: select``;
* grouping, over the entries that should be and were selected: pairs with the same expected label
  split into different problems, and pairs with different labels merged into one problem;
* the ``problems`` checks (title substrings, allowed priorities, ``caused_by``), each pass or fail;
* the misclassified entries (insertId or line, want, got, the first 100 characters of the text).

    python bench/corpus.py                          # tests/corpus, and bench/corpus/heldout when present
    python bench/corpus.py tests/corpus/java        # one case (a case folder or a corpus folder)
    python bench/corpus.py --json /tmp/corpus.json  # also write every figure as JSON

It is a benchmark, not a test: it exits 0 when targets are missed, and 1 only when a case could not
be run at all (bad folder, the run failed, its outputs are missing).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = [REPO / "tests" / "corpus", REPO / "bench" / "corpus" / "heldout"]


# --------------------------------------------------------------------------- reading a case


def decode(raw: bytes) -> str:
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig", errors="replace")


def parse_entries(text: str) -> list[dict]:
    """The LogEntry objects of any export shape: array, JSON Lines, entries.list, objects back to back."""
    body = text.strip()
    if not body:
        return []
    try:
        doc = json.loads(body)
    except json.JSONDecodeError:
        doc = None
    if isinstance(doc, list):
        return [d for d in doc if isinstance(d, dict)]
    if isinstance(doc, dict):
        return doc.get("entries", [doc]) if "entries" in doc else [doc]
    out: list[dict] = []
    decoder = json.JSONDecoder()
    i = 0
    while i < len(body):
        obj, i = decoder.raw_decode(body, i)
        if isinstance(obj, dict):
            out.append(obj)
        while i < len(body) and body[i].isspace():
            i += 1
    return out


def entry_text(doc: dict) -> str:
    if "textPayload" in doc:
        return str(doc["textPayload"])
    if "jsonPayload" in doc:
        pay = doc["jsonPayload"]
        for key in ("message", "msg", "event"):
            if isinstance(pay, dict) and isinstance(pay.get(key), str):
                return pay[key]
        return json.dumps(pay, ensure_ascii=False)
    if "protoPayload" in doc:
        pay = doc["protoPayload"]
        status = pay.get("status") or {}
        return str(status.get("message") or pay.get("methodName") or "")
    http = doc.get("httpRequest") or {}
    return f"{http.get('requestMethod', '')} {http.get('requestUrl', '')} {http.get('status', '')}".strip()


def load_texts(export: Path) -> dict[str, str]:
    """Key (insertId, or L<n> for a text export) -> the entry's text, for the listings."""
    text = decode(export.read_bytes())
    if export.suffix == ".txt":
        return {f"L{n}": line for n, line in enumerate(text.splitlines(), 1)}
    return {str(d.get("insertId")): entry_text(d) for d in parse_entries(text)}


def find_cases(paths: list[Path]) -> list[Path]:
    cases: list[Path] = []
    for path in paths:
        if (path / "expect.json").is_file():
            cases.append(path)
        elif path.is_dir():
            cases.extend(sorted(p.parent for p in path.glob("*/expect.json")))
    return cases


# --------------------------------------------------------------------------- running and scoring


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


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(case: Path, expect: dict, rows: list[dict], result: dict, texts: dict[str, str]) -> dict:
    entries: dict[str, dict] = expect["entries"]
    got: dict[str, str] = {}
    unknown: list[str] = []
    for row in rows:
        key = str(row["insertId"]) if "insertId" in row else f"L{row['line']}" if "line" in row else None
        if key is None or key not in entries:
            unknown.append(str(row))
            continue
        got.setdefault(key, str(row.get("problem")))
    want = {k for k, lab in entries.items() if lab["want"] == "select"}
    sel = set(got)
    tp, fp, fn = len(want & sel), len(sel - want), len(want - sel)

    # grouping over entries that should be and were selected
    by_label: dict[str, Counter] = defaultdict(Counter)
    by_problem: dict[str, Counter] = defaultdict(Counter)
    for key in sorted(want & sel):
        label, problem = entries[key]["problem"], got[key]
        by_label[label][problem] += 1
        by_problem[problem][label] += 1
    n = tp
    same_label = sum(pairs(sum(c.values())) for c in by_label.values())
    same_both = sum(pairs(k) for c in by_label.values() for k in c.values())
    same_problem = sum(pairs(sum(c.values())) for c in by_problem.values())
    split_pairs = same_label - same_both
    merged_pairs = same_problem - same_both
    split_labels = {lab: dict(c) for lab, c in sorted(by_label.items()) if len(c) > 1}
    merged_problems = {p: dict(c) for p, c in sorted(by_problem.items()) if len(c) > 1}

    # problem checks
    problems = {p.get("id"): p for p in result.get("problems", [])}
    # the problem holding most of a label's entries answers for it; when several tie, the one that passes
    homes = {lab: sorted(p for p, k in c.items() if k == max(c.values())) for lab, c in by_label.items()}
    checks: list[dict] = []
    for label, check in expect.get("problems", {}).items():
        candidates = [problems[p] for p in homes.get(label, []) if p in problems]
        prob = _best(candidates, check, homes, problems)

        def record(kind: str, ok: bool, detail: str, label: str = label) -> None:
            checks.append({"label": label, "check": kind, "ok": ok, "detail": detail})

        if prob is None:
            for kind in ("title_has", "priority", "caused_by"):
                if kind in check:
                    record(kind, False, "no problem holds this label's entries")
            continue
        if "title_has" in check:
            missing = [s for s in check["title_has"] if s not in (prob.get("title") or "")]
            record("title_has", not missing, f"title {prob.get('title')!r}" + (f" lacks {missing}" if missing else ""))
        if "priority" in check:
            record("priority", prob.get("priority") in check["priority"],
                   f"{prob.get('priority')} (allowed {'/'.join(check['priority'])})")
        if "caused_by" in check:  # the labelled cause is on the chain above (the consequence lands on its issue)
            causes = homes.get(check["caused_by"], [])
            ok = bool(_chain(prob, problems) & set(causes))
            record("caused_by", ok, f"caused_by {prob.get('caused_by')}, want {'/'.join(causes) or '?'} "
                                    f"({check['caused_by']})")

    def listing(keys: set[str], kind: str) -> list[dict]:
        out = []
        for key in sorted(keys, key=lambda k: (k[0] != "L", int(k[1:]) if k[0] == "L" and k[1:].isdigit() else 0, k)):
            lab = entries[key]
            out.append({"key": key, "kind": kind, "want": lab["problem"] or "skip", "got": got.get(key, "-"),
                        "text": texts.get(key, "").replace("\n", "\\n")[:100]})
        return out

    return {
        "case": str(case.relative_to(REPO)) if case.is_relative_to(REPO) else str(case),
        "entries": len(entries), "want_select": len(want), "selected": len(sel), "tp": tp, "fp": fp, "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None,
        "grouped_entries": n, "same_label_pairs": same_label, "split_pairs": split_pairs,
        "different_label_pairs": pairs(n) - same_label, "merged_pairs": merged_pairs,
        "labels": len(by_label), "problems_found": len(by_problem),
        "split_labels": split_labels, "merged_problems": merged_problems,
        "checks": checks, "checks_passed": sum(c["ok"] for c in checks),
        "misclassified": listing(want - sel, "missed") + listing(sel - want, "extra"),
        "unknown_rows": unknown,
        "totals": result.get("totals", {}),
    }


# --------------------------------------------------------------------------- output


def _chain(prob: dict, problems: dict) -> set[str]:
    """The problems ``prob`` is a consequence of, directly or through others."""
    seen: set[str] = set()
    while prob.get("caused_by") and prob["caused_by"] not in seen and prob["caused_by"] in problems:
        seen.add(prob["caused_by"])
        prob = problems[prob["caused_by"]]
    return seen


def _passes(prob: dict, check: dict, homes: dict[str, list[str]], problems: dict) -> int:
    ok = all(s in (prob.get("title") or "") for s in check.get("title_has", ()))
    ok &= "priority" not in check or prob.get("priority") in check["priority"]
    ok &= "caused_by" not in check or bool(_chain(prob, problems) & set(homes.get(check["caused_by"], [])))
    return int(ok)


def _best(candidates: list[dict], check: dict, homes: dict[str, list[str]], problems: dict) -> dict | None:
    """Of the problems that tie for a label, the first that passes its checks (else the first)."""
    return max(candidates, key=lambda p: _passes(p, check, homes, problems), default=None)


def pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:5.1f}"


def print_case(r: dict, limit: int) -> None:
    print(f"\n== {r['case']}")
    if r.get("error"):
        print(f"   NOT RUN: {r['error']}")
        return
    print(f"   entries {r['entries']}, want select {r['want_select']}, selected {r['selected']}: "
          f"precision {pct(r['precision']).strip()}%, recall {pct(r['recall']).strip()}% "
          f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    print(f"   grouping: {r['split_pairs']}/{r['same_label_pairs']} same-label pairs split, "
          f"{r['merged_pairs']}/{r['different_label_pairs']} different-label pairs merged "
          f"({r['labels']} labels -> {r['problems_found']} problems)")
    for label, probs in r["split_labels"].items():
        print(f"     split  {label}: " + ", ".join(f"{p} x{n}" for p, n in probs.items()))
    for prob, labels in r["merged_problems"].items():
        print(f"     merged {prob}: " + ", ".join(f"{lab} x{n}" for lab, n in labels.items()))
    if r["checks"]:
        failed = [c for c in r["checks"] if not c["ok"]]
        print(f"   checks: {r['checks_passed']}/{len(r['checks'])} passed")
        for c in failed:
            print(f"     FAIL {c['label']} {c['check']}: {c['detail']}")
    if r["unknown_rows"]:
        print(f"   {len(r['unknown_rows'])} assignment rows name no entry of the case, e.g. {r['unknown_rows'][0]}")
    rows = r["misclassified"]
    if rows:
        shown = rows if limit <= 0 else rows[:limit]
        print(f"   misclassified ({len(rows)}):")
        width = max(len(m["key"]) for m in shown)
        for m in shown:
            print(f"     {m['key']:<{width}}  want {m['want']:<22} got {m['got']:<14} {m['text']}")
        if len(shown) < len(rows):
            print(f"     ... {len(rows) - len(shown)} more (--limit 0 shows all)")


def summarize(results: list[dict]) -> dict:
    ok = [r for r in results if not r.get("error")]
    if not ok:
        return {"cases": len(results), "cases_not_run": len(results), "entries": 0, "want_select": 0, "selected": 0,
                "tp": 0, "fp": 0, "fn": 0, "same_label_pairs": 0, "split_pairs": 0, "different_label_pairs": 0,
                "merged_pairs": 0, "checks_passed": 0, "checks": 0, "precision": None, "recall": None}
    tot = {k: sum(r[k] for r in ok) for k in ("entries", "want_select", "selected", "tp", "fp", "fn",
                                              "same_label_pairs", "split_pairs", "different_label_pairs",
                                              "merged_pairs", "checks_passed")}
    tot["checks"] = sum(len(r["checks"]) for r in ok)
    tot["precision"] = tot["tp"] / (tot["tp"] + tot["fp"]) if tot["tp"] + tot["fp"] else None
    tot["recall"] = tot["tp"] / (tot["tp"] + tot["fn"]) if tot["tp"] + tot["fn"] else None
    tot["cases"] = len(results)
    tot["cases_not_run"] = len(results) - len(ok)
    return tot


def row(name: str, r: dict, checks: int) -> str:
    return (f"{name:<44} {r['entries']:>7} {r['selected']:>4}/{r['want_select']:<4} {pct(r['precision'])}  "
            f"{pct(r['recall'])}  {r['split_pairs']:>6}  {r['merged_pairs']:>6}  {r['checks_passed']:>3}/{checks:<3}")


def print_table(results: list[dict], tot: dict) -> None:
    print(f"\n{'case':<44} entries    select  prec%   rec%   split  merged  checks")
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups[r["corpus"]].append(r)
        name = f"{r['corpus']}/{r['name']}"
        print(f"{name:<44} NOT RUN" if r.get("error") else row(name, r, len(r["checks"])))
    if len(groups) > 1:
        for corpus, members in groups.items():
            sub = summarize(members)
            print(row(f"subtotal {corpus}", sub, sub["checks"]))
    print(row("TOTAL", tot, tot["checks"]))
    print(f"\nselection: precision {pct(tot['precision']).strip()}%, recall {pct(tot['recall']).strip()}% over "
          f"{tot['entries']} entries ({tot['want_select']} to select); grouping: {tot['split_pairs']} of "
          f"{tot['same_label_pairs']} same-label pairs split, {tot['merged_pairs']} of {tot['different_label_pairs']} "
          f"different-label pairs merged; problem checks {tot['checks_passed']}/{tot['checks']}"
          + (f"; {tot['cases_not_run']} case(s) NOT RUN" if tot["cases_not_run"] else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, help="corpus or case folders (default: tests/corpus and, when it "
                    "exists, bench/corpus/heldout)")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument("--limit", type=int, default=0, help="misclassified entries listed per case (0: all)")
    args = ap.parse_args(argv)
    dirs = args.dirs or [d for d in DEFAULT_DIRS if d.exists()]
    cases = find_cases([d.resolve() for d in dirs])
    bad = [d for d in dirs if not d.exists()]
    if not cases or bad:
        print(f"no case found in {', '.join(map(str, bad or dirs))}", file=sys.stderr)
        return 1
    results: list[dict] = []
    t0 = time.perf_counter()
    for case in cases:
        exports = sorted(case.glob("export.*"))
        name = str(case.relative_to(REPO)) if case.is_relative_to(REPO) else str(case)
        where = {"corpus": case.parent.name, "name": case.name}
        if len(exports) != 1:
            results.append({"case": name, **where, "error": f"expected one export.* file, found {len(exports)}"})
            print_case(results[-1], args.limit)
            continue
        expect = json.loads((case / "expect.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
            rows, result, error = run_gardener(exports[0], Path(tmp))
        if error:
            results.append({"case": name, **where, "error": error})
        else:
            results.append({**where, **score(case, expect, rows, result, load_texts(exports[0]))})
        print_case(results[-1], args.limit)
    tot = summarize(results)
    print_table(results, tot)
    print(f"({len(cases)} cases in {time.perf_counter() - t0:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps({"total": tot, "cases": results}, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")
    return 1 if tot["cases_not_run"] else 0


if __name__ == "__main__":
    sys.exit(main())
