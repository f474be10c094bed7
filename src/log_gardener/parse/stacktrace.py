"""Stack trace parsing: turn the text of a traceback into typed frames and exceptions.

Python, Java (and other JVM languages), JavaScript (V8/Node), Go, Ruby, .NET and PHP
traces are parsed here, each by its own parser behind ``parse_stack``; chained
exceptions and cut-off tails included.

Conventions shared by every language:

- ``ExceptionInfo.frames`` is outermost first, innermost last (the order Python
  prints); languages that print the innermost frame first are reversed on parse.
- At most ``MAX_FRAMES`` frames are kept per exception (the innermost ones); in the
  languages other than Python a frame repeated consecutively (recursion) is kept
  once. ``omitted_frames`` counts what was left out.
- ``StackTrace.root`` is the original cause: the first exception for Python, PHP
  and Go (printed cause first), the innermost ``Caused by``/inner exception/cause
  for Java, .NET, JavaScript and Ruby (printed cause last).
- Nothing here raises on odd input: empty text, control characters, enormous or
  cut-off traces all give a result or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..limits import LIMITS


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
    omitted_frames: int = 0  # frames not kept: beyond MAX_FRAMES, or consecutive repeats (recursion)

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
    root_last: bool = False  # the original cause is written last (Java "Caused by", .NET inner exceptions)

    @property
    def root(self) -> ExceptionInfo:
        """The original cause: what the error really is."""
        order = reversed(self.exceptions) if self.root_last else self.exceptions
        for exc in order:
            if exc.type is not None:
                return exc
        return self.exceptions[-1] if self.root_last else self.exceptions[0]

    @property
    def outer(self) -> ExceptionInfo:
        return self.exceptions[-1]

    @property
    def truncated(self) -> bool:
        return any(e.truncated for e in self.exceptions)


MAX_FRAMES = LIMITS.max_frames
MAX_LINE = LIMITS.max_line
MAX_VALUE = LIMITS.max_value
HEADER_LOOKBACK = 30  # lines above the first frame searched for the exception line


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
        if len(exc.frames) > MAX_FRAMES:  # keep the innermost
            exc.omitted_frames += len(exc.frames) - MAX_FRAMES
            del exc.frames[:-MAX_FRAMES]
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


# --- shared helpers for the other languages ----------------------------------------


def _lines(text: str) -> list[str]:
    """Lines split on "\\n" only (so offsets from a regex search map to line numbers), capped in length."""
    return [ln[:MAX_LINE].rstrip() for ln in text.split("\n")]


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def _locate(trigger: re.Pattern[str], text: str) -> tuple[re.Match[str], list[str], int] | None:
    """Where a language's trigger first matches: the match, the text's lines, and the line it is on."""
    trig = trigger.search(text)
    if trig is None:
        return None
    return trig, _lines(text), _line_at(text, trig.start())


def _last_line(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i
    return -1


def _add_frame(exc: ExceptionInfo, frame: Frame) -> None:
    """Append a frame as printed (innermost first): recursion kept once, at most MAX_FRAMES."""
    frames = exc.frames
    if frames and frames[-1].function == frame.function and frames[-1].file == frame.file:
        exc.omitted_frames += 1
        return
    if len(frames) >= MAX_FRAMES:
        exc.omitted_frames += 1
        return
    frames.append(frame)


def _append_value(exc: ExceptionInfo, more: str) -> None:
    more = more.strip()
    if more and len(exc.value) < MAX_VALUE:
        exc.value = (exc.value + "\n" + more).strip()


def _done(language: str, exceptions: list[ExceptionInfo], header: str, root_last: bool) -> StackTrace:
    for exc in exceptions:
        exc.frames.reverse()  # printed innermost first; stored outermost first
    return StackTrace(language=language, exceptions=exceptions, header=header.strip()[:MAX_VALUE],
                      root_last=root_last)


# --- Java (and Kotlin, Scala, Groovy: anything printed by Throwable.printStackTrace) ---

_JAVA_EXTS = (".java", ".kt", ".kts", ".scala", ".groovy", ".clj", ".cljc", ".aj", ".jsp")
_JAVA_TRIGGER = re.compile(
    r"^[ \t]*at [^\s(]+\((?:[^()\n]*\.(?:java|kt|kts|scala|groovy|clj|cljc|aj|jsp)(?::\d+)?|Native Method"
    r"|Unknown Source(?::\d+)?|<generated>|[\w$.-]+:\d+)\)"
    r'|Exception in thread "'
    # an exception line and a frame cut off before its location
    r"|^[ \t]*(?:Caused by: )?(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error|Throwable)\b[^\n]*"
    r"\n[ \t]+at [\w$]",
    re.M,
)
_JAVA_FRAME = re.compile(
    r"^\s*at\s+(?:[\w.-]+(?:@[\w.+-]*)?/+)?(?P<func>[^\s()]+)\((?P<loc>[^()]*)\)(?:\s+~?\[[^\]]*\])*\s*$"
)
_JAVA_LOC = re.compile(
    r"^(?:Native Method|Unknown Source(?::\d+)?|<generated>|(?P<file>[\w$.<>-]+?)(?::(?P<line>\d+))?)$"
)
_JAVA_PARTIAL = re.compile(r"^\s*at\s+(?:[\w.-]+(?:@[\w.+-]*)?/+)?(?P<func>[^\s()]+)")
_JAVA_EXC = re.compile(
    r"^\s*(?:(?P<kind>Caused by|Suppressed|Wrapped by):\s*"
    r'|Exception in thread "[^"]*"\s+|Exception in thread \S+\s+)?'
    r"(?P<type>(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*|[A-Z][\w$]*(?:Exception|Error|Throwable))"
    r"(?::\s?(?P<value>.*))?\s*$"
)
_JAVA_EMBEDDED = re.compile(
    r"(?:^|[\s:])(?P<type>(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable))(?::\s|$)"
)
_JAVA_MORE = re.compile(r"^\s*\.\.\. \d+ (?:more|common frames omitted)\s*$")
JAVA_LIBRARY_PREFIXES = (
    "java.", "javax.", "jakarta.", "sun.", "com.sun.", "jdk.", "kotlin.", "kotlinx.", "scala.", "groovy.",
    "org.codehaus.groovy.", "org.springframework.", "org.apache.", "org.hibernate.", "org.eclipse.",
    "org.glassfish.", "org.jboss.", "org.junit.", "org.mockito.", "org.slf4j.", "ch.qos.logback.", "io.netty.",
    "io.grpc.", "io.micrometer.", "io.undertow.", "io.vertx.", "io.quarkus.", "io.micronaut.", "io.reactivex.",
    "reactor.", "com.fasterxml.", "com.google.common.", "com.google.protobuf.", "com.google.gson.",
    "com.google.cloud.", "com.google.api.", "com.zaxxer.", "com.mysql.", "org.postgresql.", "okhttp3.", "okio.",
    "retrofit2.", "feign.", "net.bytebuddy.", "org.aspectj.", "akka.", "software.amazon.", "com.amazonaws.",
    "org.jooq.", "org.flywaydb.", "liquibase.", "org.mybatis.", "org.thymeleaf.", "freemarker.", "org.quartz.",
    "io.opentelemetry.", "io.github.resilience4j.", "org.elasticsearch.", "redis.clients.", "io.lettuce.",
    "com.mongodb.", "org.mongodb.",
)
_JAVA_SYNTHETIC = re.compile(r"\$\$Lambda|\$\$\w*(?:CGLIB|Enhancer|Proxy|ByteBuddy|Mockito)|\$Proxy\d|Accessor\d")


def _java_in_app(func: str) -> bool:
    return not func.startswith(JAVA_LIBRARY_PREFIXES) and not _JAVA_SYNTHETIC.search(func)


def _java_frame(line: str) -> Frame | None:
    m = _JAVA_FRAME.match(line)
    if m is None:
        return None
    loc = _JAVA_LOC.match(m.group("loc"))
    if loc is None:
        return None
    file, lineno = loc.group("file"), loc.group("line")
    if file is not None and lineno is None and not file.endswith(_JAVA_EXTS):
        return None  # "(Int32 id)" is .NET, "(String)" is nothing we know
    func = m.group("func")
    return Frame(file=file or m.group("loc"), function=func, line=int(lineno) if lineno else None,
                 in_app=_java_in_app(func))


def _java_header(line: str) -> re.Match[str] | None:
    at = line.find('Exception in thread "')
    return _JAVA_EXC.match(line[at:] if at > 0 else line)


def _parse_java(text: str) -> StackTrace | None:
    found = _locate(_JAVA_TRIGGER, text)
    if found is None:
        return None
    _trig, lines, i = found
    # the exception line: the trigger itself, or the nearest header above the first frame
    start = None
    prefix = ""
    m = _java_header(lines[i])
    if m is not None and not lines[i].lstrip().startswith("at "):
        start = i
    else:
        for j in range(i - 1, max(-1, i - 1 - HEADER_LOOKBACK), -1):
            if _java_header(lines[j]) is not None:
                start = j
                break
            e = _JAVA_EMBEDDED.search(lines[j])
            if e is not None:  # "12:00:00 ERROR Foo : com.shop.BadThing: msg": after a logger's prefix
                start = j
                prefix, lines[j] = lines[j][: e.start("type")], lines[j][e.start("type"):]
                break
    header_end = start if start is not None else i
    exceptions: list[ExceptionInfo] = []
    current: ExceptionInfo | None = None
    wrapped = False
    suppress_indent: int | None = None
    last = _last_line(lines)
    for idx in range(header_end, len(lines)):
        line = lines[idx]
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if suppress_indent is not None:
            # a suppressed exception (and its causes) is printed one level deeper: not the chain
            if indent > suppress_indent or (indent == suppress_indent and not stripped.startswith("at ")):
                continue
            suppress_indent = None
        frame = _java_frame(line) if stripped.startswith("at") else None
        if frame is not None:
            if current is None:
                current = ExceptionInfo(type=None, value="", truncated=True)
                exceptions.append(current)
            _add_frame(current, frame)
            continue
        if _JAVA_MORE.match(line):
            continue
        m = _java_header(line) if idx == start or current is not None else None
        if m is not None and not stripped.startswith("at "):
            kind = m.group("kind")
            if kind == "Suppressed":
                suppress_indent = indent
                continue
            if current is not None and kind is None and (current.frames or idx - header_end > HEADER_LOOKBACK):
                break  # another exception line after a complete trace: not ours
            wrapped = wrapped or kind == "Wrapped by"
            current = ExceptionInfo(type=m.group("type"), value=(m.group("value") or "").strip())
            exceptions.append(current)
            continue
        if stripped.startswith("at ") and idx == last and current is not None:
            p = _JAVA_PARTIAL.match(line)  # cut off mid-frame
            if p is not None:
                func = p.group("func")
                _add_frame(current, Frame(file="?", function=func, line=None, in_app=_java_in_app(func)))
            current.truncated = True
            break
        if current is not None and not current.frames and not stripped.startswith("at "):
            _append_value(current, stripped)  # a message of several lines
            continue
        break
    if not exceptions:
        return None
    if not any(e.frames for e in exceptions) and "Exception in thread" not in lines[header_end]:
        return None  # an exception-looking line and nothing else: leave it to the others
    return _done("java", exceptions, "\n".join([*lines[:header_end], prefix]), root_last=not wrapped)


# --- .NET (Exception.ToString()) --------------------------------------------------

_NET_TRIGGER = re.compile(r"^[ \t]*at [^\s(]+\([^()\n]*\)(?: in [^\n]+:line \d+)?[ \t]*$", re.M)
_NET_FRAME = re.compile(r"^\s*at (?P<func>[^\s(]+)\((?P<args>[^()]*)\)(?: in (?P<file>.+?):line (?P<line>\d+))?\s*$")
_NET_PARTIAL = re.compile(r"^\s*at (?P<func>[^\s(]+)")
_NET_EXC = re.compile(
    r"^\s*(?:Unhandled [Ee]xception[.:]\s*)?(?:--->\s*)?(?:\(Inner Exception #\d+\)\s*)?"
    r"(?P<type>[A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)+|[A-Z]\w*Exception)"
    r"(?:\s\((?:0x[0-9A-Fa-f]+|-?\d+)\))?:(?:\s(?P<value>.*))?$"
)
NET_LIBRARY_PREFIXES = (
    "System.", "Microsoft.", "Newtonsoft.", "Npgsql.", "Grpc.", "Google.Protobuf.", "Polly.", "Castle.",
    "Serilog.", "NLog.", "StackExchange.Redis.", "MySqlConnector.", "Dapper.", "MediatR.", "AutoMapper.",
    "FluentValidation.", "Swashbuckle.", "Azure.", "Amazon.", "Xunit.", "NUnit.", "lambda_method",
)


def _net_exceptions(line: str) -> list[ExceptionInfo] | None:
    """One header line: "Outer: msg" or, on old runtimes, "Outer: msg ---> Inner: msg"."""
    out: list[ExceptionInfo] = []
    for part in line.split(" ---> "):
        m = _NET_EXC.match(part)
        if m is None:
            if not out:
                return None
            out[-1].value += " ---> " + part.strip()
            continue
        out.append(ExceptionInfo(type=m.group("type"), value=(m.group("value") or "").strip()))
    return out


def _net_frame(line: str) -> Frame | None:
    m = _NET_FRAME.match(line)
    if m is None or "." not in m.group("func"):
        return None
    func = m.group("func")
    file = m.group("file")
    return Frame(file=file or func.rpartition(".")[0], function=func,
                 line=int(m.group("line")) if m.group("line") else None,
                 in_app=not func.startswith(NET_LIBRARY_PREFIXES))


def _parse_dotnet(text: str) -> StackTrace | None:
    found = _locate(_NET_TRIGGER, text)
    if found is None:
        return None
    _trig, lines, i0 = found
    # the header block above the first frame: "Outer: msg", " ---> Inner: msg", message lines
    start = i0
    for j in range(i0 - 1, max(-1, i0 - 1 - HEADER_LOOKBACK), -1):
        stripped = lines[j].strip()
        if not stripped:
            break
        if _NET_EXC.match(stripped.split(" ---> ")[0]):
            start = j
            if not stripped.startswith("--->"):
                break
    exceptions: list[ExceptionInfo] = []
    for j in range(start, i0):
        found = _net_exceptions(lines[j].strip()) if lines[j].strip() else None
        if found:
            exceptions.extend(found)
        elif exceptions:
            _append_value(exceptions[-1], lines[j])
    if not exceptions:
        exceptions.append(ExceptionInfo(type=None, value="", truncated=True))
    segment = 0  # frames before the first "End of inner exception" belong to the innermost
    last = _last_line(lines)
    for idx in range(i0, len(lines)):
        stripped = lines[idx].strip()
        if not stripped:
            break
        target = exceptions[max(0, len(exceptions) - 1 - segment)]
        frame = _net_frame(lines[idx]) if stripped.startswith("at ") else None
        if frame is not None:
            _add_frame(target, frame)
            continue
        if stripped.startswith("--- End of inner exception"):
            segment += 1
            continue
        if stripped.startswith("--- End of stack trace") or stripped.startswith("--- End of"):
            continue
        if idx == last and stripped.startswith("at "):
            p = _NET_PARTIAL.match(lines[idx])
            if p is not None:
                func = p.group("func")
                _add_frame(target, Frame(file="?", function=func, line=None,
                                         in_app=not func.startswith(NET_LIBRARY_PREFIXES)))
            target.truncated = True
        break
    if not any(e.frames for e in exceptions):
        return None
    return _done("dotnet", exceptions, "\n".join(lines[:start]), root_last=True)


# --- JavaScript (V8: Node, Chrome, Deno, Bun) -------------------------------------

# (every pattern here is linear in the line: no two unbounded quantifiers compete for the same text)
_JS_TRIGGER = re.compile(
    r"^[ \t]*at [^\n]*(?:\)|:\d+)(?:[ \t]+\{)?[ \t]*$"
    # an error line and a first frame cut off before its location
    r"|^(?P<head>[ \t]*(?:Uncaught )?[A-Z_$][\w$.]*(?: \[[^\]\n]+\])?(?::[^\n]*)?\n[ \t]+at \S[^\n]*$)",
    re.M,
)
_JS_FRAME = re.compile(r"^\s*at (?:async )?(?:(?P<func>[^\s(][^(]*?(?: \[as [^\]]*\])?) \((?P<loc>.*)\)|(?P<bare>.+))$")
_JS_LOC = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::\d+)?$")
_JS_SPECIAL_LOC = ("<anonymous>", "native", "unknown location")
_JS_EXC = re.compile(
    r"^\s*(?:Uncaught\s+(?:exception\s+)?)?(?P<cause>\[cause\]:\s*)?(?P<type>[A-Z_$][\w$.]*)"
    r"(?:\s\[(?P<code>[^\]]+)\])?(?::\s?(?P<value>.*))?\s*(?:\{\s*)?$"
)
_JS_ERROR_NAME = re.compile(r"(?:Error|Exception|Rejection)$")


def _js_in_app(file: str) -> bool:
    if file.startswith(("node:", "internal/", "<anonymous>", "native", "index ", "bootstrap", "eval ")):
        return False
    if "node_modules/" in file or "node_modules\\" in file:
        return False
    return "/" in file or "\\" in file  # "events.js": a core module of old Node


def _js_frame(line: str) -> Frame | None:
    if line.endswith("{"):  # util.inspect: "at f (file:1:2) {" then the error's own properties
        line = line[:-1].rstrip()
    m = _JS_FRAME.match(line)
    if m is None:
        return None
    if m.group("bare") is not None:
        func, loc = "<anonymous>", m.group("bare")
    else:
        func, loc = m.group("func"), m.group("loc")
    lm = _JS_LOC.match(loc)
    if lm is None:
        special = loc in _JS_SPECIAL_LOC or loc.startswith("index ")
        if m.group("bare") is not None or not special:
            return None
        file, lineno = loc, None
    else:
        file, lineno = lm.group("file"), int(lm.group("line"))
    if file.startswith("file://"):
        file = file[7:]
    return Frame(file=file, function=func, line=lineno, in_app=_js_in_app(file))


# "POST /api/cart failed: TypeError: Cannot read ...": console.error(prefix, err) puts the error after a prefix
_JS_EMBEDDED = re.compile(r": ((?:[A-Z][\w$]{0,80})?(?:Error|Exception)(?: \[[^\]\n]{1,40}\])?: .*)$")


def _js_exception(line: str) -> ExceptionInfo | None:
    m = _JS_EXC.match(line)
    if m is None:
        embedded = _JS_EMBEDDED.search(line[:MAX_LINE])
        return _js_exception(embedded.group(1)) if embedded is not None else None
    name = m.group("type")
    if m.group("value") is None and not _JS_ERROR_NAME.search(name) and not line.rstrip().endswith(":"):
        return None  # a bare word: not an error name
    if m.group("code"):
        name = f"{name} [{m.group('code')}]"
    return ExceptionInfo(type=name, value=(m.group("value") or "").strip())


def _parse_javascript(text: str) -> StackTrace | None:
    found = _locate(_JS_TRIGGER, text)
    if found is None:
        return None
    trig, lines, i0 = found
    for idx in range(i0, len(lines)):  # the trigger is looser than a frame
        if lines[idx].lstrip().startswith("at ") and _js_frame(lines[idx]) is not None:
            i0 = idx
            break
    else:
        if trig.group("head") is None or i0 + 1 != _last_line(lines):
            return None
        i0 += 1  # "Error: msg" and one frame, cut off
    # the error line: the nearest above the first frame that names an error, else the nearest "Name: value"
    start, first = i0, None
    best = None
    for j in range(i0 - 1, max(-1, i0 - 1 - HEADER_LOOKBACK), -1):
        exc = _js_exception(lines[j])
        if exc is None:
            continue
        if best is None:
            best = (j, exc)
        if _JS_ERROR_NAME.search(exc.type.split(" [")[0]):
            best = (j, exc)
            break
    if best is not None:
        start, first = best
        for j in range(start + 1, i0):
            _append_value(first, lines[j])
    else:
        first = ExceptionInfo(type=None, value="", truncated=True)
    exceptions = [first]
    current = first
    in_props = False
    last = _last_line(lines)
    for idx in range(i0, len(lines)):
        line = lines[idx]
        stripped = line.strip()
        if not stripped:
            continue
        frame = _js_frame(line) if stripped.startswith("at ") else None
        if frame is not None:
            _add_frame(current, frame)
            in_props = in_props or stripped.endswith("{")
            continue
        if stripped.startswith("[cause]:"):
            exc = _js_exception(stripped)
            current = exc or ExceptionInfo(type=None, value=stripped[8:].strip(), truncated=True)
            exceptions.append(current)
            continue
        if in_props and stripped != "}":
            continue  # util.inspect properties: "code: 'E_X'," and the like
        if idx == last and stripped.startswith("at "):
            p = re.match(r"at (?:async )?([^\s(]+) \(", stripped)  # cut off mid-frame
            if p is not None:
                _add_frame(current, Frame(file="?", function=p.group(1), line=None, in_app=True))
            current.truncated = True
        if not current.frames and current is not first:
            _append_value(current, stripped)
            continue
        break
    return _done("javascript", exceptions, "\n".join(lines[:start]), root_last=True)


# --- Go (panics, fatal errors, runtime.Stack / debug.Stack) -----------------------

_GO_TRIGGER = re.compile(r"^goroutine \d+\b[^\n]*\[[^\]\n]*\]:[ \t]*$", re.M)
_GO_FUNC = re.compile(r"^(?P<func>(?:[^\s()]|\([^\s()]*\)(?=\.))+)\((?P<args>.*)\)?\s*$")
_GO_PARTIAL = re.compile(r"^(?:(?:[^\s()]|\([^\s()]*\)(?=\.))+\(|[\w./*()\[\]-]+$)")  # a function line cut off
_GO_CREATED = re.compile(r"^created by (?P<func>\S+)(?: in goroutine \d+)?\s*$")
_GO_FILE = re.compile(r"^\s+(?P<file>\S.*?):(?P<line>\d+)(?:\s+\+0x[0-9a-fA-F]+)?\s*$")
_GO_HEAD = re.compile(r"^\s*(?P<kind>panic|fatal error): (?P<value>.*)$")
_GO_RECOVERED = (" [recovered]", " [recovered, repanicked]")
_GO_LIBRARY = re.compile(
    r"/usr/local/go/|/usr/lib/go[^/]*/|/usr/local/Cellar/go/|/opt/go/src/|GOROOT|/pkg/mod/|@v\d|/vendor/"
    r"|^<autogenerated>|^_cgo_|^(?:runtime|net|encoding|database|sync|io|os|fmt|reflect|internal|syscall|context"
    r"|crypto|strconv|testing|text|html|bufio|bytes|strings|time|log|errors|sort|math|mime|compress|archive|regexp"
    r"|unicode|path|container|expvar|flag|hash|image|debug|go|iter|maps|slices)/"
)


def _go_in_app(file: str, func: str) -> bool:
    return not (func.startswith("runtime.") or func == "panic" or _GO_LIBRARY.search(file))


def _parse_go(text: str) -> StackTrace | None:
    found = _locate(_GO_TRIGGER, text)
    if found is None:
        return None
    _trig, lines, g = found
    exceptions: list[ExceptionInfo] = []
    head_start = g
    for j in range(max(0, g - HEADER_LOOKBACK), g):
        m = _GO_HEAD.match(lines[j])
        if m is None:
            if exceptions and lines[j].strip() and not lines[j].lstrip().startswith("[signal"):
                _append_value(exceptions[-1], lines[j])
            continue
        if not exceptions:
            head_start = j
        kind, value = m.group("kind"), m.group("value").strip()
        for suffix in _GO_RECOVERED:
            value = value.removesuffix(suffix)
        if kind == "panic" and value.startswith("runtime error: "):
            kind, value = "runtime error", value[len("runtime error: "):]
        exceptions.append(ExceptionInfo(type=kind, value=value))
    if not exceptions:
        head_start = g
        exceptions.append(ExceptionInfo(type=None, value=""))  # runtime.Stack(): a stack, no panic
    target = exceptions[-1]  # the goroutine's stack is where the last panic happened
    pending: str | None = None  # a function line waiting for its file line
    last = _last_line(lines)
    for idx in range(g + 1, len(lines)):
        line = lines[idx]
        if not line.strip() or line.startswith("goroutine "):
            break  # the end of the first goroutine: the one that failed
        if pending is not None:
            fm = _GO_FILE.match(line)
            if fm is not None:
                file = fm.group("file")
                _add_frame(target, Frame(file=file, function=pending, line=int(fm.group("line")),
                                         in_app=_go_in_app(file, pending)))
                pending = None
                continue
            _add_frame(target, Frame(file="?", function=pending, line=None, in_app=_go_in_app("", pending)))
            pending = None
            if idx == last and line[:1].isspace():
                target.truncated = True  # cut off inside the file line
                break
        if line.strip().startswith("...") and "frames elided" in line:
            continue
        cm = _GO_CREATED.match(line) or _GO_FUNC.match(line)
        if cm is not None:
            pending = cm.group("func")
            continue
        if idx == last and _GO_PARTIAL.match(line):
            target.truncated = True  # cut off inside a function line
        break
    if pending is not None:  # the text ended before the file line
        _add_frame(target, Frame(file="?", function=pending, line=None, in_app=_go_in_app("", pending)))
        target.truncated = True
    return _done("go", exceptions, "\n".join(lines[:head_start]), root_last=False)


# --- Ruby (Exception#full_message, and logged backtraces) -------------------------

_RB_FILE = r"(?:<internal:[^>\n]*>|(?:[A-Za-z]:)?[^\s:][^:\n]*?)"  # "<internal:kernel>", "C:/app/x.rb"
_RB_TRIGGER = re.compile(rf"^[ \t]*(?:from )?{_RB_FILE}:\d+:in [`']", re.M)
_RB_FRAME = re.compile(rf"^\s*(?P<from>from\s+)?(?P<file>{_RB_FILE}):(?P<line>\d+):in [`'](?P<func>[^`']*)'"
                       r"(?P<rest>.*)$")
_RB_REST = re.compile(r"^:\s(?P<value>.*?)\s?\((?P<type>[A-Z]\w*(?:::[A-Z]\w*)*)\)$")
_RB_CONST = r"(?P<type>[A-Z]\w*(?:::[A-Z]\w*)*)"
_RB_HEADS = (
    re.compile(rf"^{_RB_CONST} \((?P<value>.*)\):?$"),  # Rails: "ActiveRecord::RecordNotFound (Couldn't find...):"
    re.compile(rf"^(?P<value>.*) \({_RB_CONST}\)$"),  # "divided by 0 (ZeroDivisionError)"
    re.compile(rf"^{_RB_CONST}: (?P<value>.*)$"),  # "ZeroDivisionError: divided by 0"
)
_RB_LIBRARY = re.compile(r"/gems/|/ruby/|^<internal:|/rubygems/|/bundler/|vendor/bundle/")


def _rb_frame(line: str) -> tuple[Frame, re.Match[str]] | None:
    m = _RB_FRAME.match(line)
    if m is None:
        return None
    file = m.group("file")
    return Frame(file=file, function=m.group("func"), line=int(m.group("line")),
                 in_app=not _RB_LIBRARY.search(file)), m


def _parse_ruby(text: str) -> StackTrace | None:
    found = _locate(_RB_TRIGGER, text)
    if found is None:
        return None
    _trig, lines, i0 = found
    first = _rb_frame(lines[i0])
    if first is None:
        return None
    exceptions: list[ExceptionInfo] = []
    start = i0
    if first[1].group("from") is not None or not _RB_REST.match(first[1].group("rest")):
        # a logged backtrace: the error line is above it
        for j in range(i0 - 1, max(-1, i0 - 1 - HEADER_LOOKBACK), -1):
            for pat in _RB_HEADS:
                m = pat.match(lines[j].strip())
                if m is not None:
                    exceptions.append(ExceptionInfo(type=m.group("type"), value=m.group("value").strip()))
                    start = j
                    break
            if exceptions:
                break
        if not exceptions:
            exceptions.append(ExceptionInfo(type=None, value="", truncated=True))
    current: ExceptionInfo | None = exceptions[0] if exceptions else None
    last = _last_line(lines)
    for idx in range(i0, len(lines)):
        line = lines[idx]
        stripped = line.strip()
        if not stripped:
            continue
        found = _rb_frame(line)
        if found is not None:
            frame, m = found
            rest = _RB_REST.match(m.group("rest")) if m.group("from") is None else None
            if rest is not None or (current is None and m.group("rest").startswith(": ")):
                # "file:line:in 'meth': message (Class)": an exception raised here (later ones are causes)
                current = ExceptionInfo(type=rest.group("type") if rest else None,
                                        value=(rest.group("value") if rest else m.group("rest")[2:]).strip())
                exceptions.append(current)
            elif current is None:
                current = ExceptionInfo(type=None, value="", truncated=True)
                exceptions.append(current)
            _add_frame(current, frame)
            continue
        if current is None:
            break
        if re.match(r"^\.\.\. \d+ levels\.\.\.$", stripped):
            continue
        if idx == last and (stripped.startswith("from ") or ".rb:" in stripped):
            current.truncated = True  # cut off mid-frame
            break
        if len(current.frames) == 1 and not stripped.startswith("from "):
            _append_value(current, stripped)  # the rest of a message of several lines
            continue
        break
    if not exceptions:
        return None
    return _done("ruby", exceptions, "\n".join(lines[:start]), root_last=True)


# --- PHP (uncaught exceptions and PHP errors) ----------------------------------

_PHP_LEVELS = (r"Fatal error|Parse error|Warning|Notice|Deprecated|Recoverable fatal error|Catchable fatal error"
               r"|Strict Standards|Core error|Core warning|Compile error|Compile warning|User error|User warning"
               r"|User notice|User deprecated")
_PHP_TRIGGER = re.compile(rf"\bPHP (?:{_PHP_LEVELS}):\s|^(?:Fatal|Parse) error: ", re.M)
_PHP_HEAD = re.compile(rf"^(?:\[[^\]]*\]\s*)?(?P<php>PHP )?(?P<level>{_PHP_LEVELS}):\s+(?P<msg>.*)$")
_PHP_UNCAUGHT = re.compile(r"^Uncaught (?P<type>[\w\\]+)(?::\s?|\s+)(?P<value>.*?)"
                           r"(?: in (?P<file>\S+?):(?P<line>\d+))?$")
_PHP_UNCAUGHT_OLD = re.compile(r"^Uncaught exception '(?P<type>[\w\\]+)' with message '(?P<value>.*)'"
                               r"(?: in (?P<file>\S+?):(?P<line>\d+))?$")
_PHP_ERROR = re.compile(r"^(?P<value>.*?) in (?P<file>\S+?)(?: on line |:)(?P<line>\d+)$")
_PHP_NEXT = re.compile(r"^Next (?P<type>[\w\\]+)(?::\s?|\s+)(?P<value>.*?)(?: in (?P<file>\S+?):(?P<line>\d+))?$")
_PHP_FRAME = re.compile(r"^\s*#\d+ (?:(?P<file>.+?)\((?P<line>\d+)\): |(?P<internal>\[internal function\]): )?"
                        r"(?P<call>.*)$")
_PHP_CLOSURE = re.compile(r"\{closure:[^}]*\}")
_PHP_LIBRARY = re.compile(r"/vendor/|^\[internal function\]|^phar://")


def _php_function(call: str) -> str:
    call = _PHP_CLOSURE.sub("{closure}", call.strip())
    return call.split("(", 1)[0] or "?"


def _php_build(exc: ExceptionInfo, where: tuple[str, int | None] | None, calls: list[tuple[str, int | None, str]],
               ended: bool) -> None:
    """PHP prints "#k file(line): callee()": the frame at file(line) runs the *next* entry's function."""
    locations = [where] if where else [("?", None)]
    functions = []
    for file, line, call in calls:
        functions.append(_php_function(call))
        if call.strip() != "{main}":
            locations.append((file, line))
    if not calls:
        functions = ["?"]
    for (file, line), func in zip(locations, functions, strict=False):
        _add_frame(exc, Frame(file=file, function=func, line=line, in_app=not _PHP_LIBRARY.search(file)))
    if calls and not ended:
        exc.truncated = True


