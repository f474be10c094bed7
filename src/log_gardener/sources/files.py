"""Read log entries from files, directories and stdin, in every export format.

Formats (detected from content, after transparent gzip decompression):

- ``json-array``   gcloud ``logging read --format=json`` / Logs Explorer download
- ``jsonl``        JSON Lines (Cloud Storage sink files)
- ``concatenated`` Logs Explorer "copy": pretty-printed objects back to back
- ``document``     one JSON object holding entries in nested lists at any depth
- ``text``         anything else: one entry per non-empty line

Everything streams: memory is bounded by the size of one entry, whatever the
size of the file, and every entry's byte offset (or line) is exact.

- Pretty-printed arrays and concatenated objects (gcloud, Logs Explorer) are cut
  at the lines that open an item at the items' indentation; each segment is one
  item, parsed with orjson. A broken item stays inside its segment: it is
  retried leniently (invalid UTF-8, a damaged neighbour) or rejected, and
  reading goes on with the next item.
- Compact arrays and documents go through ijson's pull parser, fed with pieces
  that end right before every ``{`` that may open an item, which tells where
  each item starts. A parse error there stops a compact array (one reject);
  a pretty-printed document resumes at the next line opening an entry.
- JSON Lines are read line by line (orjson); text line by line.

Encodings (detected from the first bytes, after gzip): UTF-8 with or without a
byte order mark; UTF-16 and UTF-32, either byte order, with a BOM (Windows
PowerShell's ``>`` writes UTF-16LE with a BOM and CRLF line ends); UTF-16
without a BOM when its byte pattern is unmistakable. UTF-16/32 input is
transcoded to UTF-8 as it streams (an incremental decoder; undecodable code
units become U+FFFD), so every reader sees UTF-8: byte offsets reported for such
an input are offsets in that UTF-8 text, not in the file (line numbers stay
exact); they are counted after the BOM, as for UTF-8. ``\r\n`` line ends are
read as ``\n`` by every reader.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
import re
import sys
import unicodedata
import zlib
from collections.abc import Iterator
from functools import partial

import ijson
import orjson
from ijson.common import ObjectBuilder

from log_gardener.limits import LIMITS
from log_gardener.model import Entry, Item, Origin, ReadStats
from log_gardener.parse.classify import classify, strip_ansi
from log_gardener.parse.record import loads_lenient
from log_gardener.sources.normalize import glimpse_of_line, looks_like_entry, to_entry

__all__ = ["FORMATS", "SourceError", "detect_format", "iter_entries"]

FORMATS = ("json-array", "jsonl", "concatenated", "document", "text")

CHUNK = 1 << 16  # read size
MAX_CHUNK = 1 << 24  # read size reached inside a very long token
HEAD_SIZE = 1 << 16  # bytes inspected to detect the format
BINARY_PROBE = 8192  # bytes inspected to decide "binary file"
TEXT_CAP = 64 * 1024  # longest text kept from one line in text mode
MAX_JSON_LINE = LIMITS.max_json_line
TAIL = 64  # unsent bytes kept between chunks so a split point can straddle them

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
# byte order marks of the encodings transcoded to UTF-8; UTF-32 first: its LE mark begins with UTF-16LE's
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
UTF16_PROBE = 4096  # bytes inspected to recognise UTF-16 without a BOM
_ASCII_TEXT = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}
_WS = b" \t\r\n"
_UNSAFE_CUT = b" \t\r\n[,}{"  # a piece must not end with one of these at a flush
_NON_TEXT_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]")


class SourceError(Exception):
    """An input that cannot be read at all (missing path, unknown format); the CLI prints it."""


# ------------------------------------------------------------------ streams


class _Replay(io.RawIOBase):
    """A raw stream that first replays ``head`` then reads ``src``; read errors become EOF.

    Lets the format be detected on stdin (not seekable), and turns a truncated
    or corrupt gzip member into a clean end of data plus one recorded error.
    """

    def __init__(self, src, head: bytes = b"") -> None:
        super().__init__()
        self._src = src
        self._head = head
        self._pos = 0
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        head = self._head
        if head:
            n = min(len(b), len(head) - self._pos)
            b[:n] = head[self._pos : self._pos + n]
            self._pos += n
            if self._pos >= len(head):
                self._head = b""
            return n
        if self.error is not None:
            return 0
        try:
            data = self._src.read(len(b))
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            self.error = exc
            return 0
        n = len(data)
        b[:n] = data
        return n


class _Gunzip(io.RawIOBase):
    """The decompressed bytes of gzip members read from ``src``, one bounded piece at a time.

    Unlike ``gzip.GzipFile``, whose ``read`` drops what it decompressed when the data turns out
    truncated or corrupt, every byte decompressed before the fault is delivered, then the end of
    data; the fault is kept in ``error``. Members back to back are read in turn (``cat a.gz b.gz``),
    trailing zero padding is ignored, and a piece never decompresses to more than MAX_CHUNK bytes
    (a small file that inflates to gigabytes is read as a stream, not held).
    """

    def __init__(self, src) -> None:
        super().__init__()
        self._src = src
        self._inflate = zlib.decompressobj(31)
        self._pending = b""  # compressed bytes not fed yet
        self._out = b""
        self._pos = 0
        self._member_open = True  # the data starts with a member's header
        self._eof = False
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def _more(self) -> bytes:
        if not self._pending:
            self._pending = self._src.read(CHUNK)
            if not self._pending:
                self._eof = True
                if self._member_open:
                    self.error = EOFError("compressed data ended early")
                return b""
        if self._inflate.eof:  # a member ended and bytes follow: padding, or the next member
            if not self._pending.strip(b"\0"):
                self._pending = b""
                return b""
            self._inflate = zlib.decompressobj(31)
        saved = self._inflate.copy()
        try:
            out = self._inflate.decompress(self._pending, MAX_CHUNK)
        except zlib.error as exc:
            self.error, self._eof = exc, True
            return self._salvage(saved)
        ended = self._inflate.eof
        self._member_open = not ended
        self._pending = self._inflate.unused_data if ended else self._inflate.unconsumed_tail
        return out

    def _salvage(self, inflate) -> bytes:
        """What decompresses before the fault: the failed piece fed again a byte at a time (once per input)."""
        parts: list[bytes] = []
        data, size = self._pending, 0
        for i in range(len(data)):
            try:
                part = inflate.decompress(data[i : i + 1], MAX_CHUNK - size)
            except zlib.error:
                break
            parts.append(part)
            size += len(part)
            if size >= MAX_CHUNK:
                break
        self._pending = b""
        return b"".join(parts)

    def readinto(self, b) -> int:  # type: ignore[override]
        while self._pos >= len(self._out):
            if self._eof:
                return 0
            self._out, self._pos = self._more(), 0
        n = min(len(b), len(self._out) - self._pos)
        b[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n


class _Transcoder(io.RawIOBase):
    """A raw stream of the UTF-8 encoding of the text ``src`` holds in ``encoding``.

    Decoded incrementally, one read at a time, so a code unit or a surrogate pair cut
    by a read boundary is completed by the next read; undecodable units (a lone
    surrogate, a code unit cut by the end of the data) become U+FFFD. Line ends are
    left as they are (no newline translation: a lone ``\r`` stays one).
    """

    def __init__(self, src, encoding: str) -> None:
        super().__init__()
        self._src = src
        self._decoder = codecs.getincrementaldecoder(encoding)("replace")
        self._out = b""
        self._pos = 0
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while self._pos >= len(self._out):
            if self._eof:
                return 0
            data = self._src.read(CHUNK)
            if not data:
                self._eof = True
            text = self._decoder.decode(data, final=self._eof)
            self._out = text.encode("utf-8", "replace")
            self._pos = 0
        n = min(len(b), len(self._out) - self._pos)
        b[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n


MAX_BLANK_LEAD = 64 << 20  # leading blank bytes read past to find where the content starts


def _read_head(src, size: int) -> tuple[bytes, BaseException | None, bool]:
    """The first ``size`` bytes, and as many more as it takes to see content after a blank start (up to
    MAX_BLANK_LEAD): a file that begins with 64 KiB of newlines is not an empty file. The flag: the input
    ended within them."""
    parts: list[bytes] = []
    got = 0
    limit = size
    try:
        while got < limit:
            data = src.read(limit - got)
            if not data:
                return b"".join(parts), None, True
            parts.append(data)
            got += len(data)
            if got >= limit and limit < size + MAX_BLANK_LEAD and not any(p.strip() for p in parts):
                limit = got + size  # all blank so far: the content starts further on
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return b"".join(parts), exc, True
    return b"".join(parts), None, False


# ---------------------------------------------------------------- detection


def _skip_ws(data: bytes, i: int) -> int:
    """Index of the first non-whitespace byte at or after i, or -1."""
    n = len(data)
    while i < n:
        if data[i] not in _WS:
            return i
        i += 1
    return -1


def _detect_encoding(head: bytes) -> tuple[str, int]:
    """The encoding of a stream from its first bytes, and the length of its byte order mark."""
    if head.startswith(_BOM):
        return "utf-8", len(_BOM)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return _sniff_utf16(head), 0


def _sniff_utf16(head: bytes) -> str:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 text without a BOM, else ``utf-8``.

    Logs and JSON are nearly all ASCII, which UTF-16 writes as a NUL at every odd
    (LE) or even (BE) position and a printable byte at the other. It is taken for
    UTF-16 when at least 90% of the code units in the first 4 KiB are such ASCII
    characters: this leaves room for up to one non-ASCII character in ten (é, 日本),
    while UTF-8 text has no NULs and random bytes form such a pair one time in about
    670 (98/65536), so no binary file comes near it; a binary file that did would
    still be rejected by ``_is_binary`` once decoded.
    """
    probe = head[:UTF16_PROBE]
    units = len(probe) // 2
    if units < 2 or b"\x00" not in probe:
        return "utf-8"
    even, odd = probe[0 : 2 * units : 2], probe[1 : 2 * units : 2]
    for encoding, text, nul in (("utf-16-le", even, odd), ("utf-16-be", odd, even)):
        ascii_units = sum(1 for t, z in zip(text, nul, strict=True) if z == 0 and t in _ASCII_TEXT)
        if ascii_units >= 0.9 * units:
            return encoding
    return "utf-8"


