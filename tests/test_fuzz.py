"""Fuzzing the whole run with generated input: entries of every shape, payloads, stack traces,
encodings and plain garbage. Whatever comes in, no exception escapes, every entry is counted
once, and no secret planted in the input reaches any output."""

from __future__ import annotations

import codecs
import gzip
import json
import re
import sqlite3

import orjson
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from log_gardener.cli import main

# planted in the input; none may appear in any output (invented values)
SECRETS = {
    "aws": ("AKIAQ3FUZZEXAMPLE7XQ", "kT9vW2xY+fUzZ/s3cR3tK3yV4lu3ForFuzz0nLyX"),
    "password": ("password=", "Fuzz-Pa55w0rd-x9Q"),
    "github": ("token ", "ghp_FuzzT0k3nV4lu3F0rT3st1ngOnly00000001"),
    "url": ("postgres://app:", "Fuzz5ecretPw@db.internal:5432/x"),
}
SECRET_VALUES = ["kT9vW2xY+fUzZ/s3cR3tK3yV4lu3ForFuzz0nLyX", "Fuzz-Pa55w0rd-x9Q", "FuzzT0k3nV4lu3F0rT3st1ngOnly",
                 "Fuzz5ecretPw", "AKIAQ3FUZZEXAMPLE7XQ"]


def _secret_line(kind: str) -> str:
    if kind == "aws":
        key_id, secret = SECRETS["aws"]
        return f"S3 upload failed for key {key_id} secret {secret}"
    prefix, value = SECRETS[kind]
    return f"request failed {prefix}{value} retrying"


TRACES = [
    'Traceback (most recent call last):\n  File "/app/{w}.py", line {n}, in run\n    go()\n{E}Error: {w} {n}',
    "java.lang.IllegalStateException: {w} {n}\n\tat com.shop.{W}.run({W}.java:{n})\n"
    "\tat com.shop.Main.main(Main.java:3)",
    "panic: {w} {n}\n\ngoroutine 1 [running]:\nmain.{w}()\n\t/app/main.go:{n} +0x1d\nexit status 2",
    "TypeError: Cannot read properties of undefined (reading '{w}')\n    at {w} (/app/src/{w}.js:{n}:7)",
    "thread 'main' panicked at src/{w}.rs:{n}:5:\ncalled `Option::unwrap()` on a `None` value",
]

words = st.text(alphabet=st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=8)
nasty_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@st.composite
def messages(draw) -> str:
    kind = draw(st.sampled_from(["plain", "trace", "secret", "nasty", "level", "long", "surrogate"]))
    w, n = draw(words), draw(st.integers(0, 10**6))
    if kind == "trace":
        return draw(st.sampled_from(TRACES)).format(w=w, W=w.capitalize(), n=n, E=w.capitalize())
    if kind == "secret":
        return _secret_line(draw(st.sampled_from(sorted(SECRETS))))
    if kind == "nasty":
        return draw(nasty_text)
    if kind == "level":
        return f"{draw(st.sampled_from(['[ERROR]', 'ERROR', 'WARN', 'E1129', 'level=error', 'CRITICAL:']))} {w} {n}"
    if kind == "surrogate":
        return f"bad zq text {w}"
    if kind == "long":
        return draw(st.sampled_from(["a-", "1.", "x=", "'", "a@"])) * draw(st.integers(100, 3000))
    return f"{w} failed after {n} ms"