def _parse_php(text: str) -> StackTrace | None:
    found = _locate(_PHP_TRIGGER, text)
    if found is None:
        return None
    trig, lines, i0 = found
    line0 = lines[i0]
    at = line0.find("PHP ")
    hm = _PHP_HEAD.match(line0[at:] if at > 0 and trig.group().startswith("PHP") else line0)
    if hm is None:
        return None
    level, msg = hm.group("level"), hm.group("msg").strip()
    um = _PHP_UNCAUGHT_OLD.match(msg) or _PHP_UNCAUGHT.match(msg)
    em = _PHP_ERROR.match(msg)
    if um is None and em is None and hm.group("php") is None:
        return None  # "Warning: x" without "PHP " and without "in file on line N": not PHP's
    blocks: list[tuple[ExceptionInfo, tuple[str, int | None] | None]] = []
    if um is not None:
        where = (um.group("file"), int(um.group("line"))) if um.group("file") else None
        blocks.append((ExceptionInfo(type=um.group("type"), value=um.group("value").strip()), where))
    elif em is not None:
        blocks.append((ExceptionInfo(type=level, value=em.group("value").strip()),
                       (em.group("file"), int(em.group("line")))))
    else:
        blocks.append((ExceptionInfo(type=level, value=msg), None))
    calls: list[tuple[str, int | None, str]] = []
    ended = False
    in_stack = False
    last = _last_line(lines)
    for idx in range(i0 + 1, len(lines)):
        stripped = lines[idx].strip()
        if not stripped:
            if in_stack:
                break
            continue
        if stripped in ("Stack trace:", "[stacktrace]"):
            in_stack = True
            continue
        if in_stack and stripped.startswith("#"):
            fm = _PHP_FRAME.match(stripped)
            if fm is not None and (fm.group("file") or fm.group("internal") or fm.group("call") == "{main}"):
                file = fm.group("file") or "[internal function]"
                calls.append((file, int(fm.group("line")) if fm.group("line") else None, fm.group("call")))
                ended = ended or fm.group("call").strip() == "{main}"
                continue
            if idx == last:
                break  # cut off mid-frame
        nm = _PHP_NEXT.match(stripped)
        if nm is not None:  # "Next X: msg in file:line": the exception that wrapped the one above
            exc, where = blocks[-1]
            _php_build(exc, where, calls, ended)
            calls, ended, in_stack = [], False, False
            where = (nm.group("file"), int(nm.group("line"))) if nm.group("file") else None
            blocks.append((ExceptionInfo(type=nm.group("type"), value=nm.group("value").strip()), where))
            continue
        if stripped.startswith("thrown in "):
            ended = True
            continue
        wants_where = um is not None and em is None and um.group("file") is None
        if wants_where and not in_stack and not calls and len(blocks) == 1:
            # a message of several lines: "in file:line" is on a later line
            more = _PHP_ERROR.match(stripped)
            exc = blocks[0][0]
            if more is not None:
                _append_value(exc, more.group("value"))
                blocks[0] = (exc, (more.group("file"), int(more.group("line"))))
            else:
                _append_value(exc, stripped)
            continue
        break
    exc, where = blocks[-1]
    _php_build(exc, where, calls, ended or not in_stack)
    for exc, where in blocks:
        if where is None and not exc.frames:
            exc.truncated = True
    return _done("php", [b[0] for b in blocks], "\n".join(lines[:i0]), root_last=False)


