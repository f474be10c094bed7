"""Input encodings (UTF-8/16/32, with or without a BOM) and CRLF line ends, in every format.

The case that matters most: ``gcloud logging read --format=json > export.json`` in
Windows PowerShell writes UTF-16LE with a BOM and CRLF line ends. All fixtures are
synthetic Cloud Run entries built here; each encoded input is checked against the
reading of the same data in UTF-8.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import sys
import zipfile
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.model import ReadStats, Severity
from log_gardener.sources import iter_entries
from log_gardener.sources.files import CHUNK

from factory import crash_loop, to_log_entry

INSTANCE = "00ab" + "e" * 60
BOMS = {
    "utf-8-sig": b"",  # the codec writes its own BOM
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
NON_ASCII = "café crème — 日本語のログ 😀 done"


# ------------------------------------------------------------------ helpers


def run_entry(i: int, text: str | None = None, severity: str = "ERROR") -> dict:
    """A Cloud Run LogEntry as gcloud prints it (invented content)."""
    return {
        "insertId": f"77e0{i:08d}",
        "labels": {"instanceId": INSTANCE},
        "logName": "projects/demo-proj/logs/run.googleapis.com%2Fstderr",
        "receiveTimestamp": f"2026-03-01T12:{i // 60 % 60:02d}:{i % 60:02d}.700000Z",
        "resource": {
            "labels": {
                "configuration_name": "shop-api",
                "location": "europe-west1",
                "project_id": "demo-proj",
                "revision_name": "shop-api-00010-aaa",
                "service_name": "shop-api",
            },
            "type": "cloud_run_revision",
        },
        "severity": severity,
        "textPayload": text if text is not None else f"payment step {i} failed",
        "timestamp": f"2026-03-01T12:{i // 60 % 60:02d}:{i % 60:02d}.123456Z",
    }


def gcloud_text(entries: list[dict]) -> str:
    """gcloud's --format=json output as PowerShell writes it: a pretty array, CRLF line ends."""
    return json.dumps(entries, indent=2, sort_keys=True).replace("\n", "\r\n") + "\r\n"


def jsonl_text(entries: list[dict], eol: str = "\n") -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + eol for e in entries)


def encode(text: str, encoding: str, bom: bool = True) -> bytes:
    return (BOMS[encoding] if bom else b"") + text.encode(encoding)


def read(path: str | Path, fmt: str | None = None):
    stats = ReadStats()
    return list(iter_entries([str(path)], stats, fmt)), stats


def summary(entries) -> list[tuple]:
    return [(e.insert_id, e.text, e.timestamp, e.severity, e.declared_severity, e.instance) for e in entries]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def run_cli(tmp_path: Path, name: str, *args: str, input: bytes | None = None) -> tuple[dict, str]:
    """``log-gardener run --dry-run --json OUT``: the JSON document and the worklog."""
    out, worklog = tmp_path / f"{name}.json", tmp_path / f"{name}.md"
    result = invoke("run", "--dry-run", "--state", str(tmp_path / f"{name}.db"), "--worklog", str(worklog),
                    "--json", str(out), *args, input=input)
    assert result.exit_code == 0, result.output
    return orjson.loads(out.read_bytes()), worklog.read_text(encoding="utf-8")


def problems(doc: dict) -> list[tuple]:
    return sorted((p["id"], p["title"], p["count"], p["severity"], p["first_seen"], p["last_seen"])
                  for p in doc["problems"])


# ------------------------------------------------- the PowerShell export


def test_powershell_utf16le_gcloud_array_reads_like_utf8(tmp_path):
    entries = [run_entry(i) for i in range(40)]
    entries[3] = run_entry(3, NON_ASCII)
    entries[7] = run_entry(7, "Traceback (most recent call last):\n  File \"/app/pay.py\", line 3\nKeyError: 'x'")
    entries[9] = run_entry(9, "retrying", severity="WARNING")
    text = gcloud_text(entries)
    utf8 = write(tmp_path, "utf8.json", text.encode())
    ps = write(tmp_path, "export.json", encode(text, "utf-16-le"))
    assert ps.read_bytes()[:4] == b"\xff\xfe[\x00"  # what PowerShell's ">" writes
    expected, base = read(utf8)
    assert len(expected) == 40 and base.rejected == 0
    for fmt in (None, "json-array"):
        got, stats = read(ps, fmt)
        assert (stats.read, stats.rejected) == (40, 0), stats.rejects
        assert summary(got) == summary(expected)
        assert stats.formats[str(ps)] == "json-array (utf-16-le)"
        # offsets are those of the UTF-8 text (after the BOM): each points at its item's "{"
        assert [e.origin.offset for e in got] == [e.origin.offset for e in expected]
        assert all(text.encode()[e.origin.offset : e.origin.offset + 1] == b"{" for e in got)
    assert got[3].text == NON_ASCII
    assert got[9].severity is Severity.WARNING