timestamps = st.one_of(
    st.integers(0, 10**9).map(lambda s: f"2026-03-01T{s % 24:02d}:{s % 60:02d}:{s % 59:02d}.{s % 10**6:06d}Z"),
    st.sampled_from(["", "garbage", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-13-45T99:99:99Z"]),
    st.integers(-(10**20), 10**20), st.sampled_from([10**310, -(10**310)]), st.floats(allow_nan=True), st.none(),
    st.fixed_dictionaries({"seconds": st.integers(-(10**12), 10**12), "nanos": st.integers(-5, 10**9)}),
)
severities = st.one_of(st.sampled_from(["DEFAULT", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "EMERGENCY",
                                        "warning", "bogus", ""]), st.integers(-1000, 10**6), st.none())


@st.composite
def log_entries(draw) -> object:
    shape = draw(st.sampled_from(["text", "json", "garbage", "array", "nested"]))
    msg = draw(messages())
    if shape == "garbage":
        return draw(st.one_of(st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3), st.none()))
    doc: dict = {"severity": draw(severities), "timestamp": draw(timestamps),
                 "resource": {"type": "cloud_run_revision", "labels": {"service_name": draw(words),
                                                                     "revision_name": draw(words)}}}
    if draw(st.booleans()):
        doc["insertId"] = draw(st.text(alphabet="abc123", min_size=1, max_size=4))
    if shape == "text":
        doc["textPayload"] = msg
    elif shape == "json":
        doc["jsonPayload"] = {"message": msg, "error": {"type": draw(words), "message": draw(words)}}
    elif shape == "array":
        doc["jsonPayload"] = {"message": [msg, draw(st.integers())]}
    else:  # nesting written as text by _encode: too deep for json.dumps and for Hypothesis' printer
        doc["jsonPayload"] = f"{NEST}{draw(st.sampled_from([1, 3, 40, 5000]))}"
    if draw(st.booleans()):
        doc["httpRequest"] = {"status": draw(st.one_of(st.integers(-10, 10**12), st.just(10**310),
                                                       st.text(max_size=4))),
                              "requestUrl": f"/api/{draw(words)}"}
    return doc


NEST = "__nest__"
_NESTED = re.compile(rf'"{NEST}(\d+)"')


def _dumps(doc: object) -> str:
    return _NESTED.sub(lambda m: '{"m": ' * int(m.group(1)) + '"deep"' + "}" * int(m.group(1)), json.dumps(doc))


def _encode(docs: list[object], layout: str) -> bytes:
    # the standard library writes what orjson refuses (integers past 64 bits: they occur in the wild)
    if layout == "jsonl":  # a lone surrogate escape in one line: valid JSON syntax, no valid text
        return b"".join(_dumps(d).encode().replace(b"zq", b"\\ud800") + b"\n" for d in docs)
    if layout == "array":
        return _dumps(docs).encode()
    if layout == "pages":  # an export in pages, a scalar in front: [1, [d0, d1, d2], [d3, ...], ...]
        return ("[1, " + ", ".join("[" + ", ".join(_dumps(d) for d in docs[i : i + 3]) + "]"
                                   for i in range(0, len(docs), 3)) + "]").encode()
    if layout == "blank-lead":  # more blank space than the format detection looks at, then JSON Lines
        return b" \n\t" * 30_000 + b"".join(_dumps(d).encode() + b"\n" for d in docs)
    if layout == "gzip-cut":  # cut inside the compressed data: what was decompressed before is kept
        blob = gzip.compress(b"".join(_dumps(d).encode() + b"\n" for d in docs))
        return blob[: max(12, len(blob) * 2 // 3)]
    if layout == "utf16":
        return codecs.BOM_UTF16_LE + _dumps(docs).encode("utf-16-le")
    if layout == "gzip":
        return gzip.compress(b"".join(_dumps(d).encode() + b"\n" for d in docs))
    # plain text: each message a line; invalid bytes in some
    lines = [(d.get("textPayload") or "x") if isinstance(d, dict) else str(d) for d in docs]
    return b"\n".join(line.replace("\n", " ").encode("utf-8", "surrogatepass") + b"\xff\xfe" * (i % 3 == 0)
                      for i, line in enumerate(lines)) + b"\n"


def _outputs(tmp) -> str:
    text = ""
    for path in tmp.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".json", ".jsonl"):
            text += path.read_text(encoding="utf-8", errors="replace")
    db = tmp / "state.db"
    if db.exists():
        con = sqlite3.connect(db)
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            text += repr(con.execute(f"SELECT * FROM {table}").fetchall())
        con.close()
    return text


RUNS = {"examples": 0}


@settings(max_examples=150, deadline=20_000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(log_entries(), min_size=1, max_size=40),
       st.sampled_from(["jsonl", "array", "utf16", "gzip", "text", "pages", "blank-lead", "gzip-cut"]), st.booleans())
def test_any_input_is_counted_once_never_crashes_and_leaks_no_secret(tmp_path_factory, docs, layout, dry):
    RUNS["examples"] += 1
    tmp = tmp_path_factory.mktemp("fuzz")
    src = tmp / ("in.jsonl.gz" if layout.startswith("gzip") else "in.log")
    src.write_bytes(_encode(docs, layout))
    args = ["run", "-i", str(src), "--json", str(tmp / "out.json"), "--state", str(tmp / "state.db"),
            "--worklog-dir", str(tmp / "wl"), "--assignments", str(tmp / "a.jsonl"), "-q"]
    result = CliRunner().invoke(main, [*args, *(["--dry-run"] if dry else [])])
    # a clear error (exit 2, one line) when nothing could be read; never an internal error
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 2:
        assert "Traceback" not in result.output and result.output.count("\n") <= 1
        return
    totals = orjson.loads((tmp / "out.json").read_bytes())["totals"]
    # every item read is in exactly one of these
    assert totals["read"] == (totals["selected"] + totals["below_severity"] + totals["outside_window"]
                              + totals["duplicates"] + totals["markers"] + totals["rejected"])
    if layout in ("jsonl", "gzip", "array", "blank-lead", "utf16"):
        assert totals["read"] == len(docs)  # every line or item is an entry or a counted reject
    if layout == "pages":  # the scalar in front is a counted reject; a page of scalars only is one value
        pages = [docs[i:i + 3] for i in range(0, len(docs), 3)]
        assert totals["read"] == 1 + sum(len(p) if any(isinstance(d, (dict, list)) for d in p) else 1
                                         for p in pages)
    leaked = [s for s in SECRET_VALUES if s in _outputs(tmp)]
    assert not leaked, leaked


def test_the_fuzzer_ran():
    # pytest runs the tests of a module in order: the one above has run its examples by now
    assert RUNS["examples"] >= 20
