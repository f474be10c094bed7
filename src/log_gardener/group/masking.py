"""Per-message masking: what is a variable in any context (stage 1 of template mining).

A pure function of one message: the same text gives the same result on any machine,
in any order, which keeps grouping state mergeable. Context-dependent variables (a
user name, a host) are decided later, over all messages at once (``templates``).
"""

from __future__ import annotations

import re

from ..limits import LIMITS

WILDCARD = "<*>"

_NAMES = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_UNITS = r"(?:[KMGTP]i?B|[KMGT]|B|bytes|ms|us|ns|s|sec|secs|min|h|%)(?![A-Za-z0-9])"
_DELIMS = r"""\s=:,()\[\]{}<>"'"""
# One pass over the message. Every branch but the last starts at the start of a fragment
# (after a delimiter), which the single look-behind checks once: plain words cost little.
_PREMASK = re.compile(
    rf"""
    (?<![^{_DELIMS}])
    (?: -?\d[^{_DELIMS}]*+                                      # a fragment starting with a digit
      | [^{_DELIMS}\d]*+\d[^{_DELIMS}\d]*+\d[^{_DELIMS}]*+      # or holding two digits (not "ssh2")
      | (?:true|false|null|None|True|False|nil|NaN              # literals
          |{_NAMES}(?=\s+(?:\d|{_NAMES}\s+\d))                  # day and month names of a date
        )(?![^{_DELIMS}])
    )
    """,
    re.VERBOSE,
)
_URL = re.compile(r"""\b[a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^\s"'<>]+""")  # only where "://" is: most lines have none
# "<*>.<*>", "<*>:<*>", "<*> <*>", "<*> KB" ... are one variable
_RUNS = re.compile(rf"<\*>(?:\s?{_UNITS})?(?:[.:,/\-]?\s?<\*>(?:\s?{_UNITS})?)*")
_MAY_RUN = re.compile(r"<\*>\s?(?:[.:,/\-]?\s?<|[KMGTPBbmunsh%])")  # cheaper, and true wherever _RUNS would change
# a list of values: "blk_<*> blk_<*> blk_<*>" is one variable of variable length
_REPEATS = re.compile(r"(?<!\S)(\S*<\*>\S*)(?:\s+\1)+(?!\S)")
_MAY_REPEAT = re.compile(r"<\*>\S*\s+\S*<\*>")  # a cheap scan (it starts on a literal) before the costly one


# key="a quoted value" is one word, so that a value of two words and a value of one take the
# same place; not the message itself (logfmt's msg=, message=, event=), whose words are wording
JOINER = "\u2060"  # WORD JOINER: not whitespace, so str.split() keeps the value whole
_QUOTED_VALUE = re.compile(r'(?<![\w.-])(?!(?:msg|message|event)=)([\w.-]+=)"([^"]*\s[^"]*)"')


def join_quoted(text: str) -> str:
    """Quoted values of keys as single words (their spaces become ``JOINER``)."""
    if '="' not in text:
        return text
    return _QUOTED_VALUE.sub(lambda m: f'{m.group(1)}"{JOINER.join(m.group(2).split())}"', text)


def words_of(text: str) -> list[str]:
    """The words of a premasked message or a template, as mining compares them."""
    return join_quoted(text).split()


def shown(text: str) -> str:
    """A template as people read it."""
    return text.replace(JOINER, " ") if JOINER in text else text


MAX_CHARS = LIMITS.max_message_chars
MAX_TOKENS = LIMITS.max_template_words


def premask(message: str) -> str:
    """Mask what is a variable in any context. Pure and per message."""
    nl = message.find("\n")
    first = (message if nl < 0 else message[:nl]).strip()
    long = len(first) > MAX_CHARS
    if long:
        first = first[:MAX_CHARS]
    masked = join_quoted(first)
    if "://" in masked:
        masked = _URL.sub(WILDCARD, masked)
    masked = _PREMASK.sub(WILDCARD, masked)
    if WILDCARD in masked:
        if _MAY_RUN.search(masked) is not None:
            masked = _RUNS.sub(WILDCARD, masked)
        if _MAY_REPEAT.search(masked) is not None:
            masked = _REPEATS.sub(r"\1", masked)
    if long or masked.count(" ") >= MAX_TOKENS:
        words = masked.split()
        if long or len(words) > MAX_TOKENS:
            masked = " ".join(words[:MAX_TOKENS]) + f" {WILDCARD} {CAPPED}"
    return masked


CAPPED = f"[template capped at {MAX_TOKENS} words]"


# What an exception's message quotes is the data it failed on: ``invalid literal for int()
# with base 10: 'abc'``, ``relation "orders" does not exist``, ``No such file: '/tmp/a.json'``.
_QUOTED = re.compile(r"""(?<![\w'"])(?:'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`\n]{0,200}`)(?![\w'"])""")
# a path of two segments or more (/srv/app/x.py, ./cache/a, C:\data\in.csv), not a URL (masked before)
_PATH = re.compile(r"(?<![\w:/.<*>-])(?:~|\.{1,2}|[A-Za-z]:)?[/\\](?:[\w.@+-]+[/\\])+[\w.@+-]*")
# an address: an e-mail address, host:port, a lower-case dotted host name (api.example.com; with
# two labels only when a digit or hyphen shows it is not a file name: db-1.internal)
_ADDRESS = re.compile(
    r"(?<![\w.-])(?:[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+"
    r"|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*:<\*>"
    r"|(?:(?=[a-z0-9.-]*[\d-])[a-z0-9-]+|[a-z0-9-]+\.[a-z0-9-]+)(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?![\w.-])"
)


def mask_value(value: str) -> str:
    """An exception's message with its data masked: what ``premask`` masks, and the literals,
    paths and addresses it quotes. Pure and per message, so the same error in a window with
    one such value and in a window with many has one fingerprint."""
    masked = _QUOTED.sub(lambda m: f"{m.group(0)[0]}{WILDCARD}{m.group(0)[0]}", value)
    masked = premask(masked)
    masked = _PATH.sub(WILDCARD, masked)
    masked = _ADDRESS.sub(WILDCARD, masked)
    return _RUNS.sub(WILDCARD, masked) if WILDCARD in masked else masked
