"""The level an application gave a line, wherever and however it wrote it.

Cloud Logging only knows the ``severity`` field. Everything a container prints without a
structured severity arrives as DEFAULT, and a JSON line's ``level`` stays inside the
payload, so ``severity>=WARNING`` misses most of what frameworks call errors. This module
recovers the level from:

- a level field of a structured record: ``level`` / ``levelname`` / ``severity`` / ``lvl`` /
  ``log.level`` / ``@l``, as a name in any case or a pino/bunyan number (``level_of_fields``);
- the text of a line (``classify``), in this order:

  1. a level *tag* in the line's prefix, the part before the message that only holds
     timestamps, pids, thread and logger names, separators: ``WARNING:root:``,
     ``2025-09-15 12:00:00,123 ERROR [main] c.e.App -``, ``[Nest] 1  - <date>   ERROR``,
     ``E, [<date> #1] ERROR -- :``, ``[ERROR]``, ``production.ERROR:``, glog ``E1201 12:00:00``,
     .NET ``fail:``, winston ``error:``; logfmt ``level=error``; a JSON ``"level": "error"``.
     The first tag wins, so an explicit INFO keeps an INFO line that mentions errors out;
  2. ``ERROR:`` / ``CRITICAL:`` / ``[ERROR]`` later in the first line, after a prefix of the app's
     own (``System halted: ... Error: CRITICAL: Failed to access secret``);
  3. the shape of an error: a Python traceback, an exception line (``TypeError: ...``,
     ``java.lang.IllegalStateException: ...``), a Java/V8/.NET stack, a Go panic or goroutine dump,
     a Rust panic, PHP ``Fatal error``, Python/Node warnings (``DeprecationWarning: ...``).

Lowercase words in a message are never a level (``0 errors``, ``error_count=0``,
``errorHandler registered``, ``retrying after error? no``, ``GET /error 200``). Every result
carries its reason, a short phrase shown by ``log-gardener explain``.

Nothing here backtracks: the patterns are anchored or bounded, and only the first
``HEAD`` characters of a line are looked at for tags (stack markers are plain substring
searches over at most ``SCAN`` characters).
"""

from __future__ import annotations

import itertools
import re
import sys

from log_gardener.model import Severity

HEAD = 400  # characters of the first line searched for a level tag
MESSAGE_MAX = 4096  # characters of the first line a message is taken from (as many as a template reads)
SCAN = 64 * 1024  # characters searched for stack-trace markers
MAX_PREFIX_TOKENS = 12  # a tag further into the line is not in its prefix
MAX_PREFIX_WORDS = 2  # plain words allowed before the tag (a logger name, "PM", Ruby's "E,")

_S = Severity
# Level words as the common frameworks print them (upper case when bare; any case in brackets)
LEVEL_WORDS: dict[str, Severity] = {
    "EMERGENCY": _S.EMERGENCY, "EMERG": _S.EMERGENCY, "ALERT": _S.ALERT,
    "CRITICAL": _S.CRITICAL, "CRIT": _S.CRITICAL, "FATAL": _S.CRITICAL, "PANIC": _S.CRITICAL,
    "DPANIC": _S.CRITICAL, "FTL": _S.CRITICAL,
    "ERROR": _S.ERROR, "ERR": _S.ERROR, "SEVERE": _S.ERROR,
    "WARNING": _S.WARNING, "WARN": _S.WARNING, "WRN": _S.WARNING,
    "NOTICE": _S.NOTICE,
    "INFO": _S.INFO, "INFORMATION": _S.INFO, "INF": _S.INFO, "LOG": _S.INFO, "CONFIG": _S.INFO,
    "DEBUG": _S.DEBUG, "DBG": _S.DEBUG, "TRACE": _S.DEBUG, "VERBOSE": _S.DEBUG, "VRB": _S.DEBUG,
    "FINE": _S.DEBUG, "FINER": _S.DEBUG, "FINEST": _S.DEBUG,
}  # fmt: skip
# Names accepted in a structured field (any case): the above plus .NET's short forms.
_FIELD_WORDS: dict[str, Severity] = {
    **LEVEL_WORDS, "FAIL": _S.ERROR, "DBUG": _S.DEBUG, "TRCE": _S.DEBUG, "SILLY": _S.DEBUG, "EROR": _S.ERROR,
    "WARNINGS": _S.WARNING, "DEFAULT": _S.DEFAULT,
}
# Words that are a level only at the very start of a line, in lower case, followed by ":".
_LEADING_LOWER = {
    "fail": _S.ERROR, "crit": _S.CRITICAL, "warn": _S.WARNING, "info": _S.INFO, "dbug": _S.DEBUG,
    "trce": _S.DEBUG,  # Microsoft.Extensions.Logging console
    "error": _S.ERROR, "warning": _S.WARNING, "fatal": _S.CRITICAL, "critical": _S.CRITICAL,
    "debug": _S.DEBUG, "verbose": _S.DEBUG, "silly": _S.DEBUG, "notice": _S.NOTICE,  # winston, CLIs
}

