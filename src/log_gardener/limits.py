"""Every bound log-gardener applies, in one place.

Logs are written by code nobody here controls, sometimes by attackers: each stage caps
what it keeps and how much work one input can cause, so that time and memory grow with
the problems, not with the entries or with how hostile a line is. What a cap leaves out
is counted, never silently dropped. The modules read their bounds from ``LIMITS``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    # reading
    max_json_line: int = 512 << 20  # bytes of one JSON Lines line; a longer one is rejected unparsed
    read_piece: int = 32 << 20  # bytes of a JSON Lines file one reading process takes at a time (--jobs)
    text_memo: int = 1 << 14  # distinct texts whose derived facts (message, level) reading keeps memoised
    max_kept_rejects: int = 1000  # rejected inputs described one by one (all are counted)
    earliest_year: int = 1970  # entries dated before this year, or after latest_year, are rejected:
    latest_year: int = 2199  # a broken clock must not become the watermark of --since last
    # parsing: no regex sees more than these
    max_line: int = 4096  # characters of one line matched by the stack-trace parsers
    max_value: int = 2000  # characters of an exception value kept
    max_frames: int = 200  # frames kept per exception (the innermost); the others are counted
    max_record_lines: int = 2000  # lines joined into one multi-line record
    max_run: int = 10_000  # entries of one stream held at once while joining records
    # grouping
    max_message_chars: int = 4096  # characters of a message's first line that count for its template
    max_template_words: int = 200  # words a template keeps; a longer one says it was capped
    max_distinct_messages: int = 200_000  # distinct masked messages the miner holds before folding them
    max_vocabulary: int = 20_000  # learned templates carried in the state (least recently seen go first)
    max_samples: int = 3  # sample entries kept per signature (the earliest)
    max_tracked: int = 1000  # distinct instances, revisions, components... kept per signature (smallest hashes;
    #   past it, the distinct count is estimated: group/tally.py)
    max_quoted: int = 32  # other messages one message is linked to by quoting them
    max_burst_signatures: int = 12  # a burst with more signatures is concurrency, not one event
    max_held: int = 200_000  # selected entries grouping holds before it groups the settled part of its streams
    #   (what lies a minute behind each stream's newest entry); below it, the result does not depend on how
    #   the input was ordered or split into files (a sink's stderr files read before its stdout files)
    max_signatures: int = 20_000  # distinct signatures grouping holds; past it, messages seen once fold into the tail
    max_problems: int = 1000  # problems kept apart in one run; rarer ones fold into one tail problem per severity
    # gardening
    max_alias_keys: int = 50  # earlier ids of a problem the tracker is searched by
    lock_wait_s: float = 900.0  # how long a run waits for another run on the same state to finish


LIMITS = Limits()
