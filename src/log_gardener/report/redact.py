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

Keys come in two strengths. A strong key (``password``, ``dbPassword``, ``PGPASSWORD``, ``secret``,
``api_key``, ``encryptionKey``, ``access_token``...) masks whatever value follows it, short ones too,
except states and placeholders (``none``, ``<redacted>``, ``${VAR}``). A weak key (``token``, ``key``,
``sig``, ``session``, ``cookie``, ``auth``, ``primaryKey``, ``max_tokens``...) masks only a value that looks
generated (a hash, a UUID, a base64 blob): ``max_tokens=4096`` and ``signature=RS256`` stay readable.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

R = "[REDACTED]"

# Values after a secret-looking key that are no secret themselves: states, placeholders, algorithm names.
# Matched whole against the value (fullmatch); every repetition bounded (the hostile-input test scans it).
_NOT_SECRET = re.compile(
    r"(?i)(?:true|false|yes|no|on|off|none|null|nil|nan|undefined|n/?a|empty|blank|unset|set|not(?:[ _-]?set)?|"
    r"required|missing|invalid|expired|changed|redacted|filtered|hidden|masked|omitted|removed|ok|valid|"
    r"active|inactive|enabled|disabled|denied|rejected|failed|incorrect|wrong|mismatch|accepted|present|"
    r"provided|loaded|found|rotated|revoked|refreshed|generated|configured|updated|default)"
    r"|\*{3,60}|[xX]{3,60}|<[^>\s]{0,40}>|\[[A-Za-z ]{1,20}\]?|\(\w{1,20}\)|%s|\{\}|\$\{[^}\s]{1,60}\}?"
    r"|\{\{[^}]{0,60}\}\}"
    r"|(?:~|\.{1,2})?(?:/[\w.-]{1,64}){1,16}\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|env|conf|ini)"  # a file
    r"|(?i:(?:[RHEP]S|ES)(?:256|384|512)|(?:hmac)?sha-?(?:1|224|256|384|512)(?:with(?:rsa|ecdsa|dsa))?|md5|"
    r"ed25519|eddsa)")

# The words a secret's key ends with. Keys ending in one of the first group need no word boundary
# ("PGPASSWORD", "dbpassword", "jwtSecret": no ordinary word ends so); the others need one before them:
# a separator or a camelCase step ("db_pass", "dbPass", "primaryKey", "X-Api-Key"; not "bypass", "monkey").
_KEY_PREFIXES = (r"api|access|secret|private|encryption|decryption|signing|master|account|shared[_-]?access|client|"
                 r"app|consumer|hmac|jwt|ssh|storage|subscription|webhook|license|crypt")
_TOKEN_PREFIXES = r"access|auth|refresh|id|bearer|api|oauth|session|csrf|xsrf|secret|private|personal[_-]?access"
_KEYS = (
    r"(?:[A-Za-z0-9]{0,60}?(?i:pass(?:word|wd|phrase)|secret)"
    r"|(?:[A-Za-z0-9_.-]{0,60}?(?:[_.-]|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])))?"
    r"(?i:(?:" + _KEY_PREFIXES + r")[ _-]?key(?:[_-]?id)?|(?:" + _TOKEN_PREFIXES + r")[ _-]?token|"
    r"client[ _-]?secret|pass(?:word|wd|phrase)?|secret|pwd|credentials?|token|key|sig|signature|"
    r"session(?:[_-]?id)?|sessid|jsessionid|phpsessid|sid|cookie|auth))[sS]?"
)
# Of those keys, the ones that say the value is a secret whatever it looks like (searched in the key
# lowercased, letters and digits only): "password=x" is masked, "max_tokens=4096" and "primaryKey=id" are not,
# nor "api_key_id=42" (an id names a key; an id that looks generated is still masked, as any weak key's value).
_STRONG_KEY = re.compile(r"(?:pass(?:word|wd|phrase)?|pwd|secret|credentials?)s?$|(?:" + _KEY_PREFIXES.replace(
    "[_-]?", "") + r")keys?$|(?:" + _TOKEN_PREFIXES.replace("[_-]?", "") + r")tokens?$")