LEVEL_KEYS = ("level", "levelname", "severity", "lvl", "loglevel", "log_level", "log.level", "@l", "levelName")

_ANSI = re.compile(r"\x1b(?:\[[0-?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)|[@-Z\\-_])")


def strip_ansi(text: str) -> str:
    """Text without terminal colour and cursor codes (they are never shown or matched)."""
    return _ANSI.sub("", text) if "\x1b" in text else text


_REASONS: dict[str, str] = {}


def _reason(text: str) -> str:
    """One copy of each reason string, however many entries carry it."""
    found = _REASONS.get(text)
    if found is None:
        if len(_REASONS) < 10_000:
            _REASONS[text] = text = sys.intern(text)
        return text
    return found


def level_from_name(value: object) -> Severity | None:
    """A level name (any case) or number; pino/bunyan numbers (10-60) included. None when unknown."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if value != value:
            return None
        if 10 <= value <= 60 and value % 10 == 0:  # pino / bunyan: 10 trace ... 60 fatal
            return (_S.DEBUG, _S.DEBUG, _S.INFO, _S.WARNING, _S.ERROR, _S.CRITICAL)[int(value) // 10 - 1]
        if value >= 100:
            levels = [s for s in Severity if s <= value]
            return levels[-1] if levels else None
        return None
    if isinstance(value, str):
        name = value.strip().upper()
        if name.isdigit():
            return level_from_name(int(name))
        return _FIELD_WORDS.get(name)
    return None


def level_of_fields(obj: dict) -> tuple[Severity, str] | None:
    """The level a structured record gives itself, and which field said so."""
    for key in LEVEL_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        sev = level_from_name(value)
        if sev is not None:
            return sev, _reason(f"payload field {key}={_show(value)}")
    nested = obj.get("log")
    if isinstance(nested, dict):  # ECS written nested: {"log": {"level": "error"}}
        sev = level_from_name(nested.get("level"))
        if sev is not None:
            return sev, _reason(f"payload field log.level={_show(nested.get('level'))}")
    return None


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


# --- text ---------------------------------------------------------------------------

_TOKEN_TRIM = "[]()<>{}:,|;\"'"
_PUNCT_ONLY = re.compile(r"^[-|:=>#*~.]+$")
_KEY_VALUE = re.compile(r"^[A-Za-z_][\w.-]{0,40}=\S")
_LOGFMT = re.compile(r"(?<![\w.-])(?:level|lvl|severity|loglevel)=\"?([A-Za-z]{3,11})\b", re.I)
_JSON_LEVEL = re.compile(
    r"\"(?:level|levelname|severity|lvl|log\.level|@l)\"\s{0,3}:\s{0,3}\"?([A-Za-z]{3,11}|\d{2,3})\b")
_GLOG = re.compile(r"^([IWEF])\d{4} \d\d:\d\d:\d\d")
# glog/klog: "E0920 07:05:42.101068       1 sync.go:201] message"
_GLOG_PREFIX = re.compile(r"[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [^\s\]]{1,200}\] ")
_GLOG_LEVELS = {"I": _S.INFO, "W": _S.WARNING, "E": _S.ERROR, "F": _S.CRITICAL}
_RUBY = re.compile(r"^([DIWEFA]), \[")
_MIDLINE = re.compile(r"(?<![\w.])(EMERGENCY|ALERT|CRITICAL|FATAL|ERROR|WARNING|WARN)(?=: )"
                      r"|\[(?i:(emerg|emergency|alert|crit|critical|fatal|error|err|warn|warning))\]")
_LEADING = re.compile(r"^([a-z]{4,8}):(?:\s|$)")

# error shapes
_EXCEPTION_LINE = re.compile(
    r"^(?:Uncaught |Unhandled exception\. |Unhandled Rejection[^:]{0,40}: )?"
    r"(?:[A-Za-z_$][\w$]{0,80}[.\\])*(?:[A-Z][\w$]{0,80})?(?:Error|Exception|Fault|Failure|Panic|Rejection)"
    r"(?: \[[\w-]{1,40}\])?(?::(?: |$)|$)"
)
_EMBEDDED_EXCEPTION = re.compile(r": (?:Uncaught )?(?:[A-Za-z_$][\w$]{0,80}\.)*(?:[A-Z][\w$]{0,80})?"
                                 r"(?:Error|Exception)(?: \[[\w-]{1,40}\])?: ")
SCAN_LINES = 30  # lines searched for an exception line below a prologue (Node's source excerpt)
_WARNING_CLASS = re.compile(r"(?:^|[\s:)\]])[A-Z]\w{0,60}Warning: ")
_LEADING_ERROR_WORD = re.compile(r"^(?:Error|Fatal|Exception)\b(?!\s*[=(])")
_RUBY_UNCAUGHT = re.compile(r":\d+:in [`'][^']{0,200}': .{0,2000}\([A-Z]\w*(?:::[A-Z]\w*)*\)$")
_STACK_HEADS: tuple[tuple[str, str], ...] = (
    ("Traceback (most recent call last):", "a Python traceback"),
    ('Exception in thread "', "a Java uncaught exception"),
    ("During handling of the above exception", "a chained Python traceback"),
    ("The above exception was the direct cause", "a chained Python traceback"),
)
_LINE_HEADS: tuple[tuple[str, Severity, str], ...] = (
    ("panic: ", _S.CRITICAL, "a Go panic"),
    ("fatal error: ", _S.CRITICAL, "a Go fatal error"),
    ("PHP Fatal error:", _S.CRITICAL, "a PHP fatal error"),
    ("PHP Parse error:", _S.CRITICAL, "a PHP fatal error"),
    ("Fatal error: ", _S.CRITICAL, "a PHP fatal error"),
    ("PHP Warning:", _S.WARNING, "a PHP warning"),
    ("PHP Deprecated:", _S.WARNING, "a PHP deprecation"),
    ("PHP Notice:", _S.NOTICE, "a PHP notice"),
    ("Unhandled exception.", _S.CRITICAL, "a .NET unhandled exception"),
)
_HEAD_PREFIXES = (*(m for m, _ in _STACK_HEADS[:2]), *(h for h, _, _ in _LINE_HEADS))
_GOROUTINE = re.compile(r"(?m)^goroutine \d+ \[[^\]\n]{1,60}\]:$")
_RUST_PANIC = re.compile(r"^thread '[^'\n]{0,200}' panicked at ")
_FRAME_END = re.compile(r"(?:\)|:\d+)(?: \{)?$")  # util.inspect adds " {" before the error's own fields


_MAY_TAG = re.compile(r"[A-Z]{3}|\[")  # a level tag is upper case, or in brackets


def _tag_in_prefix(line: str) -> tuple[Severity, str] | None:
    """A level word among the first tokens of the line, before any plain prose."""
    head = line[:HEAD]
    if _MAY_TAG.search(head) is None:
        return None
    found = _tag_token(_TOKEN.findall(head))
    return None if found is None else found[1:]


_TOKEN = re.compile(r"\S+")


_ALPHA_HEAD = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")


def _tag_token(tokens: list[str]) -> tuple[int, Severity, str] | None:
    """(index of the token, level, reason) of the level tag among the line's first tokens."""
    words = 0
    for n, token in enumerate(tokens[:MAX_PREFIX_TOKENS]):
        bracketed = token[0] in "[(<" or token[-1] in "])>"
        core = token.strip(_TOKEN_TRIM)
        if not core:
            continue
        m = _ALPHA_HEAD.match(core)
        head = m.group() if m is not None else ""
        # "ERROR", "WARNING:root", "ERROR/W-1", npm's "ERR!"
        whole = head and (len(head) == len(core) or core[len(head)] in ":/!")
        if not whole and "." in core and token.rstrip("]").endswith(":"):
            head = core.split(":", 1)[0].rsplit(".", 1)[-1]  # Laravel/Monolog: "production.ERROR:"
            whole = head.isalpha()
        if bracketed and ":" in core and not (whole and head.upper() in LEVEL_WORDS):
            last = core.rsplit(":", 1)[1]  # Apache 2.4 "[module:level]": "[php:warn]", "[proxy:error]"
            if last.isalpha() and last.upper() in LEVEL_WORDS:
                head, whole = last, True
        if whole:
            sev = LEVEL_WORDS.get(head.upper() if bracketed else head)
            if sev is not None:
                return n, sev, _reason(f"level tag {head} in the line prefix")
        if bracketed or _DIGIT.search(core) or _PUNCT_ONLY.match(core) or _KEY_VALUE.match(core):
            continue  # timestamps, pids, [thread], key=value context, separators
        words += 1
        if words > MAX_PREFIX_WORDS or token.endswith((".", "!", "?")) or _is_prose_word(core):
            return None  # prose has begun
    return None