def test_cli_reads_powershell_export_with_and_without_forced_format(tmp_path):
    docs = [to_log_entry(e) for e in crash_loop(3)]
    text = gcloud_text(docs)
    utf8 = write(tmp_path, "utf8.json", text.encode())
    ps = write(tmp_path, "export.json", encode(text, "utf-16-le"))
    base, _ = run_cli(tmp_path, "base", "-i", str(utf8))
    assert base["totals"]["read"] == len(docs) and base["problems"]
    for name, extra in (("detected", ()), ("forced", ("--format", "json-array"))):
        doc, worklog = run_cli(tmp_path, name, "-i", str(ps), *extra)
        assert doc["totals"]["read"] == len(docs)
        assert doc["totals"]["rejected"] == 0 and doc["rejects"] == []
        assert doc["totals"]["selected"] == base["totals"]["selected"]
        assert problems(doc) == problems(base)
        assert "(json-array (utf-16-le))" in worklog  # the processing summary names the encoding


def test_cli_stdin_in_utf16(tmp_path):
    docs = [to_log_entry(e) for e in crash_loop(2)]
    text = gcloud_text(docs)
    base, _ = run_cli(tmp_path, "base", "-i", "-", input=text.encode())
    doc, worklog = run_cli(tmp_path, "stdin", "-i", "-", input=encode(text, "utf-16-le"))
    assert (doc["totals"]["read"], doc["totals"]["rejected"]) == (len(docs), 0)
    assert problems(doc) == problems(base)
    assert "`<stdin>` (json-array (utf-16-le))" in worklog


# ---------------------------------------------------------- other encodings


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_encodings_with_bom(tmp_path, encoding):
    entries = [run_entry(i, f"{NON_ASCII} #{i}") for i in range(12)]
    text = gcloud_text(entries)
    expected, _ = read(write(tmp_path, "utf8.json", text.encode()))
    path = write(tmp_path, "export.json", encode(text, encoding))
    label = "json-array" if encoding == "utf-8-sig" else f"json-array ({encoding})"
    for fmt in (None, "json-array"):
        got, stats = read(path, fmt)
        assert (stats.read, stats.rejected) == (12, 0)
        assert summary(got) == summary(expected)
        assert stats.formats[str(path)] == label
    assert got[5].text == f"{NON_ASCII} #5"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_jsonl_is_detected(tmp_path, encoding):
    entries = [run_entry(i) for i in range(10)]
    entries[4] = run_entry(4, NON_ASCII)
    path = write(tmp_path, "sink.json", encode(jsonl_text(entries, "\r\n"), encoding, bom=False))
    got, stats = read(path)
    assert stats.formats[str(path)] == f"jsonl ({encoding})"
    assert (stats.read, stats.rejected) == (10, 0)
    assert [e.insert_id for e in got] == [e["insertId"] for e in entries]
    assert [e.origin.line for e in got] == list(range(1, 11))
    assert got[4].text == NON_ASCII


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_text_is_detected(tmp_path, encoding):
    lines = ["[2026-03-01 12:00:00 +0000] [7] [INFO] Booting worker", "", "ERROR: échec du paiement 日本",
             "WARNING:  pool full"]
    path = write(tmp_path, "app.log", encode("\r\n".join(lines) + "\r\n", encoding, bom=False))
    got, stats = read(path)
    assert stats.formats[str(path)] == f"text ({encoding})"
    assert [e.text for e in got] == [line for line in lines if line]
    assert [e.origin.line for e in got] == [1, 3, 4]
    expected, _ = read(write(tmp_path, "utf8.log", "\n".join(lines).encode()))
    assert summary(got) == summary(expected)
    assert got[1].severity is Severity.ERROR


def test_gzip_of_utf16_file(tmp_path):
    entries = [run_entry(i, f"{NON_ASCII} {i}") for i in range(300)]
    text = gcloud_text(entries)
    expected, _ = read(write(tmp_path, "utf8.json", text.encode()))
    path = write(tmp_path, "export.json.gz", gzip.compress(encode(text, "utf-16-le")))
    got, stats = read(path)
    assert stats.formats[str(path)] == "json-array (utf-16-le)"
    assert (stats.read, stats.rejected) == (300, 0)
    assert summary(got) == summary(expected)


def test_bom_only_file_is_empty(tmp_path):
    path = write(tmp_path, "empty.json", codecs.BOM_UTF16_LE + "\r\n".encode("utf-16-le"))
    got, stats = read(path)
    assert got == [] and stats.rejected == 0
    assert stats.formats[str(path)] == "empty (utf-16-le)"