# a bare value runs to white space, a quote or "&"; a ",", ";" or closing bracket only ends it when no value
# character follows, or a new key does ("password=abc,def" is one value, "pw=a,user=b" two, "{pw=a}" keeps "}")
_VALUE_CHAR = r"[^\s\"',;&\\)\]}]"
_BARE_VALUE = (r"(?:" + _VALUE_CHAR + r"|\\(?![\"'])|[,;)\]}](?![A-Za-z_][\w.-]{0,40}+[=:])(?=" + _VALUE_CHAR
               + r"))++")

_ASSIGNMENT = re.compile(
    # first, cheaply, a word that a separator follows (or "api key"-like words): most words are not keys
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9_.-]{1,100}+(?:\\?[\"']?[ \t]*(?:=>|[:=])|[ ](?i:key|token|secret)))"
    r"(?P<key>" + _KEYS + r")"
    r"(?P<sep>\\?[\"']?[ \t]*(?:=>|[:=])[ \t]*)"  # the key's closing quote (maybe escaped), the separator
    r"(?:"
    r"(?P<esc>\\?)(?P<q>[\"'])(?P<qv>(?:\\.|(?!(?P=esc)(?P=q))[^\n])+?)(?P=esc)(?P=q)"  # quoted value
    r"|(?P<open>\\?[\"']?)(?P<bv>" + _BARE_VALUE + r")"  # bare value
    r")"
)

# a word, a camelCase identifier or a version-like name ("utf8mb4", "SHA256withRSA", "v2"), or a number
_WRITTEN = re.compile(r"[A-Za-z]++(?:[0-9]{1,3}+[A-Za-z]++)*+[0-9]{0,3}+|[0-9]++")
_PARTS = re.compile(r"[-_.:/+=~@]+")
_HEX = re.compile(r"[0-9a-fA-F-]++")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


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


def _generated(value: str) -> bool:
    """A value a program made, not a person wrote: what a weak key (token, key, session, signature...)
    needs before its value is masked. ``9f8e7d6c5b4a``, ``tk0123456789abcdef``, a UUID, a base64 blob are;
    ``RS256``, ``SIGTERM``, ``users:list``, ``order-12345``, ``4096`` are not."""
    if len(value) < 8 or not value.isprintable() or " " in value:
        return False
    if value.isdigit():
        return len(value) >= 16
    if _HEX.fullmatch(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
        return True  # a hash, a hex key, a UUID
    if any(len(part) >= 6 and not _WRITTEN.fullmatch(part) for part in _PARTS.split(value)):
        return True  # a run of letters and digits no word or version name makes
    letters_and_digits = _PARTS.sub("", value)  # separators would count as changes: "rate:ip:10.0.0.1"
    return _class_changes(letters_and_digits) >= 0.5 or _random_looking(letters_and_digits)


def _secret_value(key: str, value: str) -> bool:
    """Whether the value written after a secret-looking key is to be masked."""
    if value.startswith("[REDACTED") or _NOT_SECRET.fullmatch(value.rstrip(".,;")):
        return False
    k = _NOT_ALNUM.sub("", _folded(key))
    if _STRONG_KEY.search(k):
        if k.endswith("pwd") and value[0] in "/~":
            return False  # PWD=/srv/app: the working directory, in every environment dump
        return not (k == "pass" and value.isdigit())  # "pass: 12, fail: 3" is a test count
    return _generated(value)


def _assignment(m: re.Match[str], inside: bool = False) -> str:
    key, sep, value_group = m["key"], m["sep"], "qv" if m["q"] else "bv"
    value = m[value_group]
    if not _secret_value(key, value):
        if inside or ("=" not in value and ":" not in value):
            return m[0]
        # this key's value is no secret, but it may hold a key whose value is: token="x password=y"
        # (one level down, not more: "key=key=key=..." would recurse as deep as it is long)
        start, end = m.start(value_group) - m.start(), m.end(value_group) - m.start()
        return m[0][:start] + _ASSIGNMENT.sub(_assignment_inside, value) + m[0][end:]
    if m["q"]:  # quoted: keep the quotes
        quote = m["esc"] + m["q"]
        return f"{key}{sep}{quote}{R}{quote}"
    return f"{key}{sep}{m['open']}{R}"


def _assignment_inside(m: re.Match[str]) -> str:
    return _assignment(m, inside=True)


def _cookie(m: re.Match[str]) -> str:
    return m[0] if _NOT_SECRET.fullmatch(m[3].strip().rstrip(".,;")) else m[1] + m[2] + R


def _authorization(m: re.Match[str]) -> str:
    # after a scheme (Bearer, Basic...) any credential; without one ("Authorization: denied") only a generated one
    value = m[4]
    if _NOT_SECRET.fullmatch(value) or not (m[3] or _generated(value)):
        return m[0]
    return m[1] + m[2] + m[3] + R


def _bearer(m: re.Match[str]) -> str:
    # "basic authentication failed": a word is no credential; a token mixes case, digits or symbols
    value = m[2]
    plain = value.isalpha() and (value[1:].islower() or value.isupper())
    return m[0] if plain else f"{m[1]} {R}"


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


# (first prefix, last prefix, lengths) of the card brands' IIN ranges: with the Luhn check, a random
# 13-19 digit id passes about 1 time in 100 instead of 1 in 10 (Luhn alone)
_CARD_BRANDS: tuple[tuple[str, str, range], ...] = (
    ("4", "4", range(13, 20, 3)),  # Visa: 13, 16, 19
    ("51", "55", range(16, 17)), ("2221", "2720", range(16, 17)),  # Mastercard
    ("34", "34", range(15, 16)), ("37", "37", range(15, 16)),  # American Express
    ("6011", "6011", range(16, 20)), ("644", "649", range(16, 20)), ("65", "65", range(16, 20)),  # Discover
    ("3528", "3589", range(16, 20)),  # JCB
    ("300", "305", range(14, 20)), ("36", "36", range(14, 20)), ("38", "39", range(14, 20)),  # Diners Club
    ("62", "62", range(16, 20)),  # UnionPay
)


def _card_brand(digits: str) -> bool:
    return any(lo <= digits[:len(lo)] <= hi and len(digits) in lengths for lo, hi, lengths in _CARD_BRANDS)


def _card(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return "[REDACTED card number]" if _card_brand(digits) and _luhn(digits) else m.group(0)


_B64 = "A-Za-z0-9+/"
_EOL = r"[ \t]*+(?:\r?\n|(?:\\r)?\\n)[ \t]*+"  # a line break, or one escaped in a JSON string
_PEM_END = r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
# the base64 of a private key's DER: a SEQUENCE (two-, one- or no-byte long length) then the version 0 or 1
# INTEGER: "MIIEvQIBADAN..." (PKCS#8), "MIIEowIBAAKC..." (RSA), "MHcCAQEEI..." (EC); certificates and
# public keys start otherwise ("MIIDdzCC...", "MIIBIjAN...")
_DER_KEY = r"(?:MII[A-Za-z0-9+/]{2}[AQgw]IBA|MI[E-H][A-Za-z0-9+/]AgE[AB]|M[A-H][A-Za-z0-9+/]CAQ[AE])"
_B64_LINE = rf"[{_B64}]{{16,}}+={{0,2}}+(?![^\s\"'\\,;])"  # a whole line of base64
_B64_LAST = rf"[{_B64}]{{1,15}}+={{0,2}}+(?={_EOL}{_PEM_END})"  # the short last line before the END line

# A pattern: (name, regex, replacement, hints). Hints are lower-case strings of which every match holds
# one: a text holding none is not searched (a substring test is far cheaper than a regex scan); none, always.
_Pattern = tuple[str, re.Pattern[str], object, tuple[str, ...]]
_KEY_HINTS = ("pass", "pwd", "secret", "key", "token", "sig", "sess", "sid", "cookie", "auth", "cred")

# in order: the wide ones (keys, headers) before the token shapes
_SECRET_PATTERNS: tuple[_Pattern, ...] = (
    ("private-key", re.compile(
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
        re.S), "[REDACTED private key]", ("-----begin",)),
    # a key's body without its BEGIN line: it starts as every DER private key does, lines may follow
    ("private-key-der", re.compile(
        rf"(?<![{_B64}=]){_DER_KEY}[{_B64}]{{24,}}+={{0,2}}+(?:{_EOL}{_B64_LINE})*+(?:{_EOL}{_B64_LAST})?+"
        rf"(?:{_EOL}{_PEM_END})?+"), "[REDACTED private key]", ("mi", "caq")),
    # the END line with the lines of base64 before it
    ("private-key-tail", re.compile(rf"(?<![{_B64}=])(?:{_B64_LINE}{_EOL})++(?:{_B64_LAST}{_EOL})?+{_PEM_END}"),
     "[REDACTED private key]", ("-----end",)),
    # three or more lines of exactly 64 base64 characters: a PEM block's body with both ends cut off
    ("pem-lines", re.compile(rf"(?<![{_B64}=])(?:[{_B64}]{{64}}{_EOL}){{2,}}+[{_B64}]{{4,64}}+={{0,2}}+(?![{_B64}=])"),
     "[REDACTED private key]", ("\n", "\\n")),
    ("cookie-header", re.compile(
        r"(?im)(?<![A-Za-z0-9-])((?:set-)?cookie)(\\?[\"']?[ \t]*+:[ \t]*+\\?[\"']?)(?!\[REDACTED)"
        r"((?:[^\n\"'\\]|\\(?![\"']))+)"), _cookie, ("cookie",)),
    ("authorization-header", re.compile(
        r"(?i)(?<![A-Za-z0-9-])((?:proxy-)?authorization)(\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']?)"
        r"((?>(?:(?:bearer|basic|token|digest|negotiate|ntlm|aws4-hmac-sha256|[a-z][a-z0-9-]*(?=[ \t]+\S{12,}))"
        r"[ \t]+)?))(?!\[REDACTED)((?:[^\s\"',;\\]|\\(?![\"']))+)"), _authorization, ("authorization",)),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "[REDACTED jwt]", ("eyj",)),
    ("bearer", re.compile(r"(?i)\b(bearer|basic)\s+(?!\[REDACTED)([A-Za-z0-9._~+/=-]{12,})"), _bearer,
     ("bearer", "basic")),
    ("token-word", re.compile(
        r"(?i)\b(token)\s+(?!\[REDACTED)(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{16,}"), r"\1 " + R, ("token",)),
    # the password may hold a "/"; a port and a path do not make one ("host:8080/users/a@b")
    ("url-password", re.compile(
        r"(?i)\b([a-z][a-z0-9+.-]{0,30}://[^\s:/@]*):(?!\[REDACTED\]@|\d++(?:/|$))[^\s@]{1,256}@"),
     r"\1:" + R + "@", ("://",)),
    ("slack-webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
     "[REDACTED slack webhook]", ("hooks.slack.com",)),
    ("discord-webhook", re.compile(r"https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/[A-Za-z0-9/_-]+"),
     "[REDACTED discord webhook]", ("discord",)),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b"),
     "[REDACTED github token]", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    ("gitlab-token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), "[REDACTED gitlab token]", ("glpat-",)),
    # an AWS secret access key is 40 characters and is logged next to its access key id
    ("aws-secret-near-key-id", re.compile(
        r"((?:AKIA|ASIA)[0-9A-Z]{16}\b[^\n]{0,80}?)(?<![A-Za-z0-9/+=])([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"),
     _near_access_key, ("akia", "asia")),
    ("aws-key", re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b"), "[REDACTED aws key]",
     ("akia", "asia", "aida", "aroa", "agpa", "anpa", "anva", "aipa")),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "[REDACTED google api key]", ("aiza",)),
    ("google-oauth", re.compile(r"\b(?:ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,})"),
     "[REDACTED google oauth secret]", ("ya29.", "gocspx-")),
    ("slack-token", re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxapp-[0-9]-[A-Za-z0-9-]{10,}"),
     "[REDACTED slack token]", ("xox", "xapp-")),
    ("stripe-key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{16,}\b"),
     "[REDACTED stripe key]", ("sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_")),
    ("sendgrid-key", re.compile(r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"), "[REDACTED sendgrid key]",
     ("sg.",)),
    ("npm-token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "[REDACTED npm token]", ("npm_",)),
    ("openai-key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b"), "[REDACTED api key]", ("sk-",)),
    ("assignment", _ASSIGNMENT, _assignment, _KEY_HINTS),
    # a generated-looking token right after a secret-looking word, whatever the separator ("secret wJalr...")
    ("secret-word", re.compile(
        r"(?i)((?<![A-Za-z0-9])(?:[a-z0-9]{0,30}[_-])?(?:secret|key|token|password|passwd|credential|signature)s?"
        r"(?:[\s:=\"'>]{1,4}|\s+(?:is|was|of|for)\s+))(?!\[REDACTED)([A-Za-z0-9+/=_.~-]{16,300})"), _near_secret_word,
     ("secret", "key", "token", "passw", "credential", "signature")),
    # a local part is at most 64 characters (RFC 5321): unbounded, "a.a.a.a..." is quadratic
    ("email", re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"), "[REDACTED email]", ("@",)),
    ("card-number", re.compile(r"(?<![\w.+-])[2-6](?:[ -]?[0-9]){12,18}(?![\w-])"), _card, ()),
)

# Patterns that decide from the context (a key's name, a header, an address's shape): right for log
# content, wrong for the tool's own sentences ("signature: template ..." is no secret).
_CONTEXTUAL = frozenset({"cookie-header", "authorization-header", "bearer", "token-word", "assignment", "email",
                         "card-number", "secret-word"})
_GUARD_PATTERNS = tuple(p for p in _SECRET_PATTERNS if p[0] not in _CONTEXTUAL)

# zero-width characters carry no meaning inside a log's words, and hide a key from the patterns
# ("pass\u200bword="): dropped between a letter or digit and a word or separator character; not after
# "@" or before "." ("@\u200dteam", "www\u200d.": the joiners that neutralise mentions and links), nor
# inside scripts and emoji sequences that need them
_ZERO_WIDTH = re.compile(r"(?<=[A-Za-z0-9_])[\u200b\u200c\u200d\u2060\ufeff]+(?=[A-Za-z0-9_=:\"'-])")

_MENTION = re.compile(r"(?<![\w`])@(?=[A-Za-z0-9][A-Za-z0-9-]*)")
ZWJ = "\u200d"


def _folded(text: str) -> str:
    # what the hints are looked for in: case-insensitive patterns also match "ſ" as "s", "K" (Kelvin) as "k"
    # and "ı" as "i", which casefold() gives for the first two only
    return text.lower() if text.isascii() else text.casefold().replace("ı", "i")


def _apply(text: str, patterns: Sequence[_Pattern], extra: Iterable[re.Pattern[str]]) -> str:
    folded = _folded(text)
    for _, pattern, repl, hints in patterns:
        if hints and not any(h in folded for h in hints):
            continue
        masked = pattern.sub(repl, text)  # type: ignore[call-overload]
        if masked is not text:  # (sub returns its argument when nothing matched)
            text, folded = masked, _folded(masked)
    for pattern in extra:
        text = pattern.sub(R, text)
    return text


def redact(text: str, extra: Iterable[re.Pattern[str]] = ()) -> str:
    """Mask secrets and personal data in log content: every pattern, plus ``extra``."""
    return _apply(text if text.isascii() else _ZERO_WIDTH.sub("", text), _SECRET_PATTERNS, extra)


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