# --- Rust (the default panic hook, with or without RUST_BACKTRACE) -------------------

_RS_TRIGGER = re.compile(r"^thread '[^'\n]{0,200}' panicked at ", re.M)
# Rust >= 1.73: "thread 'main' panicked at src/main.rs:27:10:" and the message on the next lines;
# before: "thread 'main' panicked at 'the message', src/main.rs:27:10"
_RS_NEW = re.compile(r"^thread '[^'\n]{0,200}' panicked at (?P<file>[^\s:][^:\n]{0,500}):(?P<line>\d+):\d+:$")
_RS_OLD = re.compile(r"^thread '[^'\n]{0,200}' panicked at (?P<value>.*), (?P<file>[^\s:,][^:\n,]{0,500})"
                     r":(?P<line>\d+):\d+$")
_RS_NOTE = "note: run with `RUST_BACKTRACE"
_RS_FRAME = re.compile(r"^\s*\d+: (?:0x[0-9a-f]+ - )?(?P<func>\S.*?)\s*$")
_RS_AT = re.compile(r"^\s+at (?P<file>.+?):(?P<line>\d+)(?::\d+)?\s*$")
_RS_HASH = re.compile(r"::h[0-9a-f]{16}$")
_RS_LIBRARY = re.compile(r"^/rustc/|/\.cargo/registry/|/\.rustup/|^(?:std|core|alloc|tokio|futures|hyper|tower|"
                         r"axum|actix|rust_begin_unwind|__rust|<unknown>)\b")