def _is_binary(head: bytes, decoded: bool = False) -> bool:
    """Whether ``head`` (UTF-8) is the start of a binary file rather than text.

    ``decoded``: ``head`` was transcoded from UTF-16/32. Arbitrary bytes read as UTF-16
    decode to characters that look valid (most of them CJK) rather than to U+FFFD, but
    about 12% of them are private-use or unassigned, which text has next to none of:
    more than 5% of those makes it binary too (damaged text, a few lone surrogates
    become U+FFFD, stays text). Arbitrary UTF-32 is nearly all U+FFFD.
    """
    probe = head[:BINARY_PROBE]
    if not probe:
        return False
    if probe.count(b"\x00") * 100 > len(probe):  # a stray NUL in a log file does not make it binary
        return True
    if len(probe) == BINARY_PROBE:
        probe = probe[: _utf8_boundary(probe)]  # a character cut by the probe size
    text = probe.decode("utf-8", "replace")
    bad = len(_NON_TEXT_RE.findall(text))
    if bad > 0.3 * max(1, len(text)):
        return True
    if decoded:
        unusual = sum(1 for c in text if c > "\x7f" and unicodedata.category(c) in ("Co", "Cn"))
        return unusual > 0.05 * len(text)
    return False


# LogEntry fields, camelCase and snake_case: evidence that an object is an entry
_ENTRY_FIELDS = frozenset(
    {
        "insertId", "insert_id", "logName", "log_name", "resource", "labels", "timestamp",
        "receiveTimestamp", "receive_timestamp", "severity", "httpRequest", "http_request",
        "trace", "spanId", "span_id", "traceSampled", "sourceLocation", "source_location",
        "operation", "split", "errorGroups", "error_groups",
    }
)  # fmt: skip


def _first_object_shape(data: bytes) -> tuple[set[str], bool]:
    """Top-level keys of the first JSON object in ``data`` and whether one of their values
    is a list of objects (LogEntry fields such as errorGroups aside); stops at the end of
    that object or of ``data``."""
    keys: set[str] = set()
    has_object_list = False
    depth = 0
    last_key = None
    list_key = None
    try:
        for event, value in ijson.basic_parse(io.BytesIO(data), use_float=True, multiple_values=True):
            if event == "map_key":
                if depth == 1:
                    keys.add(value)
                    last_key = value
            elif event in ("start_map", "start_array"):
                if event == "start_map" and depth == 2 and list_key is not None:
                    has_object_list = True
                if event == "start_array" and depth == 1 and last_key not in _ENTRY_FIELDS:
                    list_key = last_key
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 1:
                    list_key = None
                if depth == 0:
                    break
    except Exception:  # a truncated or broken head: use what was seen
        pass
    return keys, has_object_list


def _object_kind(data: bytes) -> str:
    """'entry' or 'document' for the first top-level object of ``data``."""
    keys, has_object_list = _first_object_shape(data)
    probe = dict.fromkeys(keys)
    if any(k in probe for k in ("textPayload", "jsonPayload", "protoPayload")):
        return "entry"
    if any(k in probe for k in ("text_payload", "json_payload", "proto_payload")):
        return "entry"
    if has_object_list:
        return "document"
    if looks_like_entry(probe) or len(keys & _ENTRY_FIELDS) >= 2:
        return "entry"
    return "document"