_LOGGER = re.compile(r"^[A-Za-z_$][\w$]*(?:(?:\.|::)[\w$\[\]/.]+)+$|^[a-z_][a-z0-9_]*$")
_LOCATION = re.compile(r"^(?:[A-Za-z]:)?[^\s:]{1,300}\.\w{1,6}:\d+:(?:\d+:)?\s")
# a prefix without a level: timestamps, dates, "[pid 12]", "[2025-... +0000]" (not "[youtube]": that names something)
# possessive runs: "1.1.1.1..." with no space after must fail in one pass, not try every split
_UNTAGGED_PREFIX = re.compile(r"^(?:(?:\[[^\]\d]{0,100}\d[^\]]{0,100}\]|\d(?=[\d:.,/T+Z-]*?[:/.-])[\d:.,/T+Z-]*+)\s+)+")


_LOGFMT_MSG = re.compile(r'(?<![\w.-])(?:msg|message)=(?:"((?:[^"\\]|\\.){0,2000})"|(\S+))')


def voice(text: str) -> str:
    """Who wrote the line, as its prefix says: the prefix without times, numbers and the level.

    "[2025-... +0000] [1] [ERROR] Reason: ..." and "[2025-... +0000] [1] [ERROR] Shutting down" have the
    same voice (gunicorn's master); "ERROR:pricing.rules:..." and "ERROR:pricing.cache:..." do not.
    """
    line = first_line(text, MESSAGE_MAX)
    message = message_part(line)
    at = line.find(message)
    if at <= 0:
        return ""
    return " ".join(_LEVEL_WORD.sub("", _DIGITS.sub("#", line[:at])).split())


