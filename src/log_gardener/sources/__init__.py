"""Input sources: files, directories and stdin in every Cloud Logging export format."""

from log_gardener.sources.files import FORMATS, SourceError, detect_format, iter_entries
from log_gardener.sources.normalize import looks_like_entry, parse_timestamp, to_entry

__all__ = [
    "FORMATS",
    "SourceError",
    "detect_format",
    "iter_entries",
    "looks_like_entry",
    "parse_timestamp",
    "to_entry",
]