# ------------------------------------------------------------------- CRLF


def concatenated_text(entries: list[dict], eol: str) -> str:
    """A Logs Explorer copy: pretty objects back to back, payload first."""
    objs = [{"textPayload": e["textPayload"], **{k: v for k, v in e.items() if k != "textPayload"}} for e in entries]
    return (eol + eol).join(json.dumps(o, indent=2, ensure_ascii=False).replace("\n", eol) for o in objs) + eol


def document_text(entries: list[dict], eol: str) -> str:
    doc = {"fetch_time": "2026-03-01T12:05:00", "total_logs": len(entries), "raw_logs": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False).replace("\n", eol)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
@pytest.mark.parametrize(
    "kind, render",
    [
        ("json-array", gcloud_text),
        ("jsonl", lambda es: jsonl_text(es, "\r\n")),
        ("concatenated", lambda es: concatenated_text(es, "\r\n")),
        ("document", lambda es: document_text(es, "\r\n")),
    ],
)
def test_crlf_line_ends_in_json_formats(tmp_path, encoding, kind, render):
    entries = [run_entry(i, f"line {i}\rcarriage kept") for i in range(8)]
    entries[2] = run_entry(2, f"{NON_ASCII}\r\nsecond line")
    text = render(entries)
    assert "\r\n" in text
    data = text.encode() if encoding == "utf-8" else encode(text, encoding)
    path = write(tmp_path, "x.json", data)
    got, stats = read(path)
    assert stats.formats[str(path)] == (kind if encoding == "utf-8" else f"{kind} ({encoding})")
    assert (stats.read, stats.rejected) == (8, 0), stats.rejects
    # a "\r" escaped inside a JSON string value is part of the message: kept as it is
    assert [e.text for e in got] == [e["textPayload"] for e in entries]
    assert got[0].text == "line 0\rcarriage kept"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_crlf_text_leaves_no_carriage_return(tmp_path, encoding):
    lines = ["ERROR: first", "WARNING: second\rsame line", "", "third é 😀"]
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode() if encoding == "utf-8" else encode(text, encoding)
    got, stats = read(write(tmp_path, "app.log", data))
    assert [e.text for e in got] == ["ERROR: first", "WARNING: second\rsame line", "third é 😀"]
    assert [e.origin.line for e in got] == [1, 2, 4]
    assert stats.read == 3


def test_raw_carriage_return_inside_a_json_string_is_kept(tmp_path):
    """A raw CR byte inside a string is invalid JSON; the lenient retry keeps it in the message."""
    entries = [run_entry(i, f"before{i}\\rafter") for i in range(4)]
    text = gcloud_text(entries).replace("\\\\r", "\r")  # the escaped "\r" made a literal CR
    assert "before0\rafter" in text
    got, stats = read(write(tmp_path, "x.json", encode(text, "utf-16-le")))
    assert stats.rejected == 0
    assert [e.text for e in got] == [f"before{i}\rafter" for i in range(4)]


def test_crlf_pretty_array_resumes_after_a_broken_item(tmp_path):
    """The pretty reader cuts at item lines even with CRLF: a broken item costs only itself."""
    entries = [run_entry(i) for i in range(6)]
    text = gcloud_text(entries).replace('"insertId": "77e000000002"', '"insertId": "77e000000002" oops', 1)
    for data in (text.encode(), encode(text, "utf-16-le")):
        got, stats = read(write(tmp_path, "x.json", data))
        assert [e.insert_id for e in got] == [entries[i]["insertId"] for i in (0, 1, 3, 4, 5)]
        assert stats.rejected == 1
        offset = stats.rejects[0].origin.offset
        assert text.encode()[offset : offset + 1] == b"{"
        assert b"oops" in text.encode()[offset : offset + 1000]


# --------------------------------------------------------- broken encoding


def test_lone_surrogate_becomes_replacement_character(tmp_path):
    lines = [json.dumps(run_entry(i, f"message {i} SURROGATE end"), ensure_ascii=False) for i in range(5)]
    text = "\r\n".join(lines) + "\r\n"
    data = codecs.BOM_UTF16_LE + text.replace("SURROGATE", "\ud800").encode("utf-16-le", "surrogatepass")
    got, stats = read(write(tmp_path, "sink.json", data))
    assert (stats.read, stats.rejected) == (5, 0)
    assert [e.text for e in got] == [f"message {i} \ufffd end" for i in range(5)]
    # the same in a text file, where the surrogate comes last on a line
    lines = ["ERROR: a \ud83d", "ERROR: b", "\udc00 ERROR: c"]
    data = codecs.BOM_UTF16_BE + "\n".join(lines).encode("utf-16-be", "surrogatepass")
    got, stats = read(write(tmp_path, "app.log", data))
    assert [e.text for e in got] == ["ERROR: a \ufffd", "ERROR: b", "\ufffd ERROR: c"]