_DIGITS = re.compile(r"\d+")
_LEVEL_WORD = re.compile(r"(?<![A-Za-z])(?:" + "|".join(sorted(LEVEL_WORDS, key=len, reverse=True)) + r")(?![A-Za-z])",
                         re.I)


def message_part(text: str) -> str:
    """The message of a log line, without what its prefix says (time, pid, thread, level, logger)."""
    line = first_line(text, MESSAGE_MAX)
    m = _LEADING.match(line)
    if m is not None and m.group(1) in _LEADING_LOWER and line.rstrip().endswith("]"):
        # Microsoft.Extensions.Logging: "fail: Category[event id]", the message on the next line
        rest = text.strip().split("\n", 2)
        if len(rest) > 1 and rest[1].strip():
            return rest[1].strip()
    m = _GLOG_PREFIX.match(line)
    if m is not None:
        line = line[m.end():]
    if _LOGFMT.search(line):
        m = _LOGFMT_MSG.search(line)
        if m is not None:
            return (m.group(1) if m.group(1) is not None else m.group(2)).replace('\\"', '"') or line
    spans = list(itertools.islice(_TOKEN.finditer(line), 2 * MAX_PREFIX_TOKENS))  # a prefix is in these
    tokens = [m.group() for m in spans[:MAX_PREFIX_TOKENS + 1]]
    found = _tag_token(tokens) if _MAY_TAG.search(line, 0, HEAD) else None
    if found is None:
        msg = _UNTAGGED_PREFIX.sub("", line, count=1)
    else:
        n = found[0]
        tag = tokens[n]
        inner = tag.strip(_TOKEN_TRIM).split(":")
        if len(inner) > 1 and inner[-1] and tag[0] not in "[(<":  # "WARNING:root:msg": it starts inside the token
            start = spans[n].start() + tag.rfind(":" + inner[-1]) + 1
            msg = line[start:]
        else:
            j = n + 1
            while j < len(spans):  # context after the level: [thread], pid, "---", a logger then a separator
                token = spans[j].group()
                core = token.strip(_TOKEN_TRIM)
                context = (not core or token[0] in "[(<" or token[-1] in "])>" or _PUNCT_ONLY.match(core)
                           or core.isdigit())
                logger = _LOGGER.match(core) and (token.endswith(":") or (
                    j + 1 < len(spans) and _PUNCT_ONLY.match(spans[j + 1].group())))
                if not (context or logger):
                    break
                j += 1
            msg = line[spans[j].start():] if j < len(spans) else ""
    msg = _LOCATION.sub("", msg, count=1)
    msg = msg.lstrip(" -|:\u200d\ufe0f").lstrip("".join(c for c in msg[:4] if not c.isalnum() and ord(c) > 0x2000))
    return msg.strip() or line