def _parse_rust(text: str) -> StackTrace | None:
    found = _locate(_RS_TRIGGER, text)
    if found is None:
        return None
    _trig, lines, i0 = found
    head = lines[i0]
    new, old = _RS_NEW.match(head), _RS_OLD.match(head)
    if new is not None:
        exc = ExceptionInfo(type="panic", value="")
        where = new
        rest = i0 + 1
        while rest < len(lines) and lines[rest].strip() and not lines[rest].startswith(_RS_NOTE) \
                and lines[rest] != "stack backtrace:":
            _append_value(exc, lines[rest])
            rest += 1
    elif old is not None:
        value = old.group("value")
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        exc = ExceptionInfo(type="panic", value=value[:MAX_VALUE])
        where, rest = old, i0 + 1
    else:  # a location this parser does not know: the panic is still one
        exc = ExceptionInfo(type="panic", value=head[_trig.end() - _trig.start():][:MAX_VALUE], truncated=True)
        where, rest = None, i0 + 1
    frames: list[Frame] = []
    for idx in range(rest, len(lines)):
        line = lines[idx]
        fm = _RS_FRAME.match(line)
        if fm is not None:
            func = _RS_HASH.sub("", fm.group("func"))
            frames.append(Frame(file="?", function=func, line=None, in_app=_RS_LIBRARY.search(func) is None))
            continue
        am = _RS_AT.match(line)
        if am is not None and frames:
            last = frames[-1]
            file = am.group("file")
            frames[-1] = Frame(file=file, function=last.function, line=int(am.group("line")),
                               in_app=last.in_app and _RS_LIBRARY.search(file) is None)
    # the backtrace's std/core frames are the panic machinery: the panic's own location is where it happened
    for frame in frames:
        _add_frame(exc, frame)
    if where is not None:
        file = where.group("file")
        exc.frames.insert(0, Frame(file=file, function="", line=int(where.group("line")),
                                   in_app=_RS_LIBRARY.search(file) is None))
    return _done("rust", [exc], "\n".join(lines[:i0]), root_last=False)