def _bracket_kind(data: bytes, complete: bool) -> str:
    """What input that begins with ``[`` but not ``[{`` is: ``json-array`` when its first value is JSON
    holding an object (``[1, {...}]``, ``["export v1", {...}]``, ``[[{...}]]``) or the data ends inside it;
    ``jsonl`` when that value is a line of its own followed by more lines of JSON; else ``text``
    (``[2026-11-29 12:00:01] ERROR ...``, ``[INFO] ...``: not JSON)."""
    depth = 0
    saw_object = False
    events = ijson.basic_parse(io.BytesIO(data), multiple_values=True)
    try:
        for event, _ in events:
            if event in ("start_map", "start_array"):
                saw_object = saw_object or event == "start_map"
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0:
                    break
        else:  # the data ended without closing it
            return "json-array" if saw_object or not complete else "text"
    except ijson.IncompleteJSONError as exc:  # cut by the head's end, or a bad spot in JSON, or not JSON
        return "json-array" if saw_object or ("premature EOF" in str(exc) and not complete) else "text"
    except Exception:
        return "json-array" if saw_object else "text"
    if saw_object:
        return "json-array"
    try:  # an array of values only: alone, an array; followed by more JSON, lines of JSON
        more = next(events, None)
    except ijson.IncompleteJSONError as exc:
        return "jsonl" if "premature EOF" in str(exc) else "text"
    except Exception:
        return "text"
    return "json-array" if more is None else "jsonl"


def detect_format(head: bytes, complete: bool) -> str | None:
    """The format of a stream from its first bytes; None when it holds only whitespace.

    ``complete`` says ``head`` is the whole stream."""
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    i = _skip_ws(head, 0)
    if i < 0:
        return None
    first = head[i]
    if first == 0x5B:  # [
        j = _skip_ws(head, i + 1)
        if j < 0 or head[j] in b"{]":
            return "json-array"
        return _bracket_kind(head[i:], complete)
    if first != 0x7B:  # {
        return "text"
    j = _skip_ws(head, i + 1)
    if j >= 0 and head[j] not in b'"}':
        return "text"
    eol = head.find(b"\n", i)
    line = head[i:eol] if eol >= 0 else head[i:]
    if line.strip() == b"{":  # pretty-printed: entries back to back, or one document
        indent = re.escape(head[head.rfind(b"\n", 0, i) + 1 : i])
        if re.search(rb"\n" + indent + rb"\}[ \t\r]*\n(?:[ \t\r]*\n)*" + indent + rb"\{", head):
            return "concatenated"  # the first object closes and another one opens
        return "concatenated" if _object_kind(head[i:]) == "entry" else "document"
    if eol >= 0 or complete:
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            obj = None
        if isinstance(obj, dict):
            if looks_like_entry(obj):
                return "jsonl"
            rest = head[eol + 1 :] if eol >= 0 else b""
            if re.search(rb"(?m)^[ \t]*\{", rest):
                return "jsonl"  # several objects, one per line, the first one not an entry
            return "document"
        if obj is None and re.search(rb"(?m)^[ \t]*\{", head[eol + 1 :] if eol >= 0 else b""):
            return "jsonl"  # a broken first line, more objects after it
    # one long line (beyond the head) or a broken one: judge by its keys
    return "jsonl" if _object_kind(head[i:]) == "entry" else "document"


# ------------------------------------------------------------------- inputs


def _unreadable(stats: ReadStats, path: str, exc: OSError) -> None:
    """A file or directory under an input directory that cannot be read: one reject, the rest goes on."""
    stats.read += 1
    stats.reject(Origin(path), f"unreadable: {exc.strerror or exc}")


def _unreadable_below(stats: ReadStats, top: str, exc: OSError) -> None:
    _unreadable(stats, exc.filename or top, exc)


def _expand(inputs: list[str], stats: ReadStats) -> list[tuple[str, bool]]:
    """(path, given) for every input; ``given``: named on the command line, not found in a directory."""
    paths: list[tuple[str, bool]] = []
    for path in inputs:
        if path == "-":
            paths.append((path, True))
        elif os.path.isdir(path):
            found: list[str] = []
            skipped = partial(_unreadable_below, stats, path)
            for dirpath, dirnames, filenames in os.walk(path, onerror=skipped):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if name.startswith("."):
                        continue
                    full = os.path.join(dirpath, name)
                    if os.path.isfile(full):
                        found.append(full)
                    elif os.path.islink(full) and not os.path.exists(full):
                        stats.read += 1
                        stats.reject(Origin(full), "broken symbolic link")
                    # sockets, pipes and devices in a log directory are not log files
            found.sort()
            paths.extend((f, False) for f in found)
        elif os.path.exists(path):
            paths.append((path, True))
        else:
            raise SourceError(f"{path}: no such file or directory")
    return paths


def iter_entries(inputs: list[str], stats: ReadStats, fmt: str | None = None) -> Iterator[Item]:
    """Every entry of every input, in input order; rejects and counts go to ``stats``.

    ``inputs``: paths, ``-`` for stdin, directories (every non-hidden regular file
    below, sorted by path). ``fmt`` forces one of ``FORMATS`` instead of detecting.
    Duplicates are kept. With ``stats.light_below``, an entry declared below that severity is a
    ``Glimpse`` (its top-level fields only). Raises SourceError for a missing or unreadable input
    named in ``inputs`` or an unknown format; what cannot be read below a directory is rejected.
    """
    if fmt is not None and fmt not in FORMATS:
        raise SourceError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    for path, given in _expand(inputs, stats):
        yield from _iter_path(path, stats, fmt, given)


def _iter_path(path: str, stats: ReadStats, fmt: str | None, given: bool = True) -> Iterator[Item]:
    if path == "-":
        source = "<stdin>"
        raw = getattr(sys.stdin, "buffer", None)
        if raw is None:  # a text-only stand-in for stdin
            raw = io.BytesIO(sys.stdin.read().encode("utf-8", "replace"))
        yield from _iter_stream(raw, source, stats, fmt)
        return
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after streaming
    except OSError as exc:
        if not given:
            _unreadable(stats, path, exc)
            return
        if isinstance(exc, FileNotFoundError):
            raise SourceError(f"{path}: no such file or directory") from None
        raise SourceError(f"{path}: {exc.strerror or exc}") from None
    try:
        yield from _iter_stream(raw, path, stats, fmt)
    finally:
        raw.close()