_DATE_WORDS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))


def _is_prose_word(word: str) -> bool:
    """"Processing", "Failed": a capitalised word starts a sentence; logger names, "Sep", AM/PM do not."""
    return (len(word) > 2 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()
            and word[:3] not in _DATE_WORDS)


def _named(pattern: re.Pattern[str], line: str, at: int, what: str) -> tuple[Severity, str] | None:
    """The level named by the first match of ``pattern`` from ``at``, if it names one."""
    m = pattern.search(line, at)
    sev = level_from_name(m.group(1)) if m is not None else None
    return None if sev is None else (sev, _reason(what.format(m.group(1))))  # type: ignore[union-attr]


def tag_of(line: str) -> tuple[Severity, str] | None:
    """The level a line gives itself: a tag in its prefix, a level field, a level after its prefix."""
    if line[:1] == "{" and (found := _named(_JSON_LEVEL, line, 0, 'JSON field level "{}"')):
        return found
    m = _GLOG.match(line)
    if m is not None:
        return _GLOG_LEVELS[m.group(1)], _reason(f"glog level letter {m.group(1)}")
    m = _LEADING.match(line)
    if m is not None and m.group(1) in _LEADING_LOWER:
        return _LEADING_LOWER[m.group(1)], _reason(f"leading level {m.group(1)}:")
    found = _tag_in_prefix(line) or _named(_LOGFMT, line, 0, "logfmt level={}")
    if found is not None:
        return found
    m = _RUBY.match(line)
    if m is not None and m.group(1) != "A":
        sev = {"D": _S.DEBUG, "I": _S.INFO, "W": _S.WARNING, "E": _S.ERROR, "F": _S.CRITICAL}[m.group(1)]
        return sev, _reason(f"Ruby Logger level letter {m.group(1)}")
    # a JSON record after a prefix: "[scheduler] {"severity":"ERROR",...}"
    if "{" in line[1:] and (found := _named(_JSON_LEVEL, line, line.find("{", 1), 'JSON field level "{}"')):
        return found
    m = _MIDLINE.search(line)
    if m is not None:
        word = m.group(1) or m.group(2)
        return LEVEL_WORDS.get(word.upper(), _S.ERROR), _reason(f"level {word} after the line's prefix")
    return None


