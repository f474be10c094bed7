"""Cloud Run's own messages, said the way a person would title an issue about them.

Cloud Run writes a small, documented vocabulary about the containers it runs (system logs,
revision events, request logs). Their text is long and built for a log line; an issue title
should say what happened first.
"""

from __future__ import annotations

import re

_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Ready condition status changed to False for Revision (?P<rev>\S+) with message: (?P<why>.*)"),
     "Revision {rev} is not ready: {why}"),
    (re.compile(r"Default STARTUP (?P<kind>TCP|HTTP|GRPC) probe failed \d+ times? consecutively for container "
                r"\"(?P<container>[^\"]+)\""),
     "Start-up {kind} probe failed: container {container} never became ready, the instance was not started"),
    (re.compile(r"Memory limit of (?P<limit>[\d.]+ ?\w+) exceeded with (?P<used>[\d.]+ ?\w+) used"),
     "Memory limit of {limit} exceeded ({used} used): the instance was stopped"),
    (re.compile(r"The request failed because either the HTTP response was malformed or connection to the instance "
                r"had an error"),
     "Requests failed: the instance's response was malformed or its connection broke"),
)


_PLATFORM = re.compile(r"Container called exit\(|Container terminated on signal |"
                       + "|".join(p.pattern for p, _ in _TITLES))


def is_platform_message(message: str) -> bool:
    """One of Cloud Run's own messages about a container, a revision or a request."""
    return _PLATFORM.match(message) is not None


def platform_title(message: str) -> str | None:
    """A readable title for one of Cloud Run's own messages, or None."""
    for pattern, title in _TITLES:
        m = pattern.match(message)
        if m is not None:
            return title.format(**{k: v.strip() for k, v in m.groupdict().items()})
    return None
