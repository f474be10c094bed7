"""Make log text safe to publish: secrets and personal data masked, mentions neutralised.

Two strengths, for two kinds of text:

- ``Redactor.content`` (``redact``): for what came from the logs (messages, exception values,
  paths, quotes in reasons). Every pattern: secret shapes, ``password=``-style values in
  key=value, JSON and YAML, headers, emails, card numbers, plus the rules file's
  ``secret_patterns``. Views apply it to every piece of log content they show.
- ``Redactor.guard``: a last pass over whole texts that leave the machine (worklog, issue
  bodies, titles, comments, every GitHub request): only the shapes that identify themselves
  as secrets (private keys, JWTs, provider tokens, passwords in URLs) and the configured
  patterns. It never touches the tool's own words: "a single signature: ..." stays as written.

Every pattern replaces the sensitive part with a named placeholder (``[REDACTED github token]``)
or keeps the key and masks the value (``password=[REDACTED]``). Masking is idempotent: masked
text masked again is unchanged, so it can be applied at every boundary without harm.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

R = "[REDACTED]"

# Values after a secret-looking key that are not secrets themselves (left as they are).
_NOT_SECRET = (r"(?:true|false|none|null|nil|undefined|set|unset|empty|required|missing|invalid|expired|"
               r"changed|redacted|hidden|masked)\b|\*{3,}|<[^>\s]*>|%s\b|\{\}")

# Keys whose value is a secret: password=..., "api_key": "...", client-secret: ..., X-Api-Key: ...
_KEYS = (r"(?:[a-z0-9_-]{0,60}?[_-])?(?:password|passwd|pwd|passphrase|pass|secret|api[_-]?key|apikey|"
         r"access[_-]?key(?:[_-]?id)?|secret[_-]?key|private[_-]?key(?:[_-]?id)?|account[_-]?key|"
         r"shared[_-]?access[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|id[_-]?token|"
         r"csrf[_-]?token|xsrf[_-]?token|session(?:[_-]?(?:id|key|token))?|sessid|jsessionid|phpsessid|sid|"
         r"cookie|client[_-]?secret|credentials?|token|signature|sig)s?")

_ASSIGNMENT = re.compile(
    r"(?i)(?<![A-Za-z0-9])(?P<key>" + _KEYS + r")"
    r"(?P<sep>\\?[\"']?[ \t]*(?:=>|[:=])[ \t]*)"  # the key's closing quote (maybe escaped), the separator
    r"(?:"
    r"(?P<esc>\\?)(?P<q>[\"'])(?!\[REDACTED)(?:\\.|(?!(?P=esc)(?P=q))[^\n])+?(?P=esc)(?P=q)"  # quoted value
    r"|(?P<open>\\?[\"']?)(?!\[REDACTED|" + _NOT_SECRET + r")(?:[^\s\"',;&\\]|\\(?![\"']))+"  # bare value
    r")"
)


def _assignment(m: re.Match[str]) -> str:
    key, sep = m.group("key"), m.group("sep")
    if m.group("q"):  # quoted: keep the quotes
        quote = m.group("esc") + m.group("q")
        return f"{key}{sep}{quote}{R}{quote}"
    return f"{key}{sep}{m.group('open')}{R}"


def _entropy(token: str) -> float:
    """Shannon entropy of a token, in bits per character."""
    n = len(token)
    return -sum(c / n * math.log2(c / n) for c in Counter(token).values())


def _class_changes(token: str) -> float:
    """Changes between lower case, upper case, digit and other per character: generated tokens
    change often (``Zq8RfK2m`` 0.9), identifiers made of words rarely (``user_profile_v2`` 0.3)."""
    kinds = [0 if c.islower() else 1 if c.isupper() else 2 if c.isdigit() else 3 for c in token]
    return sum(a != b for a, b in pairwise(kinds)) / len(token)


def _random_looking(token: str) -> bool:
    """Generated, not written: long, close to random (4.5 bits per character for a random base64 key,
    about 3.5-4 for words joined into identifiers) and switching character class often."""
    return len(token) >= 16 and _entropy(token) >= 3.5 and _class_changes(token) >= 0.4


def _near_secret_word(m: re.Match[str]) -> str:
    return m.group(1) + R if _random_looking(m.group(2)) else m.group(0)


def _near_access_key(m: re.Match[str]) -> str:
    # the shape (40 characters of the base64 alphabet) and its partner (an access key id) say what it is
    return m.group(1) + R if _entropy(m.group(2)) >= 4.0 else m.group(0)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return "[REDACTED card number]" if 13 <= len(digits) <= 19 and _luhn(digits) else m.group(0)


# (name, pattern, replacement) in order: the wide ones (keys, headers) before the token shapes.
_SECRET_PATTERNS: list[tuple[str, re.Pattern[str], object]] = [
    ("private-key", re.compile(
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
        re.S), "[REDACTED private key]"),
    ("cookie-header", re.compile(
        r"(?im)(?<![A-Za-z0-9-])((?:set-)?cookie)(\\?[\"']?[ \t]*+:[ \t]*+\\?[\"']?)(?!\[REDACTED)"
        r"(?:[^\n\"'\\]|\\(?![\"']))+"), r"\1\2" + R),
    ("authorization-header", re.compile(
        r"(?i)(?<![A-Za-z0-9-])((?:proxy-)?authorization)(\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']?)"
        r"((?>(?:(?:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256|[a-z][a-z0-9-]*(?=[ \t]+\S{12,}))"
        r"[ \t]+)?))(?!\[REDACTED)(?:[^\s\"',;\\]|\\(?![\"']))+"), r"\1\2\3" + R),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "[REDACTED jwt]"),
    ("bearer", re.compile(r"(?i)\b(bearer|basic)\s+(?!\[REDACTED)[A-Za-z0-9._~+/=-]{12,}"), r"\1 " + R),
    ("token-word", re.compile(
        r"(?i)\b(token)\s+(?!\[REDACTED)(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{16,}"), r"\1 " + R),
    ("url-password", re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}://[^\s:/@]*):(?!\[REDACTED\]@)[^\s/]+@"),
     r"\1:" + R + "@"),
    ("slack-webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
     "[REDACTED slack webhook]"),
    ("discord-webhook", re.compile(r"https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/[A-Za-z0-9/_-]+"),
     "[REDACTED discord webhook]"),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b"),
     "[REDACTED github token]"),
    ("gitlab-token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), "[REDACTED gitlab token]"),
    # an AWS secret access key is 40 characters and is logged next to its access key id
    ("aws-secret-near-key-id", re.compile(
        r"((?:AKIA|ASIA)[0-9A-Z]{16}\b[^\n]{0,80}?)(?<![A-Za-z0-9/+=])([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"),
     _near_access_key),
    ("aws-key", re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b"), "[REDACTED aws key]"),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "[REDACTED google api key]"),
    ("google-oauth", re.compile(r"\b(?:ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,})"),
     "[REDACTED google oauth secret]"),
    ("slack-token", re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxapp-[0-9]-[A-Za-z0-9-]{10,}"),
     "[REDACTED slack token]"),
    ("stripe-key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{16,}\b"),
     "[REDACTED stripe key]"),
    ("sendgrid-key", re.compile(r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"), "[REDACTED sendgrid key]"),
    ("npm-token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "[REDACTED npm token]"),
    ("openai-key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b"), "[REDACTED api key]"),
    ("assignment", _ASSIGNMENT, _assignment),
    # a generated-looking token right after a secret-looking word, whatever the separator ("secret wJalr...")
    ("secret-word", re.compile(
        r"(?i)((?<![A-Za-z0-9])(?:[a-z0-9]{0,30}[_-])?(?:secret|key|token|password|passwd|credential|signature)s?"
        r"(?:[\s:=\"'>]{1,4}|\s+(?:is|was|of|for)\s+))(?!\[REDACTED)([A-Za-z0-9+/=_.~-]{16,300})"), _near_secret_word),
    # a local part is at most 64 characters (RFC 5321): unbounded, "a.a.a.a..." is quadratic
    ("email", re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"), "[REDACTED email]"),
    ("card-number", re.compile(r"(?<![\w.+-])[2-6](?:[ -]?[0-9]){12,18}(?![\w-])"), _card),
]

# Patterns that decide from the context (a key's name, a header, an address's shape): right for log
# content, wrong for the tool's own sentences ("signature: template ..." is no secret).
_CONTEXTUAL = frozenset({"cookie-header", "authorization-header", "bearer", "token-word", "assignment", "email",
                         "card-number", "secret-word"})
_GUARD_PATTERNS = [p for p in _SECRET_PATTERNS if p[0] not in _CONTEXTUAL]

_MENTION = re.compile(r"(?<![\w`])@(?=[A-Za-z0-9][A-Za-z0-9-]*)")
ZWJ = "\u200d"


def _apply(text: str, patterns: list[tuple[str, re.Pattern[str], object]], extra: Iterable[re.Pattern[str]]) -> str:
    for _, pattern, repl in patterns:
        text = pattern.sub(repl, text)  # type: ignore[call-overload]
    for pattern in extra:
        text = pattern.sub(R, text)
    return text


def redact(text: str, extra: Iterable[re.Pattern[str]] = ()) -> str:
    """Mask secrets and personal data in log content: every pattern, plus ``extra``."""
    return _apply(text, _SECRET_PATTERNS, extra)


def guard(text: str, extra: Iterable[re.Pattern[str]] = ()) -> str:
    """The last pass over a whole text that leaves the machine: self-identifying secrets, plus ``extra``."""
    return _apply(text, _GUARD_PATTERNS, extra)


@dataclass(frozen=True, slots=True)
class Redactor:
    """The masking of one run: the built-in patterns and the configuration's ``secret_patterns``."""

    extra: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, patterns: Iterable[str | re.Pattern[str]]) -> Redactor:
        return cls(tuple(re.compile(p) if isinstance(p, str) else p for p in patterns))

    def content(self, text: str) -> str:
        """Log content, before it is shown anywhere."""
        return redact(text, self.extra)

    def guard(self, text: str) -> str:
        """A whole text about to leave the machine (tool words included)."""
        return guard(text, self.extra)

    def publish(self, text: str) -> str:
        """A whole text for a tracker: guarded, and no @-mention left to notify anyone."""
        return neutralise_mentions(guard(text, self.extra))


def neutralise_mentions(text: str) -> str:
    """``@name`` and ``@org/team`` would notify people on GitHub: break them with a zero-width joiner."""
    return _MENTION.sub("@" + ZWJ, text)


def fence(text: str, lang: str = "") -> str:
    """A fenced code block that the text cannot close: longer than any backtick run in it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def safe_text(text: str, extra: Iterable[re.Pattern[str]] = ()) -> str:
    """Log content for prose outside code blocks: secrets masked and mentions neutralised."""
    return neutralise_mentions(redact(text, extra))