# the reasons ``tag_of`` gives start with one of these: the line carried its own level
_TAG_REASONS = ("JSON field level", "glog level", "leading level", "level tag", "logfmt level", "Ruby Logger level",
                "level ")


def is_tagged(reason: str | None) -> bool:
    """Whether a classification reason says the line gave its own level (a tag, a field), not its shape."""
    return bool(reason) and reason.startswith(_TAG_REASONS)  # type: ignore[union-attr]


def first_line(text: str, limit: int = HEAD) -> str:
    """The first line of a text (leading blanks skipped, ANSI codes removed), at most ``limit`` characters."""
    if "\x1b" in text:
        text = strip_ansi(text)
    stripped = text.lstrip()
    nl = stripped.find("\n", 0, limit)
    return stripped[:nl] if nl >= 0 else stripped[:limit]


def classify(text: str) -> tuple[Severity, str]:
    """The level of one line or multi-line record written without a severity, and why.

    DEFAULT with an empty reason when nothing in the text says anything.
    """
    if not text:
        return _S.DEFAULT, ""
    if "\x1b" in text:
        text = strip_ansi(text)
    stripped = text.lstrip()
    first = first_line(stripped)
    return tag_of(first) or _shape(stripped, first)


def error_head(line: str) -> bool:
    """The first line of an error report: an exception line, a traceback or panic header."""
    if line.startswith(_HEAD_PREFIXES):
        return True
    return bool(_EXCEPTION_LINE.match(line) or _RUST_PANIC.match(line) or _RUBY_UNCAUGHT.search(line))


def _shape(text: str, first: str) -> tuple[Severity, str]:
    """ERROR/WARNING from the shape of an exception, a stack or a warning; else DEFAULT."""
    scan = text[:SCAN]
    for marker, reason in _STACK_HEADS:
        if marker in scan:
            return _S.ERROR, _reason(reason)
    for head, sev, reason in _LINE_HEADS:
        if first.startswith(head):
            return sev, _reason(reason)
    if _EXCEPTION_LINE.match(first):
        return _S.ERROR, _reason("an exception line")
    if _RUST_PANIC.match(first):
        return _S.CRITICAL, _reason("a Rust panic")
    if _RUBY_UNCAUGHT.search(first):
        return _S.ERROR, _reason("a Ruby uncaught exception")
    if "goroutine " in scan and _GOROUTINE.search(scan):
        return _S.ERROR, _reason("a Go goroutine dump")
    if ("Error" in first or "Exception" in first) and _has_frame_line(scan):
        return _S.ERROR, _reason("an exception with stack frames")
    if ": " in first and _EMBEDDED_EXCEPTION.search(first):
        return _S.ERROR, _reason("an exception quoted after the message")
    for line in scan.split("\n", SCAN_LINES)[1:SCAN_LINES]:  # a prologue, then the exception and its stack
        body = line.strip()
        if body and not line[:1].isspace() and _EXCEPTION_LINE.match(body) and _has_frame_line(
                scan[scan.find(line):]):
            return _S.ERROR, _reason("an exception with stack frames")
    if _LEADING_ERROR_WORD.match(first):
        return _S.ERROR, _reason(f"the line starts with {first.split(None, 1)[0].rstrip(':')}")
    if _WARNING_CLASS.search(first):
        return _S.WARNING, _reason("a runtime warning (…Warning:)")
    return _S.DEFAULT, ""


def _has_frame_line(text: str, limit: int = 50) -> bool:
    """A Java/V8/.NET frame line ("    at f (file.js:1:2)") among the first ``limit`` lines."""
    for line in text.split("\n", limit)[1:limit]:
        body = line.strip()
        if line[:1] in " \t" and body.startswith("at ") and _FRAME_END.search(body):
            return True
    return False


def classify_text(text: str) -> Severity:
    """``classify`` without the reason."""
    return classify(text)[0]