_PARSERS = (_parse_python, _parse_rust, _parse_go, _parse_java, _parse_dotnet, _parse_javascript, _parse_ruby,
            _parse_php)

# One search decides whether a text may hold a trace: it runs on every entry, so it is
# deliberately loose (the parsers decide) and anchored on cheap literals.
_BOL = r"(?<![^\n\r])"  # the start of a line, "\r" included: parse_stack reads a lone "\r" as a line break
_LOOKS_LIKE_STACK = re.compile(
    r"Traceback \(most recent call last\):"  # Python
    rf"|{_BOL}[ \t]*at "  # Java, .NET and V8 frames
    rf"|{_BOL}goroutine \d"  # Go
    r"|Exception in thread \""  # Java, even without frames (OutOfMemoryError)
    r"|:\d+:in [`']"  # Ruby
    r"|' panicked at "  # Rust
    rf"|\bPHP (?:{_PHP_LEVELS}):|{_BOL}(?:Fatal|Parse) error: "  # PHP
)


def looks_like_stack(text: str) -> bool:
    """A cheap pre-check: False means ``parse_stack`` would certainly find nothing."""
    return bool(text) and _LOOKS_LIKE_STACK.search(text) is not None


def parse_stack(text: str) -> StackTrace | None:
    """Parse the first stack trace in ``text``; None when there is none."""
    if not text:
        return None
    trace = _parse_python(text)
    if trace is not None:
        return trace
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for parser in _PARSERS[1:]:
        trace = parser(text)
        if trace is not None:
            if _is_fragment(trace):
                return None
            return trace
    return None


