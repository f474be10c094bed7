"""The collecting stages on Apache Beam: read, deduplicate, assemble, select and group on many machines.

The same functions as a local run, arranged so that no stage needs the whole input in one place:

1. each file is read where it lies (``gs://`` or local; JSON Lines plain or gzip, or any format a local
   run reads); entries only counted (below the severity, see ``counted.py``) send only their
   duplicate keys;
2. duplicates are removed globally, on insertId and timestamp, before the severity filter, keeping the
   first copy by file and place in the file (the copy a local run keeps);
3. entries are grouped by stream (an instance's log; a file's lines without time), since a chained
   traceback or a burst needs its whole stream; each stream is assembled, selected and grouped in read
   order, as a local run does it, and held whole (a worker holds the stream already): the result a
   local run gives below ``Limits.max_held``, whatever the order of the files;
4. the partial states are combined with the grouping's own merge; only per-signature aggregates (and the
   timeline the causal analysis reads) reach the driver, which resolves templates, analyses, gardens the
   tracker and reports exactly as ``log-gardener run``.

Results equal a local run's on the same files: ``tests/test_beam.py`` checks it with the DirectRunner.
"""

from __future__ import annotations

import base64
import os
import pickle
import sys
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions

from .analyse.deploys import RevisionActivity
from .counted import only_counted
from .group.grouping import GroupBuilder, GroupState
from .group.grouping import stream_of as grouping_stream
from .group.tally import key_hash
from .limits import LIMITS
from .model import Entry, Glimpse, Origin, ReadStats, Severity
from .parse.assemble import assemble
from .pipeline import Collected, RunOptions, Selection, Totals, select
from .sources.files import SourceError, _expand, _iter_stream, _unreadable

_WHOLE = replace(LIMITS, max_held=sys.maxsize)  # a stream is grouped whole (see 3.)
_MERGE_FAN_IN = 16  # partial states merged at once (a tree: each value is copied log16(n) times)


@dataclass(slots=True)
class _Window:
    """What selection reads of the run's options (picklable, unlike the options themselves)."""

    min_severity: Severity
    start: datetime | None
    end: datetime | None


@dataclass(slots=True)
class _FileFacts:
    stats: ReadStats
    activity: RevisionActivity
    unkeyed: int = 0  # entries only counted, without insertId


@dataclass(slots=True)
class _Part:
    """Selecting and grouping some streams."""

    state: GroupState = field(default_factory=GroupState)
    selection: Selection = field(default_factory=Selection)
    totals: Totals = field(default_factory=Totals)


def glimpse_key(insert_id: str, timestamp: datetime | None) -> int:
    """A Glimpse's duplicate key, the same on every machine (Python's ``hash`` is seeded per process);
    tally's stable hash without its cache (every key here is new: a cache would only churn)."""
    return key_hash.__wrapped__(f"{insert_id}\x00{timestamp.isoformat() if timestamp is not None else ''}")


