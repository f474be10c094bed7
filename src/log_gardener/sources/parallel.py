"""Reading with every core: the inputs cut into pieces, read by worker processes, handed back in order.

A piece is a whole file, or, for a large JSON Lines file, a byte range of it: a range owns the lines
that start in it. Workers decode and normalise (the costly part of reading); entries below the
severity are tallied where they are read (``Counted``); entries come back in input order with their
line numbers made absolute, so everything after reading sees exactly what one process would have read.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from log_gardener.counted import Counted
from log_gardener.limits import LIMITS
from log_gardener.model import Item, ReadStats, Severity
from log_gardener.sources.files import (
    _GZIP_MAGIC,
    CHUNK,
    HEAD_SIZE,
    SourceError,
    _detect_encoding,
    _expand,
    _is_binary,
    _iter_path,
    _read_jsonl,
    detect_format,
    iter_entries,
)

PIECE = LIMITS.read_piece  # bytes of a JSON Lines file per piece


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(slots=True)
class Piece:
    path: str
    given: bool
    start: int = 0
    end: int | None = None  # None: the whole file, in whatever format it is


@dataclass(slots=True)
class _Batch:
    entries: list
    counted: Counted  # the entries only counted, tallied where they were read
    stats: ReadStats
    lines: int  # lines in a byte range (to number the next range's lines)


def read_parallel(inputs: list[str], stats: ReadStats, fmt: str | None = None, jobs: int = 0
                  ) -> Iterator[Item | Counted]:
    """What ``iter_entries`` yields, read by ``jobs`` processes (0: one per core); the entries only counted
    (``counted.py``, with ``stats.light_below``) come as each piece's tally, before its other entries.

    One process (this one) when there is a single core, less input than two pieces (``PIECE``), stdin, or
    no ``fork`` on this platform."""
    jobs = jobs or cores()
    if jobs <= 1 or "-" in inputs or "fork" not in multiprocessing.get_all_start_methods():
        yield from iter_entries(inputs, stats, fmt)
        return
    pieces, size = _plan(inputs, stats, fmt)
    if len(pieces) < 2 or size < 2 * PIECE:  # not worth a process: read here, in order
        for piece in pieces:
            yield from _iter_path(piece.path, stats, fmt, piece.given)
        return
    lines_before: dict[str, int] = {}
    piece = pieces[0]
    # an executor, not a Pool: a worker that dies (the kernel's out-of-memory killer) breaks it, where a
    # Pool would wait for that piece forever
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: deque = deque()
            todo = iter(pieces)
            for nxt in todo:  # at most two pieces a worker ahead: memory stays bounded
                pending.append((nxt, pool.submit(_read_piece, nxt, stats.light_below, fmt)))
                if len(pending) >= 2 * jobs:
                    break
            while pending:
                piece, future = pending.popleft()
                batch: _Batch = future.result()
                nxt = next(todo, None)
                if nxt is not None:
                    pending.append((nxt, pool.submit(_read_piece, nxt, stats.light_below, fmt)))
                base = lines_before.get(piece.path, 0)
                if piece.end is not None:
                    lines_before[piece.path] = base + batch.lines
                    stats.formats[piece.path] = "jsonl"
                yield from _absorb(batch, stats, base)
    except BrokenProcessPool:
        raise SourceError(f"{piece.path}: a reading process died (out of memory?); try --jobs 1") from None


def _absorb(batch: _Batch, stats: ReadStats, base: int) -> Iterator[Item | Counted]:
    got = batch.stats
    fixed: set[int] = set()
    for reject in got.rejects:
        if base and reject.origin.line is not None and id(reject.origin) not in fixed:
            reject.origin.line += base
            fixed.add(id(reject.origin))
    stats.update(got)
    if len(batch.counted):
        yield batch.counted
    for entry in batch.entries:
        origin = entry.origin
        if base and origin is not None and origin.line is not None and id(origin) not in fixed:
            origin.line += base
            fixed.add(id(origin))  # one line's entries share their origin
        yield entry


def _plan(inputs: list[str], stats: ReadStats, fmt: str | None) -> tuple[list[Piece], int]:
    """The pieces to read, in order, and the bytes they hold."""
    pieces: list[Piece] = []
    total = 0
    for path, given in _expand(inputs, stats):
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0  # the worker reports it as one process would
        total += size
        if size >= 2 * PIECE and _splittable(path, fmt):
            starts = list(range(0, size, PIECE))
            pieces += [Piece(path, given, s, min(size, s + PIECE)) for s in starts]
        else:
            pieces.append(Piece(path, given))
    return pieces, total


def _splittable(path: str, fmt: str | None) -> bool:
    """Plain UTF-8 JSON Lines (no compression, no byte order mark): lines can be found from anywhere."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_SIZE)
    except OSError:
        return False
    if head.startswith(_GZIP_MAGIC) or _detect_encoding(head) != ("utf-8", 0) or _is_binary(head):
        return False
    return (fmt or detect_format(head, False)) == "jsonl"


class _Range:
    """A file's bytes from a line start, ending at the first line start at or after ``end``."""

    def __init__(self, fh, pos: int, end: int) -> None:
        self.fh, self.pos, self.end = fh, pos, end
        self.at_start = True
        self.lines = 0

    def readline(self, size: int = -1) -> bytes:
        if self.at_start and self.pos >= self.end:
            return b""
        line = self.fh.readline(size)
        if line and self.at_start:
            self.lines += 1
        self.pos += len(line)
        self.at_start = line.endswith(b"\n")
        return line


def _read_piece(piece: Piece, below: Severity | None, fmt: str | None) -> _Batch:
    stats = ReadStats(light_below=below)
    counted = Counted(below if below is not None else Severity.DEFAULT)
    rng: _Range | None = None
    if piece.end is None:
        items = _iter_path(piece.path, stats, fmt, piece.given)
    else:
        fh = open(piece.path, "rb")  # noqa: SIM115 - closed below
        pos = piece.start
        if pos > 0:
            fh.seek(pos - 1)
            if fh.read(1) != b"\n":  # inside a line: it belongs to the range before
                while True:
                    rest = fh.readline(CHUNK)
                    pos += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
        rng = _Range(fh, pos, piece.end)
        items = _read_jsonl(rng, piece.path, stats, offset=pos)
    try:
        take = counted.take
        entries = [entry for item in items if (entry := take(item)) is not None]
    finally:
        if rng is not None:
            rng.fh.close()
    return _Batch(entries, counted, stats, rng.lines if rng is not None else 0)