def _iter_stream(raw, source: str, stats: ReadStats, fmt: str | None) -> Iterator[Item]:
    head, error, ended = _read_head(raw, HEAD_SIZE)
    src = raw
    streams: list[_Replay | _Gunzip] = []
    if head.startswith(_GZIP_MAGIC):  # whatever the name; offsets are then in the decompressed data
        outer = _Replay(raw, head)
        outer.error = error
        gz = _Gunzip(outer)
        gz_head, _, gz_ended = _read_head(gz, HEAD_SIZE)
        if gz_head or gz.error is None or outer.error is not None:
            streams += [outer, gz]
            src, head, error, ended = gz, gz_head, None, gz_ended  # the streams' faults are reported below
        elif _is_binary(head):  # not one byte decompressed: corrupt, said as such rather than "binary"
            stats.formats[source] = "gzip"
            stats.read += 1
            stats.reject(Origin(source), f"read error: {_describe(gz.error)}")  # type: ignore[arg-type]
            return
        # else text that happens to start with the magic bytes: read as it is
    complete = ended
    encoding, bom = _detect_encoding(head)
    head = head[bom:]  # offsets are counted after a byte order mark
    if encoding != "utf-8":  # transcoded to UTF-8 as it is read: offsets are then in the UTF-8 text
        encoded = _Replay(src, head)
        encoded.error = error
        streams.append(encoded)
        src = _Transcoder(encoded, encoding)
        head, error, complete = _read_head(src, HEAD_SIZE)
    inner = _Replay(src, head)
    inner.error = error
    streams.append(inner)
    stream = io.BufferedReader(inner, CHUNK)
    try:
        yield from _read_as(stream, head, complete, source, stats, fmt, None if encoding == "utf-8" else encoding)
    finally:
        for s in streams:
            if s.error is not None:
                stats.read += 1  # like every reject: what was read and could not be used
                stats.reject(Origin(source), f"read error: {_describe(s.error)}")
                break


def _read_as(
    stream, head: bytes, complete: bool, source: str, stats: ReadStats, fmt: str | None, encoding: str | None
) -> Iterator[Item]:
    """Read ``stream`` (UTF-8) as ``fmt``, else as detected; ``encoding``: the input's, when not UTF-8."""
    suffix = f" ({encoding})" if encoding else ""  # shown as is in the worklog; nothing parses it
    kind = fmt
    if kind is None:
        if _is_binary(head, decoded=encoding is not None):
            stats.formats[source] = "binary"
            stats.read += 1
            stats.reject(Origin(source), "binary file, not log data")
            return
        kind = detect_format(head, complete)
        if kind is None:
            stats.formats[source] = "empty" + suffix
            return
    stats.formats[source] = kind + suffix
    if kind == "jsonl":
        yield from _read_jsonl(stream, source, stats)
    elif kind == "text":
        yield from _read_text(stream, source, stats)
    elif kind == "document":
        yield from _read_document(stream, source, stats)
    else:
        yield from _read_json_stream(stream, source, stats, kind, head)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "compressed data ended early (truncated gzip)"
    if isinstance(exc, zlib.error):
        return f"corrupt gzip data ({exc})"
    return str(exc) or type(exc).__name__


# ------------------------------------------------------------ entry intake


def _accept(obj: object, origin: Origin, stats: ReadStats) -> Item | None:
    """Count one entry-shaped item; an Entry (or Glimpse), or None after recording the reject."""
    stats.read += 1
    if not isinstance(obj, dict):
        stats.reject(origin, f"not a JSON object ({type(obj).__name__})")
        return None
    if not looks_like_entry(obj):
        stats.reject(origin, "not a log entry (no payload, no timestamp with severity/insertId/logName)")
        return None
    result = to_entry(obj, origin, stats.light_below)
    if isinstance(result, str):
        stats.reject(origin, result)
        return None
    return result