def _is_fragment(trace: StackTrace) -> bool:
    """One frame line and nothing else (a trace split line by line): not a trace by itself."""
    if trace.language == "go" or any(e.type is not None for e in trace.exceptions):
        return False
    return sum(len(e.frames) for e in trace.exceptions) < 2


# --- identity: what stays the same across redeploys -------------------------------

# languages whose function names are fully qualified: the name alone says where
QUALIFIED_LANGUAGES = frozenset({"java", "dotnet", "go"})

_ADDRESS = re.compile(r"[/@]?0x[0-9a-fA-F]+")
_FUNC_RULES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "java": (
        (re.compile(r"\$\$Lambda(?:\$\d+)?(?:/(?:0x)?[0-9a-fA-F]+)?"), "$$Lambda"),  # $$Lambda$123/0x0000...
        (re.compile(r"lambda\$(.*?)\$\d+"), r"lambda$\1"),  # lambda$handle$0
        (re.compile(r"\$lambda[-$]\d+"), "$lambda"),  # Kotlin
        (re.compile(r"\$\$(?:(?:EnhancerBy|FastClassBy)\w*?|Spring)CGLIB\$\$\w+"), ""),  # generated proxies
        (re.compile(r"\$(?:HibernateProxy|MockitoMock|ByteBuddy)\$\w+"), ""),
        (re.compile(r"\$Proxy\d+"), "$Proxy"),
        (re.compile(r"\bjdk\.proxy\d+"), "jdk.proxy"),
        (re.compile(r"(Generated\w*Accessor)\d+"), r"\1"),
        (re.compile(r"\$\d+(?=[.$]|$)"), "$"),  # anonymous classes: Foo$1.run
    ),
    "dotnet": (
        (re.compile(r"<(\w+)>d__\d+\.MoveNext$"), r"\1"),  # async state machines
        (re.compile(r"<>c__DisplayClass\d+_\d+"), "<>c"),
        (re.compile(r"<(\w*)>b__\d+(?:_\d+)?"), r"<\1>b__"),  # lambdas
        (re.compile(r"<(\w*)>g__(\w+)\|\d+_\d+"), r"<\1>g__\2"),  # local functions
        (re.compile(r"lambda_method\d+"), "lambda_method"),
    ),
    "go": (
        (re.compile(r"\.func\d+(?:\.\d+)*"), ".func"),  # closures
        (re.compile(r"\.(gowrap|deferwrap)\d+"), r".\1"),
    ),
    "javascript": (
        (re.compile(r"^async "), ""),
        (re.compile(r" \[as [^\]]*\]$"), ""),
    ),
    "ruby": ((re.compile(r"block \(\d+ levels\) in"), "block in"),),
    "php": ((re.compile(r"\{closure:[^}]*\}"), "{closure}"),),
}
_JS_BUNDLE_HASH = re.compile(r"[.-][0-9a-fA-F]{8,}(?=\.(?:m?js|cjs)$)")