def expand(inputs: list[str], stats: ReadStats) -> list[str]:
    """Every file to read, in the order a local run reads them: local paths and directories as ``run``
    expands them; patterns and ``gs://`` paths by Beam's file systems, sorted."""
    paths: list[str] = []
    for item in inputs:
        if "://" not in item and not any(c in item for c in "*?["):
            for path, given in _expand([item], stats):
                if given:  # as run: a file named on the command line that cannot be read is an error
                    try:
                        open(path, "rb").close()
                    except OSError as exc:
                        raise SourceError(f"{path}: {exc.strerror or exc}") from None
                paths.append(path)
            continue
        try:
            found = FileSystems.match([item])[0].metadata_list
        except Exception as exc:  # each file system raises its own
            raise SourceError(f"{item}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        if not found:
            raise SourceError(f"{item}: no file matches")
        paths += sorted(m.path for m in found if not os.path.basename(m.path).startswith("."))
    return paths


class _ReadFile(beam.DoFn):
    """One file: its entries (with where they were read), its Glimpses' keys, and what it tells."""

    def __init__(self, below: Severity, fmt: str | None) -> None:
        self.below, self.fmt = below, fmt

    def process(self, item):  # no annotations: Beam would take them for the outputs' types
        index, path = item
        stats = ReadStats(light_below=self.below)
        facts = _FileFacts(stats, RevisionActivity())
        activity = facts.activity
        try:
            raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        except OSError as exc:  # unreadable: one reject, worded as a local run words it
            _unreadable(stats, path, exc)
            yield beam.pvalue.TaggedOutput("files", (index, facts))
            return
        except Exception as exc:  # each remote file system raises its own
            stats.read += 1
            stats.reject(Origin(path), f"unreadable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
            yield beam.pvalue.TaggedOutput("files", (index, facts))
            return
        with raw:
            for n, got in enumerate(_iter_stream(raw, path, stats, self.fmt)):
                if type(got) is Glimpse:
                    activity.add_revision(got.revision, got.timestamp)
                else:
                    activity.add(got)
                if type(got) is Glimpse or only_counted(got, self.below):
                    if got.insert_id:
                        yield beam.pvalue.TaggedOutput("glimpses", glimpse_key(got.insert_id, got.timestamp))
                    else:
                        facts.unkeyed += 1
                    continue
                key = (got.insert_id, got.timestamp.isoformat() if got.timestamp is not None else None) \
                    if got.insert_id else None
                yield key, ((index, n), got)
        yield beam.pvalue.TaggedOutput("files", (index, facts))


def _first_copy(kv):  # (key, copies) -> the first copy read; no annotations: see _ReadFile.process
    _, copies = kv
    copies = sorted(copies, key=lambda c: c[0])
    if len(copies) > 1:
        yield beam.pvalue.TaggedOutput("duplicates", len(copies) - 1)
    yield copies[0]


def stream_key(entry: Entry) -> tuple[str, ...]:
    """The stream an entry is assembled and grouped in: every entry that can join it is in it."""
    if entry.timestamp is None and entry.origin is not None:
        return ("file", entry.origin.source)  # lines without time join by line number, within their file
    return ("stream", *grouping_stream(entry))


def _select_and_group(kv, window, assignments):  # (stream, entries) -> _Part; no annotations: see _ReadFile.process
    _, items = kv
    part = _Part()
    builder = GroupBuilder(keep_assignments=assignments, limits=_WHOLE)
    records = (entry for _, entry in sorted(items, key=lambda item: item[0]))  # read order
    for record in select(assemble(records), window, part.totals):  # type: ignore[arg-type]
        part.selection.add(record)
        builder.add(record)
    part.state = builder.finish()
    return part


def merge_states(states: list[GroupState]) -> GroupState:
    """One state of many, merged as a tree (merging one by one would copy the first ones n times)."""
    if not states:
        return GroupState()
    while len(states) > 1:
        merged = []
        for i in range(0, len(states), _MERGE_FAN_IN):
            group = states[i:i + _MERGE_FAN_IN]
            out = group[0]
            for other in group[1:]:
                out = out.merge(other)
            merged.append(out)
        states = merged
    return states[0]


class _CombineParts(beam.CombineFn):
    def create_accumulator(self) -> list[_Part]:
        return []

    def add_input(self, acc: list[_Part], part: _Part) -> list[_Part]:
        acc.append(part)
        if len(acc) >= 4 * _MERGE_FAN_IN:  # keep what a worker holds small
            acc[:] = [_fold(acc)]
        return acc

    def merge_accumulators(self, accs: Iterable[list[_Part]]) -> list[_Part]:
        return [part for acc in accs for part in acc]

    def extract_output(self, acc: list[_Part]) -> _Part:
        return _fold(acc)


def _fold(parts: list[_Part]) -> _Part:
    out = _Part()
    for part in parts:
        out.selection.update(part.selection)
        out.totals.update(part.totals)
    out.state = merge_states([p.state for p in parts])
    return out


class _Sum(beam.CombineFn):
    def create_accumulator(self) -> int:
        return 0

    def add_input(self, acc: int, n: int) -> int:
        return acc + n

    def merge_accumulators(self, accs: Iterable[int]) -> int:
        return sum(accs)

    def extract_output(self, acc: int) -> int:
        return acc


def _encode(value: Any) -> str:
    return base64.b64encode(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).decode("ascii")


def collector(beam_args: list[str]):
    """A ``RunOptions.collector`` that runs the collecting stages as a Beam pipeline with ``beam_args``
    (``--runner``, and the runner's options), then hands the driver what a local collect would."""

    def collect(opts: RunOptions) -> Collected:
        return run_pipeline(opts, beam_args)

    return collect


def run_pipeline(opts: RunOptions, beam_args: list[str]) -> Collected:
    pre = ReadStats(light_below=opts.min_severity)  # what expanding the inputs already rejected
    paths = expand(list(opts.inputs), pre)
    options = PipelineOptions(beam_args)
    temp = options.view_as(GoogleCloudOptions).temp_location
    local_temp = None
    if not temp:
        local_temp = tempfile.TemporaryDirectory(prefix="log-gardener-beam-")
        temp = local_temp.name
    out = FileSystems.join(temp, f"log-gardener-{uuid.uuid4().hex}", "result")
    window = _Window(opts.min_severity, opts.start, opts.end)
    try:
        with beam.Pipeline(options=options) as p:
            read = (p | "Files" >> beam.Create(list(enumerate(paths)))
                    | "Spread" >> beam.Reshuffle()
                    | "Read" >> beam.ParDo(_ReadFile(opts.min_severity, opts.fmt)).with_outputs(
                        "files", "glimpses", main="entries"))
            entries = read.entries
            keyed = entries | "WithInsertId" >> beam.Filter(lambda kv: kv[0] is not None)
            unkeyed = (entries | "WithoutInsertId" >> beam.Filter(lambda kv: kv[0] is None)
                       | "Unkey" >> beam.Map(lambda kv: kv[1]))
            firsts = (keyed | "ByCopy" >> beam.GroupByKey()
                      | "FirstCopy" >> beam.FlatMap(_first_copy).with_outputs("duplicates", main="kept"))
            kept = (firsts.kept, unkeyed) | "Kept" >> beam.Flatten()
            part = (kept | "ByStream" >> beam.Map(lambda item: (stream_key(item[1]), item))
                    | "Streams" >> beam.GroupByKey()
                    | "SelectAndGroup" >> beam.Map(_select_and_group, window, opts.assignments_path is not None)
                    | "Combine" >> beam.CombineGlobally(_CombineParts()))
            duplicates = firsts.duplicates | "Duplicates" >> beam.CombineGlobally(_Sum())
            glimpse_copies = (read.glimpses | "GlimpseCopies" >> beam.combiners.Count.PerElement()
                              | "Extra" >> beam.Map(lambda kv: kv[1] - 1))
            glimpses = glimpse_copies | "Glimpses" >> beam.combiners.Count.Globally()
            glimpse_dups = glimpse_copies | "GlimpseDuplicates" >> beam.CombineGlobally(_Sum())
            results = (
                (read.files | "TagFiles" >> beam.Map(lambda f: ("file", f)),
                 part | "TagPart" >> beam.Map(lambda x: ("part", x)),
                 duplicates | "TagDups" >> beam.Map(lambda n: ("duplicates", n)),
                 glimpses | "TagGlimpses" >> beam.Map(lambda n: ("glimpses", n)),
                 glimpse_dups | "TagGlimpseDups" >> beam.Map(lambda n: ("glimpse_duplicates", n)))
                | "Results" >> beam.Flatten())
            _ = (results | "Encode" >> beam.Map(_encode)
                 | "Write" >> beam.io.WriteToText(out, shard_name_template="", num_shards=1))
        return _assemble(_read_results(out), pre)
    finally:
        if local_temp is not None:
            local_temp.cleanup()


def _read_results(path: str) -> list[tuple[str, Any]]:
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as fh:
        lines = fh.read().splitlines()
    FileSystems.delete([path])
    return [pickle.loads(base64.b64decode(line)) for line in lines if line.strip()]


def _assemble(results: list[tuple[str, Any]], pre: ReadStats) -> Collected:
    files = sorted((value for tag, value in results if tag == "file"), key=lambda f: f[0])
    found = {tag: value for tag, value in results if tag != "file"}
    stats, activity, unkeyed = pre, RevisionActivity(), 0
    for _, facts in files:  # in read order: the rejects kept, an instance's first revision
        stats.update(facts.stats)
        activity.update(facts.activity)
        unkeyed += facts.unkeyed
    part: _Part = found["part"]
    totals = part.totals
    totals.read, totals.rejected = stats.read, stats.rejected
    totals.duplicates += found["duplicates"] + found["glimpse_duplicates"] + stats.duplicates
    totals.below_severity += found["glimpses"] + unkeyed
    return Collected(stats, totals, part.selection, part.state, activity)
