"""The labelled development corpus (tests/corpus): one Cloud Run export per stack, written from each
framework's documented output. Every entry says whether an on-call engineer would call it a warning or
an error, and which problem it belongs to (tests/corpus/README.md)."""

import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.model import ReadStats
from log_gardener.sources import iter_entries

CORPUS = Path(__file__).parent / "corpus"
OWN_LINE = re.compile(r"\[?\d{4}-\d\d-\d\d[T ]\d\d:|\[?\d\d:\d\d:\d\d|[A-Z]{4,8}[:\]] ")
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.json").is_file())


def export_of(case: str) -> Path:
    return next(p for p in (CORPUS / case).iterdir() if p.name.startswith("export."))


def key_of(row: dict) -> str:
    return row["insertId"] if "insertId" in row else f"L{row['line']}"


def run_case(case: str, tmp_path: Path) -> tuple[dict, dict[str, str], dict]:
    export = export_of(case)
    out, assign = tmp_path / "r.json", tmp_path / "a.jsonl"
    result = CliRunner().invoke(main, ["run", "-q", "-i", str(export), "--dry-run", "--state", str(tmp_path / "g.db"),
                                       "--worklog", str(tmp_path / "w.md"), "--json", str(out),
                                       "--assignments", str(assign)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(line) for line in assign.read_bytes().splitlines()]
    expect = orjson.loads((CORPUS / case / "expect.json").read_bytes())
    return orjson.loads(out.read_bytes()), {key_of(r): r["problem"] for r in rows}, expect


def test_the_corpus_has_every_stack_the_issue_names():
    assert {"python-logging", "uvicorn-gunicorn", "node-plain", "nestjs", "java", "go", "ruby", "dotnet", "php",
            "structured-json", "midline-levels", "split-trace", "powershell-utf16", "cloudrun-platform",
            "negatives"} <= set(CASES)
    assert export_of("powershell-utf16").read_bytes()[:2] == b"\xff\xfe"  # UTF-16LE with a BOM, as PowerShell writes


@pytest.mark.parametrize("case", CASES)
def test_every_warning_and_error_is_selected_and_nothing_else(case, tmp_path):
    _, assigned, expect = run_case(case, tmp_path)
    want = {k for k, v in expect["entries"].items() if v["want"] == "select"}
    assert set(assigned) == want, {"missed": sorted(want - set(assigned)), "extra": sorted(set(assigned) - want)}


@pytest.mark.parametrize("case", CASES)
def test_the_problems_found_are_the_labelled_ones(case, tmp_path):
    doc, assigned, expect = run_case(case, tmp_path)
    problems = {p["id"]: p for p in doc["problems"]}
    by_label: dict[str, Counter] = defaultdict(Counter)
    for key, label in expect["entries"].items():
        if label["problem"] and key in assigned:
            by_label[label["problem"]][assigned[key]] += 1
    # the problem that holds most of a label's entries (all of them, when they tie) answers for it
    holders = {label: [pid for pid, n in counts.items() if n == max(counts.values())]
               for label, counts in by_label.items()}

    def holds(label: str, ok) -> bool:
        return any(ok(problems[pid]) for pid in holders[label])

    for label, check in expect.get("problems", {}).items():
        for text in check.get("title_has", ()):
            assert holds(label, lambda p, text=text: text in p["title"]), (label, text)
        if "priority" in check:
            assert holds(label, lambda p, check=check: p["priority"] in check["priority"]), label
        if "caused_by" in check:  # the labelled cause is on the chain above it (it lands on that issue)
            causes = set(holders[check["caused_by"]])
            assert holds(label, lambda p, causes=causes: bool(chain_above(p, problems) & causes)), label


def chain_above(p: dict, problems: dict[str, dict]) -> set[str]:
    """The problems a problem is a consequence of, directly or through others."""
    seen: set[str] = set()
    while p["caused_by"] and p["caused_by"] not in seen:
        seen.add(p["caused_by"])
        p = problems[p["caused_by"]]
    return seen


@pytest.mark.parametrize("case", CASES)
def test_the_lines_of_one_write_are_one_problem(case, tmp_path):
    """Consecutive entries of one stream with the same label, each within 50 ms of the last (a stack
    printed one line per entry, a JSON document over several lines): reassembled, one problem."""
    _, assigned, expect = run_case(case, tmp_path)
    entries = list(iter_entries([str(export_of(case))], ReadStats()))
    streams: dict[tuple, list] = defaultdict(list)
    for e in entries:
        streams[(e.instance, e.log_name, e.origin.source if e.timestamp is None else "")].append(e)
    checked = 0
    for items in streams.values():
        items.sort(key=lambda e: (e.timestamp.timestamp() if e.timestamp else 0.0, e.origin.line or 0))
        for a, b in itertools.pairwise(items):
            ka, kb = a.insert_id or f"L{a.origin.line}", b.insert_id or f"L{b.origin.line}"
            la, lb = expect["entries"][ka]["problem"], expect["entries"][kb]["problem"]
            if la is None or la != lb or ka not in assigned or OWN_LINE.match(b.text):
                continue  # b is a log call of its own (its own time or level): grouping, not reassembly
            close = (a.timestamp is None and b.origin.line == a.origin.line + 1) or (
                a.timestamp is not None and (b.timestamp - a.timestamp).total_seconds() <= 0.05)
            if close:
                checked += 1
                assert assigned[ka] == assigned[kb], (case, ka, kb, la)
    assert checked or case in ("negatives", "powershell-utf16", "cloudrun-platform")


def test_a_traceback_and_its_exception_line_logged_a_second_later_are_one_event(tmp_path):
    doc, assigned, expect = run_case("split-trace", tmp_path)
    keys = [k for k, v in expect["entries"].items() if v["problem"] == "price-valueerror"]
    heads = [k for k in keys if k in assigned]
    assert len(heads) == len(keys) == 4  # two heads, two exception lines, on two instances
    titles = {p["id"]: p["title"] for p in doc["problems"]}
    for k in keys:
        assert titles[assigned[k]].startswith("ValueError: could not convert string to float")