def _nested_entries(value: object, depth: int = 0) -> Iterator[dict]:
    """LogEntry-like objects found as list items anywhere inside ``value``."""
    if depth > 100:
        return
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, (dict, list)):
                yield from _nested_entries(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and looks_like_entry(item):
                yield item
            elif isinstance(item, (dict, list)):
                yield from _nested_entries(item, depth + 1)


def _take(obj: object, origin: Origin, stats: ReadStats, depth: int = 0) -> Iterator[Item]:
    """The entry ``obj`` is; or, when it is a container (a small document, a list of entries — an
    export split in pages), the entries inside; a value inside a list is taken as an item."""
    if isinstance(obj, list) and depth < 100 and any(isinstance(item, (dict, list)) for item in obj):
        for item in obj:
            yield from _take(item, origin, stats, depth + 1)
        return
    if isinstance(obj, dict) and not looks_like_entry(obj):
        nested = list(_nested_entries(obj))
        if nested:
            for item in nested:
                entry = _accept(item, origin, stats)
                if entry is not None:
                    yield entry
            return
    entry = _accept(obj, origin, stats)
    if entry is not None:
        yield entry


def _take_quiet(obj: object, origin: Origin, stats: ReadStats) -> Iterator[Item]:
    """Like ``_take`` inside a document: what is not an entry is ignored, not rejected."""
    if isinstance(obj, dict) and looks_like_entry(obj):
        items: list = [obj]
    elif isinstance(obj, (dict, list)):
        items = list(_nested_entries(obj))
    else:
        return
    for item in items:
        entry = _accept(item, origin, stats)
        if entry is not None:
            yield entry


def _json_error_reason(exc: Exception, data_len: int | None = None) -> str:
    pos = getattr(exc, "pos", None)
    if isinstance(pos, int) and data_len is not None and pos >= data_len - 1:
        return "malformed JSON (truncated)"
    msg = getattr(exc, "msg", None) or (exc.args[0] if exc.args else str(exc))
    if isinstance(msg, bytes):
        msg = msg.decode("utf-8", "replace")
    msg = str(msg).strip().split("\n", 1)[0].strip()
    if "premature EOF" in msg or msg.startswith("Unterminated string"):
        return "malformed JSON (truncated)"
    return f"malformed JSON ({msg[:120]})" if msg else "malformed JSON"


def _lenient_loads(data: bytes) -> object:
    """orjson, else the stdlib on the text decoded with replacement (invalid UTF-8, huge ints).
    Raises ValueError when neither can parse it."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    return loads_lenient(data.decode("utf-8", "replace"))


# -------------------------------------------------------------------- jsonl


def _read_jsonl(stream, source: str, stats: ReadStats, offset: int = 0) -> Iterator[Item]:
    """JSON Lines from ``stream``; ``offset``: where it starts in the file (line numbers then count from
    that point: the caller reading a byte range adds the lines before it)."""
    readline = stream.readline
    lineno = 0
    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    below = stats.light_below
    while True:
        line = readline(MAX_JSON_LINE)
        if not line:
            return
        lineno += 1
        start = offset
        offset += len(line)
        if line[-1:] != b"\n" and len(line) >= MAX_JSON_LINE:
            # longer than any sane entry: skip the rest of the line without keeping it
            while True:
                more = readline(CHUNK)
                offset += len(more)
                if not more or more[-1:] == b"\n":
                    break
            stats.read += 1
            stats.reject(Origin(source, line=lineno, offset=start), "line too long (over 512 MiB)")
            continue
        if line[:1] != b"{" and not line.strip():
            continue
        if below is not None:
            glimpse = glimpse_of_line(line, below)
            if glimpse is not None:
                stats.read += 1
                yield glimpse
                continue
        origin = Origin(source, line=lineno, offset=start)
        try:
            obj = loads(line)
        except decode_error:
            try:
                obj = loads_lenient(line.decode("utf-8", "replace"))
            except ValueError as exc:
                stats.read += 1
                stats.reject(origin, _json_error_reason(exc, len(line.rstrip())))
                continue
        yield from _take(obj, origin, stats)


# --------------------------------------------------------------------- text


def _utf8_boundary(data: bytes) -> int:
    """Length of ``data`` without a UTF-8 sequence cut at its end."""
    i = len(data) - 1
    cont = 0
    while i >= 0 and cont < 3 and 0x80 <= data[i] < 0xC0:
        i -= 1
        cont += 1
    if i >= 0 and data[i] >= 0xC0:
        need = 2 if data[i] < 0xE0 else 3 if data[i] < 0xF0 else 4
        if cont + 1 < need:
            return i
    return len(data)


def _read_text(stream, source: str, stats: ReadStats) -> Iterator[Item]:
    readline = stream.readline
    lineno = 0
    offset = 0
    while True:
        line = readline(TEXT_CAP)
        if not line:
            return
        lineno += 1
        start = offset
        offset += len(line)
        dropped = 0
        if line[-1:] != b"\n" and len(line) >= TEXT_CAP:
            while True:  # drop the rest of an overlong line, counting it
                more = readline(CHUNK)
                if not more:
                    break
                offset += len(more)
                dropped += len(more)
                if more[-1:] == b"\n":
                    dropped -= 2 if more[-2:] == b"\r\n" else 1
                    break
            cut = _utf8_boundary(line)
            dropped += len(line) - cut
            line = line[:cut]
        else:
            line = line.rstrip(b"\r\n")
        if not line.strip():
            continue
        text = line.decode("utf-8", "replace")
        if "\x1b" in text:
            text = strip_ansi(text)
        if dropped:
            text += f" …[truncated {dropped} bytes]"
        stats.read += 1
        severity, reason = classify(text)
        yield Entry(
            timestamp=None,
            severity=severity,
            text=text,
            origin=Origin(source, line=lineno, offset=start),
            severity_reason=reason or None,
            plain=True,
        )


# ----------------------------------------------------- pieces for ijson


def _pieces(stream, split_re: re.Pattern[bytes] | None, marker: bytes | None, scan_from: int = 0):
    """Cut the stream into pieces, yielding (piece, start_offset, ends_at_split, ends_at_marker).

    A piece that ends at a split ends right before a ``{`` that may start an item:
    with ``marker`` (pretty input) the ``{`` of ``marker``, a line at the items'
    indentation, found with a plain substring search; else one matched by
    ``split_re``. Other pieces end where a chunk was flushed, or at EOF.
    """
    read = stream.read
    buf = b""
    pos = 0  # absolute offset of buf[0]
    mlen = len(marker) if marker else 0
    size = CHUNK
    while True:
        chunk = read(size)
        if not chunk:
            if buf:
                yield buf, pos, False, False
            return
        data = buf + chunk if buf else chunk
        start = 0
        if marker is not None:
            find = data.find
            i = find(marker, scan_from)
            while i >= 0:
                p = i + mlen - 1
                yield data[start:p], pos + start, True, True
                start = p
                i = find(marker, p)
        elif split_re is not None:
            for m in split_re.finditer(data, scan_from):
                p = m.end() - 1
                yield data[start:p], pos + start, True, False
                start = p
        scan_from = 0
        # a long token (a huge string) is fed in growing chunks: yajl re-lexes a token
        # that spans chunks from its start, which is quadratic with small ones
        size = CHUNK if start else min(size * 2, MAX_CHUNK)
        # flush all but a short tail, cut after a byte that cannot begin a split match
        cut = len(data) - TAIL
        floor = max(start, cut - 4096)
        while cut > floor and data[cut - 1] in _UNSAFE_CUT:
            cut -= 1
        if cut <= floor:  # no safe byte near the end: keep it all, unless that grows too big
            cut = len(data) - TAIL if len(data) - start > (1 << 20) else start
        if cut > start:
            yield data[start:cut], pos + start, False, False
            start = cut
        buf = data[start:]
        pos += start


def _item_marker(head: bytes, kind: str) -> bytes | None:
    """``b"\\n" + indent + b"{"`` when the first item starts a line of its own (pretty input)."""
    i = _skip_ws(head, 0)
    if i < 0:
        return None
    if kind == "json-array":
        i = _skip_ws(head, i + 1)
        if i < 0 or head[i] != 0x7B:
            return None
    line_start = head.rfind(b"\n", 0, i) + 1
    indent = head[line_start:i]
    if indent.strip(b" \t"):
        return None  # something else precedes the brace on its line: compact input
    if kind == "json-array" and line_start == 0:
        return None
    return b"\n" + indent + b"{"


_SEPARATORS = b" \t\r\n[],"
MAX_ITEM = 512 << 20  # a longer item (pretty input) is rejected without being kept


def _items_of(body: bytes) -> list | None:
    """Several values in one piece (objects back to back, or comma separated), or None."""
    for data, prefix in ((body, ""), (b"[" + body + b"]", "item")):
        try:
            return list(ijson.items(io.BytesIO(data), prefix, use_float=True, multiple_values=True))
        except Exception:  # try the next reading
            continue
    return None


def _read_json_stream(stream, source: str, stats: ReadStats, kind: str, head: bytes) -> Iterator[Item]:
    """A JSON array (``json-array``) or objects back to back (``concatenated``)."""
    if kind == "json-array":
        first = _skip_ws(head, 0)
        if first >= 0 and head[first] != 0x5B:  # forced on something that is not an array
            stats.read += 1
            stats.reject(Origin(source, offset=first), "not a JSON array")
            return
    marker = _item_marker(head, kind)
    if marker is None:
        yield from _read_json_compact(stream, source, stats)
    else:
        yield from _read_json_pretty(stream, source, stats, kind, head, marker)


def _read_json_pretty(
    stream, source: str, stats: ReadStats, kind: str, head: bytes, marker: bytes
) -> Iterator[Item]:
    """Pretty-printed input: every item begins a line at the same indentation (``marker``).

    The stream is cut at those lines, so each segment holds one item plus the
    separators around it; it is parsed on its own (orjson), which makes offsets
    exact and confines a broken item to its segment: reading resumes at the next
    item's line. A segment that is not one valid object is retried with ijson
    (several items on one line), then leniently (invalid UTF-8), else rejected.
    """
    scan_from = 0
    if kind == "concatenated":
        first = _skip_ws(head, 0)
        scan_from = first + 1 if first >= 0 else 0
    yield from _marker_items(stream, source, stats, marker, scan_from)


def _marker_items(
    stream,
    source: str,
    stats: ReadStats,
    marker: bytes,
    scan_from: int = 0,
    base: int = 0,
    in_document: bool = False,
    skip_first: bool = False,
) -> Iterator[Item]:
    """Items of a stream cut at ``marker`` lines; ``base`` is the stream's offset in the file.

    ``in_document``: resuming a document after an error, where objects that are not
    entries are ignored. ``skip_first``: the first segment is the rest of a broken
    item, already rejected.
    """
    closing = marker[:-1] + b"}"
    parts: list[bytes] = []
    size = 0
    seg_start = 0
    skip = skip_first
    broken = in_document and not skip_first  # the first segment holds the entry that broke
    for piece, start, at_split, _ in _pieces(stream, None, marker, scan_from):
        if not parts:
            seg_start = start
        if size <= MAX_ITEM:
            parts.append(piece)
        size += len(piece)
        if at_split:
            if not skip:
                data = b"".join(parts)
                yield from _segment(data, size, base + seg_start, closing, source, stats, in_document, broken)
            skip = broken = False
            parts = []
            size = 0
    if parts and not skip:
        data = b"".join(parts)
        yield from _segment(data, size, base + seg_start, closing, source, stats, in_document, broken)


class _ChunkStream:
    """A ``read``-able view of an iterator of byte strings."""

    def __init__(self, chunks) -> None:
        self._chunks = chunks

    def read(self, size: int = -1) -> bytes:
        for chunk in self._chunks:
            if chunk:
                return chunk
        return b""


def _segment(
    data: bytes,
    size: int,
    offset: int,
    closing: bytes,
    source: str,
    stats: ReadStats,
    in_document: bool = False,
    broken_first: bool = False,
) -> Iterator[Item]:
    """The items in one segment of pretty input; ``closing`` is the items' closing-brace line.

    ``in_document``: the segment comes from a document read after an error, where
    text between items (the end of a list, other keys) is expected, not damage;
    ``broken_first``: its first item is the entry that broke the parser, to be
    retried leniently or rejected.
    """
    take = _take_quiet if in_document else _take
    if size > MAX_ITEM:
        stats.read += 1
        stats.reject(Origin(source, offset=offset), f"entry too large ({size} bytes)")
        return
    n = len(data)
    hi = data.rfind(b"}") + 1
    lo = 0
    quiet = in_document and not broken_first  # text that is not an item is no reject
    while True:
        while lo < n and data[lo] in _SEPARATORS:
            lo += 1
        if lo < n and data[lo] != 0x7B:  # text where an item should begin
            brace = data.find(b"{", lo, hi)
            if quiet:
                if brace < 0:
                    return
            else:
                stats.read += 1
                stats.reject(
                    Origin(source, offset=offset + lo), "malformed JSON (unexpected text between items)"
                )
                if brace < 0:
                    return
            lo = brace
        if hi <= lo:
            if lo < n and not quiet:  # something, but no complete object: a truncated item
                stats.read += 1
                stats.reject(Origin(source, offset=offset + lo), "malformed JSON (truncated)")
            return
        body = data[lo:hi]
        origin = Origin(source, offset=offset + lo)
        try:
            obj = orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
        else:
            yield from take(obj, origin, stats)
            return
        # the next item's opening line was damaged: the first item still ends at its closing line
        close = data.find(closing, lo) + len(closing)
        if len(closing) <= close < hi:
            try:
                obj = _lenient_loads(data[lo:close])
            except ValueError:
                pass
            else:
                yield from take(obj, origin, stats)
                lo = close
                quiet = in_document
                continue
        objs = _items_of(body)  # several items on a line, or objects back to back
        if objs is None:
            try:  # invalid UTF-8, control characters in strings, huge numbers
                objs = [loads_lenient(body.decode("utf-8", "replace"))]
            except ValueError as exc:
                if not quiet:
                    stats.read += 1
                    stats.reject(origin, _json_error_reason(exc, len(body)))
                return
        for k, obj in enumerate(objs):
            yield from take(obj, origin if k == 0 else Origin(source, offset=offset + hi), stats)
        return


class _PieceReader:
    """File-like feed for ijson's pull parser, one piece per ``read`` call.

    ijson reads only when it has no parsed item left, so when it yields an item
    the last piece returned is the one that completed it. Pieces end right
    before each ``{`` that may start an item, which makes the start offset of
    each item exact: it is the end of the split piece read after the previous
    item completed.
    """

    def __init__(self, pieces) -> None:
        self._pieces = pieces
        self.start = 0  # offset of the last piece returned
        self.end = 0
        self.at_split = False
        self.split_started = False  # the last piece begins right after a split
        self.pending = True  # between items: the next split starts one
        self.item_start: int | None = None
        self.piece = b""  # the last piece returned
        self.before = b""  # the end of the piece before it

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes the type of the stream with read(0)
            return b""
        for piece, start, at_split, _ in self._pieces:
            if not piece:
                continue
            self.before = self.piece[-256:]
            self.piece = piece
            self.split_started = self.at_split
            self.start, self.end, self.at_split = start, start + len(piece), at_split
            if at_split and self.pending:
                self.item_start, self.pending = self.end, False
            return piece
        return b""

    def indent(self) -> bytes | None:
        """The whitespace before the last piece on its line, when the piece begins a line."""
        line_start = self.before.rfind(b"\n") + 1
        if line_start == 0:
            return None
        indent = self.before[line_start:]
        return indent if not indent.strip(b" \t") else None

    def rest(self):
        """The unparsed stream: the last piece again, then the pieces not read yet."""
        yield self.piece
        for piece, *_ in self._pieces:
            yield piece

    def item_done(self) -> int:
        """Offset of the item just yielded; get ready for the next one."""
        offset = self.item_start if (self.item_start is not None and not self.pending) else self.start
        if self.at_split:
            self.item_start, self.pending = self.end, False
        else:
            self.item_start, self.pending = None, True
        return offset


class _ArrayFollower:
    """Follows a JSON array's top level over pieces of its text: where each of its items begins.

    One regular expression match per string (escapes included) or bracket or comma; what is
    inside strings is never looked at byte by byte. Items are not checked: that is the parser's
    work. A string cut by the end of a piece is carried into the next one.
    """

    def __init__(self, pos: int = 0, depth: int = 0, expect: bool = False) -> None:
        """``pos``: offset of the first byte fed; ``depth``/``expect``: the state there (0/False: before
        the array's "["; 1/True: where an item begins)."""
        self.pos = pos
        self.depth = depth
        self.expect = expect
        self.starts: list[int] = []
        self.ends: list[int] = []  # where each item ends: the offset of the "," or "]" after it
        self.ended = False  # the array has closed
        self._carry = b""

    def feed(self, piece: bytes) -> None:
        data = self._carry + piece if self._carry else piece
        at = self.pos - len(self._carry)  # offset of data[0]
        depth, expect, starts = self.depth, self.expect, self.starts
        carry = b""
        i = 0
        for m in _ARRAY_TOKEN_RE.finditer(data):
            if expect:  # after "[" or "," of the array: the first byte not blank begins an item
                j = _skip_ws(data, i)
                expect = False
                if data[j] != 0x5D:  # (not the "]" of an empty array)
                    starts.append(at + j)
            c = data[m.start()]
            if c == 0x22:
                if m.group("close") is None:  # a string the piece cuts: read again with the next piece
                    carry = data[m.start():]
                    break
            elif c == 0x7B or c == 0x5B:
                depth += 1
                expect = depth == 1
            elif c == 0x7D or c == 0x5D:
                depth -= 1
                if depth == 0:
                    self.ended = True
                    self.ends.append(at + m.start())
            elif depth == 1:  # ","
                expect = True
                self.ends.append(at + m.start())
            i = m.end()
        else:
            if expect:  # a value that begins after the last token (a number, true, null)
                j = _skip_ws(data, i)
                if j >= 0:
                    expect = False
                    starts.append(at + j)
        self._carry = carry
        self.depth, self.expect = depth, expect
        self.pos += len(piece)


class _ArrayReader(_PieceReader):
    """File-like feed for ijson over a JSON array, which knows, when the parser refuses an item,
    where that item begins and what was read of it.

    The pieces are cut before each ``{`` that may start an item (as ``_PieceReader``), which gives
    each item's offset cheaply. The text since an *anchor* is kept: a place where the array's
    state is known, the start of the stream or the start of an object item that follows an
    object item (a piece ending in ``}`` and a comma, the next piece opening the object). On a
    refusal, an ``_ArrayFollower`` run from the anchor over the kept text finds the item: so the
    full following, dearer, is paid only then, and items that are not objects (``[1, {...}]``,
    pages of entries) are found as surely as objects.
    """

    def __init__(self, chunks, base: int) -> None:
        """``chunks``: a stream (read in growing pieces inside long tokens), or an iterator of bytes."""
        super().__init__(_pieces(chunks if hasattr(chunks, "read") else _ChunkStream(chunks), _OBJECT_SPLIT_RE, None))
        self.base = base
        self._held: list[bytes] = []  # the text from the anchor on
        self._held_size = 0
        self._anchor: tuple[int, int, bool] | None = (base, 0, False)  # (offset, depth, expect) there
        self._yielded = 0  # items yielded since the anchor

    def read(self, size: int = -1) -> bytes:
        piece = super().read(size)
        if piece and self._anchor is not None:
            self._held.append(piece)
            self._held_size += len(piece)
            if self._held_size > MAX_HELD:  # too far back to follow: a refusal then ends the array
                self._anchor, self._held, self._held_size = None, [], 0
        return piece

    def item_done(self, value: object = None) -> int:
        """Offset of the item just yielded (``value``)."""
        offset = self.base + super().item_done()
        self._yielded += 1
        if isinstance(value, dict) and self.at_split and _OBJECT_THEN_COMMA_RE.search(self.piece[-256:]):
            # the object just yielded ends in this piece, a comma follows, the next piece opens an item
            self._anchor, self._held, self._held_size, self._yielded = (self.base + self.end, 1, True), [], 0, 0
        return offset

    @property
    def pos(self) -> int:
        return self.base + self.end

    def refused(self) -> tuple[int, Iterator[bytes]] | None:
        """Where the item the parser refused begins, and its text from there on (what was read,
        then the rest of the stream); None when that cannot be known."""
        if self._anchor is None:
            return None
        follower = _ArrayFollower(*self._anchor)
        for piece in self._held:
            follower.feed(piece)
        if len(follower.starts) <= self._yielded:
            return None  # the refusal is not inside an item (junk between items, or after the array)
        start = follower.starts[self._yielded]
        text = b"".join(self._held)[start - self._anchor[0] :]
        return start, itertools.chain([text], (piece for piece, *_ in self._pieces))


_OBJECT_SPLIT_RE = re.compile(rb"[\[,}][ \t\r\n]*\{")  # a "{" that may start an item or an object
MAX_HELD = 64 << 20  # text kept since the last anchor of an array (items that are not objects)
_OBJECT_THEN_COMMA_RE = re.compile(rb"\}[ \t\r\n]*,[ \t\r\n]*\Z")


def _read_json_compact(stream, source: str, stats: ReadStats) -> Iterator[Item]:
    """A JSON array not pretty-printed (e.g. one line), or whose items are not all objects: ijson.

    An item the parser refuses (a 310-digit integer, invalid UTF-8, a syntax error) is cut out by
    its brackets, parsed leniently (a page of entries item by item) or rejected alone, and reading
    goes on after it; when its end cannot be found (the data is cut), one reject, and the entries
    before it are kept.
    """
    chunks = stream
    base = 0
    while True:
        reader = _ArrayReader(chunks, base)
        items = ijson.items(reader, "item", use_float=True, multiple_values=True)
        while True:
            try:
                obj = next(items)
            except StopIteration:
                return
            except Exception as exc:  # any parser failure is bad input; premature EOF included
                failure = exc
                break
            yield from _take(obj, Origin(source, offset=reader.item_done(obj)), stats)
        found = reader.refused()
        if found is None:
            if reader.pending and "premature EOF" in str(failure):
                return  # the array is not closed, but no item was cut
            stats.read += 1
            stats.reject(Origin(source, offset=reader.pos), _json_error_reason(failure))
            return
        offset, text = found
        cut = _cut_value(text)
        if cut is None:  # the data ends inside the item
            stats.read += 1
            stats.reject(Origin(source, offset=offset), _json_error_reason(failure))
            return
        item, after, rest = cut
        yield from _take_cut(item, offset, source, stats)
        tail = after.lstrip(_WS)
        if tail[:1] != b",":
            return  # the array ends after it (or junk follows)
        tail = tail[1:]
        base = offset + len(item) + (len(after) - len(tail)) - 1  # the "[" put back in front
        chunks = itertools.chain([b"[" + tail], rest)


def _take_cut(item: bytes, offset: int, source: str, stats: ReadStats, depth: int = 0) -> Iterator[Item]:
    """An item cut out by its brackets, parsed leniently; a list that still fails (one bad entry in a
    page of entries) is taken apart and each of its items read alone."""
    try:
        obj = _lenient_loads(item)
    except ValueError as err:
        parts = _list_items(item) if item[:1] == b"[" and depth < 100 else None
        if parts is None:
            stats.read += 1
            stats.reject(Origin(source, offset=offset), _json_error_reason(err))
            return
        for start, part in parts:
            yield from _take_cut(part, offset + start, source, stats, depth + 1)
        return
    yield from _take(obj, Origin(source, offset=offset), stats)


# a whole string (escapes included), or a bracket or comma: what following an array's items needs
# (a string may run to the end of the data: cut there, it is completed by the next piece)
_ARRAY_TOKEN_RE = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:(?P<close>")|\\?\Z)|[{}\[\],]')


def _list_items(data: bytes) -> list[tuple[int, bytes]] | None:
    """(offset, bytes) of each item of the JSON list ``data``, split at its own commas (strings and
    nesting respected, the items not checked); None when its brackets do not balance."""
    follower = _ArrayFollower()
    follower.feed(data)
    if not follower.ended:
        return None
    return [(start, data[start:end].rstrip(_WS)) for start, end in zip(follower.starts, follower.ends, strict=False)
            if start < end]


def _cut_value(chunks) -> tuple[bytes, bytes, Iterator[bytes]] | None:
    """The first JSON value in ``chunks`` as an item of an array, ended by the "," or "]" after it
    (strings, escapes and nesting respected, the value not checked): (its bytes, the bytes after it
    in what was read, the chunks not read); None when the data ends first."""
    chunks = iter(chunks)
    follower = _ArrayFollower(0, 1, True)
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        follower.feed(chunk)
        if follower.starts and follower.ends:
            text = b"".join(parts)
            start, end = follower.starts[0], follower.ends[0]
            item = text[start:end].rstrip(_WS)
            return (item, text[start + len(item) :], chunks) if item else None
        if size > MAX_ITEM:
            return None
    return None


_ENTRY_KEY_LINE_RE = re.compile(
    rb'\n([ \t]*)\{[ \t\r]*\n[ \t]*"(?:insertId|insert_id|timestamp|textPayload|text_payload|jsonPayload'
    rb"|json_payload|protoPayload|logName|log_name|severity|resource|httpRequest|http_request|errorGroups"
    rb'|receiveTimestamp|labels)"'
)


def _entry_score(value: object) -> int:
    return len(value.keys() & _ENTRY_FIELDS) if isinstance(value, dict) else 0


def _resume_document(
    exc: Exception,
    reader: _PieceReader,
    building: list[list],
    entry_indent: bytes | None,
    fresh: bool,
    source: str,
    stats: ReadStats,
) -> Iterator[Item]:
    """After a parse error in a document: one reject, then the entries after it (pretty input).

    ``fresh``: the error came before anything of the current piece was parsed.

    Reading resumes at the next line that opens an object at the indentation of
    entries: that of the broken object when it is an entry, else of the entries
    read so far, else guessed from the text ahead.
    """
    live = [c for c in building if c[0] is not None]  # objects being built
    if not live and "premature EOF" in str(exc):
        return  # the document is cut after its last entry
    chosen = next((c for c in live if looks_like_entry(c[0].value)), None)
    chosen = chosen or next((c for c in live if _entry_score(c[0].value) >= 2), None)
    indent = chosen[3] if chosen else entry_indent
    rest = reader.rest()
    if indent is None:  # no entry read yet: look ahead for a line opening one
        ahead = [next(rest, b""), next(rest, b""), next(rest, b"")]
        m = _ENTRY_KEY_LINE_RE.search(b"".join(ahead))
        indent = m.group(1) if m else None
        rest = itertools.chain(ahead, rest)
    if chosen is None and live:
        chosen = next((c for c in live if c[3] == indent), live[-1])
        if indent is None:
            indent = chosen[3]
    broken = chosen
    offset = broken[2] if broken is not None and broken[2] is not None else reader.start
    # when the broken object began in the current piece, its whole text is in the first
    # segment: it is retried leniently there (or rejected); otherwise it is rejected here.
    # Outside any object, the error is between items, or at the opening of the piece's item.
    whole = offset == reader.start if broken is not None else fresh and reader.split_started
    if not whole or indent is None:
        stats.read += 1
        stats.reject(Origin(source, offset=offset), _json_error_reason(exc))
    if indent is None:
        return
    marker = b"\n" + indent + b"{"
    yield from _marker_items(_ChunkStream(rest), source, stats, marker, 1, reader.start, True, not whole)


_ITEM_SPLIT_RE = re.compile(rb"[\[,][ \t\r\n]*\{")  # an array item's "{"


def _read_document(stream, source: str, stats: ReadStats) -> Iterator[Item]:
    """One JSON value holding entries as items of lists at any depth.

    Only objects that are direct items of a list are built (ijson's ObjectBuilder);
    one that looks like a LogEntry is yielded as soon as it ends, and the objects
    around it are then known to be containers and no longer built. Pieces end
    right before each list item's ``{``, so such an item starts its piece and its
    offset is exact. After a parse error (one reject), reading resumes at the next
    line that opens an entry at the indentation of the broken one (pretty input).
    """
    reader = _PieceReader(_pieces(stream, _ITEM_SPLIT_RE, None))
    events = ijson.basic_parse(reader, use_float=True, multiple_values=True)
    stack: list[bool] = []  # open containers: True for an array
    # candidates being built: [builder, or None once known to be a container; depth; offset; indent]
    building: list[list] = []
    entry_indent: bytes | None = None  # indentation of the last entry's opening line
    seen = -1  # offset of the piece the last event came from
    while True:
        try:
            event, value = next(events)
        except StopIteration:
            return
        except Exception as exc:  # any parser failure is bad input
            fresh = seen != reader.start  # nothing of the current piece was parsed
            yield from _resume_document(exc, reader, building, entry_indent, fresh, source, stats)
            return
        seen = reader.start
        for cand in building:
            if cand[0] is not None:
                cand[0].event(event, value)
        if event == "start_map":
            if stack and stack[-1]:
                builder = ObjectBuilder()
                builder.event(event, value)
                if reader.split_started:
                    building.append([builder, len(stack), reader.start, reader.indent()])
                else:
                    building.append([builder, len(stack), None, None])
            stack.append(False)
        elif event == "end_map":
            stack.pop()
            if building and building[-1][1] == len(stack):
                builder, _, offset, indent = building.pop()
                if builder is None:
                    continue
                obj = builder.value
                if not looks_like_entry(obj):
                    continue
                if any(c[0] is not None and looks_like_entry(c[0].value) for c in building):
                    continue  # a list nested inside an entry: part of that entry
                for cand in building:
                    cand[0] = None  # the enclosing objects are containers
                if indent is not None:
                    entry_indent = indent
                entry = _accept(obj, Origin(source, offset=offset), stats)
                if entry is not None:
                    yield entry
        elif event == "start_array":
            stack.append(True)
        elif event == "end_array":
            stack.pop()
