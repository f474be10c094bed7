"""Stack trace parsing: turn the text of a traceback into typed frames and exceptions.

Python tracebacks (with chained exceptions and cut-off tails) are parsed here;
each language has its own parser behind ``parse_stack``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True)
class Frame:
    file: str
    function: str
    line: int | None
    in_app: bool
    code: str | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(slots=True)
class ExceptionInfo:
    type: str | None  # None when the trace was cut before the exception line
    value: str
    frames: list[Frame] = field(default_factory=list)
    truncated: bool = False

    @property
    def innermost_app_frame(self) -> Frame | None:
        for frame in reversed(self.frames):
            if frame.in_app:
                return frame
        return self.frames[-1] if self.frames else None


@dataclass(slots=True)
class StackTrace:
    language: str
    exceptions: list[ExceptionInfo]  # as written; for Python the first is the original cause
    header: str = ""  # text before the trace ("Exception in ASGI application")

    @property
    def root(self) -> ExceptionInfo:
        """The original cause: what the error really is."""
        for exc in self.exceptions:
            if exc.type is not None:
                return exc
        return self.exceptions[0]

    @property
    def outer(self) -> ExceptionInfo:
        return self.exceptions[-1]

    @property
    def truncated(self) -> bool:
        return any(e.truncated for e in self.exceptions)


# --- Python ---------------------------------------------------------------

PY_TRACEBACK_HEAD = "Traceback (most recent call last):"
PY_CONNECTORS = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)
_PY_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+))?\s*$')
_PY_EXC_LINE = re.compile(r"^(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault|"
                          r"Timeout|Iteration|Failure|Stop\w*|[A-Z]\w*))(?::\s?(?P<value>.*))?$")
_CARETS = re.compile(r"^\s*[~^]+\s*$")
_RAISE_GUESS = re.compile(r"\braise\s+([A-Za-z_][\w.]*)")

# Library code: site-packages, the standard library, frozen importlib, generated code.
_LIBRARY_PATH = re.compile(
    r"(site-packages|dist-packages|/lib/python\d(\.\d+)?/|\\lib\\python|^<frozen |^<string>|^<[a-z_]+>$)"
)


def is_library_path(path: str) -> bool:
    return bool(_LIBRARY_PATH.search(path))


def _parse_python(text: str) -> StackTrace | None:
    start = text.find(PY_TRACEBACK_HEAD)
    if start < 0:
        return None
    header = text[:start].strip()
    lines = text[start:].splitlines()
    exceptions: list[ExceptionInfo] = []
    current: ExceptionInfo | None = None
    state = "idle"  # idle | frames | value
    for raw in lines:
        line = raw.rstrip()
        if line.startswith(PY_TRACEBACK_HEAD):
            if current is not None and current.type is None:
                current.truncated = True
            current = ExceptionInfo(type=None, value="")
            exceptions.append(current)
            state = "frames"
            continue
        if current is None:
            continue
        if line in PY_CONNECTORS:
            state = "idle"
            continue
        if state == "frames":
            m = _PY_FRAME.match(line)
            if m:
                path = m.group("file")
                current.frames.append(
                    Frame(
                        file=path,
                        function=(m.group("func") or "?").strip(),
                        line=int(m.group("line")),
                        in_app=not is_library_path(path),
                    )
                )
                continue
            if not line.strip() or _CARETS.match(line):
                continue
            if line.startswith((" ", "\t")):
                if current.frames and current.frames[-1].code is None:
                    last = current.frames[-1]
                    current.frames[-1] = Frame(last.file, last.function, last.line, last.in_app, line.strip())
                continue
            m = _PY_EXC_LINE.match(line.strip())
            if m:
                current.type = m.group("type")
                current.value = (m.group("value") or "").strip()
                state = "value"
                continue
            # an unindented line that is no exception line: the trace was cut here
            current.truncated = True
            state = "idle"
            continue
        if state == "value":
            if not line.strip():
                state = "idle"
                continue
            current.value = (current.value + "\n" + line).strip() if len(current.value) < 2000 else current.value
    if not exceptions:
        return None
    for exc in exceptions:
        if exc.type is None:
            exc.truncated = True
            guess = None
            for frame in reversed(exc.frames):
                if frame.code:
                    m = _RAISE_GUESS.search(frame.code)
                    if m:
                        guess = m.group(1)
                    break
            if guess:
                exc.value = f"(cut off; raised as {guess})"
    return StackTrace(language="python", exceptions=exceptions, header=header)


_PARSERS = (_parse_python,)


def looks_like_stack(text: str) -> bool:
    return PY_TRACEBACK_HEAD in text


def parse_stack(text: str) -> StackTrace | None:
    """Parse the first stack trace in ``text``; None when there is none."""
    if not text:
        return None
    for parser in _PARSERS:
        trace = parser(text)
        if trace is not None:
            return trace
    return None