def normalize_function(function: str, language: str) -> str:
    """A function name without what changes between builds: lambda and closure numbers, proxies, addresses."""
    for pattern, repl in _FUNC_RULES.get(language, ()):
        function = pattern.sub(repl, function)
    return _ADDRESS.sub("", function) if "0x" in function else function


def normalize_path(path: str, language: str) -> str:
    """A file path without URL decoration and bundle hashes."""
    if language == "javascript":
        path = path.split("?", 1)[0].split("#", 1)[0]
        path = _JS_BUNDLE_HASH.sub("", path)
    return path


_OBJECT_HASH = re.compile(r"(?<=[\w$])@[0-9a-fA-F]{5,16}\b")  # Java's Object.toString(): Order@1b6d3586


def normalize_value(value: str, language: str) -> str:
    """An exception value before masking: object identity hashes go (addresses are masked anyway)."""
    if language == "python" or "@" not in value:
        return value
    return _OBJECT_HASH.sub("@<*>", value)


def identity_frame(trace: StackTrace) -> Frame | None:
    """The frame a trace is known by: the innermost in-app frame of the original cause.

    When the cause has no frame of the application (a driver error raised deep in a
    library), the innermost in-app frame of the exceptions that wrapped it: their
    frames are its callers. Without any in-app frame, the cause's innermost frame.
    """
    root = trace.root
    if trace.language == "python":
        return root.innermost_app_frame
    excs = trace.exceptions
    k = next(i for i, e in enumerate(excs) if e is root)
    chain = [root, *(excs[k - 1::-1] if trace.root_last and k else excs[k + 1:])]
    for exc in chain:
        for frame in reversed(exc.frames):
            if frame.in_app:
                return frame
    for exc in chain:
        if exc.frames:
            return exc.frames[-1]
    return None