def test_file_cut_in_the_middle_of_a_code_unit(tmp_path):
    lines = ["ERROR: one", "ERROR: two", "ERROR: three"]
    data = encode("\n".join(lines), "utf-16-le")[:-1]  # the last code unit is cut
    got, stats = read(write(tmp_path, "app.log", data))
    assert [e.text for e in got] == ["ERROR: one", "ERROR: two", "ERROR: thre\ufffd"]
    entries = [run_entry(i) for i in range(5)]
    data = encode(gcloud_text(entries), "utf-16-le")
    got, stats = read(write(tmp_path, "x.json", data[: len(data) * 3 // 4 | 1]))  # odd length, inside an item
    assert 0 < len(got) < 5
    assert [e.insert_id for e in got] == [e["insertId"] for e in entries[: len(got)]]
    assert [r.reason for r in stats.rejects] == ["malformed JSON (truncated)"]


# ------------------------------------------------------------------ binary


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("logs.json", gcloud_text([run_entry(i) for i in range(200)]))
    return buf.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        ("random.bin", random.Random(1).randbytes(50_000)),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(2).randbytes(20_000)),
        ("logs.zip", _zip_bytes()),
        ("bom-le.bin", codecs.BOM_UTF16_LE + random.Random(3).randbytes(8_000)),
        ("bom-be.bin", codecs.BOM_UTF16_BE + random.Random(4).randbytes(8_000)),
        ("bom32.bin", codecs.BOM_UTF32_LE + random.Random(5).randbytes(8_000)),
    ],
)
def test_binary_files_are_still_rejected(tmp_path, name, data):
    got, stats = read(write(tmp_path, name, data))
    assert got == []
    assert stats.formats[str(tmp_path / name)] == "binary"
    assert [r.reason for r in stats.rejects] == ["binary file, not log data"]


def test_random_bytes_are_never_taken_for_utf16(tmp_path):
    rnd = random.Random(7)
    for k in range(40):
        name = f"r{k}.bin"
        _, stats = read(write(tmp_path, name, rnd.randbytes(rnd.randrange(64, 20_000))))
        assert stats.formats[str(tmp_path / name)] == "binary"


# ------------------------------------------------------------ many chunks


def test_large_utf16_file_reads_exactly_across_chunk_boundaries(tmp_path):
    # emoji-heavy messages: a surrogate pair is cut by a read boundary somewhere
    entries = [run_entry(i, f"{i} " + "😀é日" * (i % 50) + " end") for i in range(3000)]
    text = jsonl_text(entries, "\r\n")
    body = text.encode("utf-16-le")
    assert len(body) > 20 * CHUNK
    # reads after the BOM-stripped head end 2 bytes before each multiple of CHUNK in the body
    cuts = [k * CHUNK - 2 for k in range(1, len(body) // CHUNK)]
    assert any(0xD8 <= body[c - 1] <= 0xDB for c in cuts)  # a high surrogate right before a cut
    expected, _ = read(write(tmp_path, "utf8.json", text.encode()))
    got, stats = read(write(tmp_path, "big.json", codecs.BOM_UTF16_LE + body))
    assert (stats.read, stats.rejected) == (3000, 0)
    assert summary(got) == summary(expected)
    assert [(e.origin.line, e.origin.offset) for e in got] == [(e.origin.line, e.origin.offset) for e in expected]


class _Pipe:
    """A pipe that hands out odd-sized pieces, so code units straddle reads."""

    def __init__(self, data: bytes, piece: int) -> None:
        self._data = io.BytesIO(data)
        self._piece = piece

    def read(self, size: int = -1) -> bytes:
        return self._data.read(self._piece if size < 0 else min(size, self._piece))


class _Stdin:
    def __init__(self, data: bytes, piece: int) -> None:
        self.buffer = _Pipe(data, piece)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-32-be"])
def test_stdin_in_odd_pieces(monkeypatch, encoding):
    entries = [run_entry(i, f"{NON_ASCII} {i}") for i in range(600)]  # more than the detection window
    text = gcloud_text(entries)
    data = encode(text, encoding)
    assert len(data) > 3 * CHUNK
    monkeypatch.setattr(sys, "stdin", _Stdin(text.encode(), 4097))
    expected = list(iter_entries(["-"], ReadStats()))
    monkeypatch.setattr(sys, "stdin", _Stdin(data, 4097))
    stats = ReadStats()
    got = list(iter_entries(["-"], stats))
    assert (stats.read, stats.rejected) == (600, 0)
    assert stats.formats["<stdin>"] == f"json-array ({encoding})"
    assert summary(got) == summary(expected)
