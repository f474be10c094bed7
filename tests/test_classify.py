"""Where the app put the level: payload fields, JSON text, prefix tags, mid-line levels, error shapes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from log_gardener.model import Origin, Severity
from log_gardener.parse.classify import classify, level_from_name, message_part, strip_ansi, voice
from log_gardener.sources.normalize import to_entry

S = Severity

POSITIVE = [
    ("WARNING:root:disk almost full", S.WARNING),
    ("ERROR:app.db:connection lost", S.ERROR),
    ("2025-09-15 12:00:00,123 WARNING [billing] rates are stale", S.WARNING),
    ("2025-09-15 12:00:00,123 - app.db - ERROR - pool exhausted", S.ERROR),
    ("ERROR:    Exception in ASGI application", S.ERROR),
    ("[2025-09-16 00:42:53 +0000] [11] [ERROR] Worker failed to boot.", S.ERROR),
    ("[2025-09-16 00:42:53 +0000] [11] [CRITICAL] WORKER TIMEOUT (pid:12)", S.CRITICAL),
    ("\x1b[31m[Nest] 1  - \x1b[39m11/28/2025, 3:04:05 PM \x1b[31m  ERROR\x1b[39m [ExceptionHandler] Nest can't",
     S.ERROR),
    ("12:00:00.123 [main] ERROR c.e.App - payment declined", S.ERROR),
    ("2025-09-15T12:00:00.123Z  WARN 1 --- [nio-8080-exec-1] o.h.e.j.s.SqlExceptionHelper : SQL Error: 0", S.WARNING),
    ('Exception in thread "main" java.lang.IllegalStateException: no config', S.ERROR),
    ("panic: runtime error: index out of range [5] with length 3", S.CRITICAL),
    ("E1201 12:00:00.000000       1 controller.go:42] sync failed", S.ERROR),
    ('time="2025-09-15T12:00:00Z" level=error msg="db down"', S.ERROR),
    ('{"level":"warn","ts":1726401600.1,"msg":"retrying"}', S.WARNING),
    ("E, [2025-09-15T12:00:00.123456 #1] ERROR -- : charge failed", S.ERROR),
    ("fail: Microsoft.AspNetCore.Server.Kestrel[13]", S.ERROR),
    ("crit: Microsoft.Hosting.Lifetime[0]", S.CRITICAL),
    ("PHP Fatal error:  Uncaught Exception: gateway down in /var/www/x.php:12", S.CRITICAL),
    ("PHP Warning:  Undefined array key \"coupon\" in /var/www/cart.php on line 40", S.WARNING),
    ("[Mon Sep 22 16:40:09.085871 2025] [php:warn] [pid 17] PHP Warning:  Undefined variable", S.WARNING),
    ("[2025-09-15 12:00:00] production.ERROR: Stripe timeout", S.ERROR),
    ("[12:00:00 ERR] Stock sync failed", S.ERROR),
    ("npm ERR! code ELIFECYCLE", S.ERROR),
    ("System halted: startup aborted. Error: CRITICAL: Failed to access secret projects/p/secrets/db/versions/1",
     S.CRITICAL),
    ("[worker-3] ERROR job 88124 failed: upstream returned 502", S.ERROR),
    ("TypeError: Cannot read properties of undefined (reading 'id')\n    at handler (/app/src/a.js:10:5)", S.ERROR),
    ("Failed to send push: Error: getaddrinfo ENOTFOUND relay\n    at GetAddrInfoReqWrap.onlookupall "
     "[as oncomplete] (node:dns:120:26) {", S.ERROR),
    ("/app/ledger/main.py:41: DeprecationWarning: datetime.utcnow() is deprecated", S.WARNING),
    ("thread 'main' panicked at src/main.rs:10:5:", S.CRITICAL),
    ('[scheduler] {"severity":"ERROR","message":"job missed its window"}', S.ERROR),
    ("Traceback (most recent call last):\n  File \"/app/x.py\", line 1, in <module>\nValueError: x", S.ERROR),
]
NEGATIVE = [
    "0 errors",
    "error_count=0 warn_count=0",
    "errorHandler registered",
    "retrying after error? no",
    "Processed 120 items, 0 failed",
    "GET /api/errors 200 12ms",
    "listening on :8080",
    "Processing ERROR records from the dead-letter queue",
]
EXPLICIT_LOW = [
    'INFO:     127.0.0.1:5000 - "GET /error HTTP/1.1" 200 OK',
    "INFO: set log level to WARNING",
    'level=info msg="error rate 0.0%"',
    "[2025-08-19 20:57:37 +0000] [1] [INFO] Handling signal: term",
    '{"level":"info","msg":"0 errors in the last hour"}',
]


@pytest.mark.parametrize(("text", "level"), POSITIVE)
def test_the_level_is_read_where_the_app_put_it_and_says_why(text, level):
    got, reason = classify(text)
    assert got is level and reason


@pytest.mark.parametrize("text", NEGATIVE)
def test_lines_that_only_mention_errors_have_no_level(text):
    assert classify(text) == (S.DEFAULT, "")


@pytest.mark.parametrize("text", EXPLICIT_LOW)
def test_an_explicit_low_level_wins_over_error_words(text):
    assert classify(text)[0] < S.WARNING


@pytest.mark.parametrize(("value", "level"), [
    ("error", S.ERROR), ("WARN", S.WARNING), ("Error", S.ERROR), ("eror", S.ERROR), ("fail", S.ERROR),
    (50, S.ERROR), (40, S.WARNING), (60, S.CRITICAL), (30, S.INFO), ("50", S.ERROR), (500, S.ERROR),
    ("bogus", None), (True, None), (45, None),
])
def test_level_names_and_pino_numbers(value, level):
    assert level_from_name(value) is level


def entry_of(doc: dict):
    return to_entry({"timestamp": "2026-03-01T12:00:00Z", "insertId": "x", **doc}, Origin("t"))


@pytest.mark.parametrize(("payload", "level"), [
    ({"level": "error", "msg": "db down"}, S.ERROR),
    ({"levelname": "WARNING", "message": "slow"}, S.WARNING),
    ({"log.level": "error", "message": "ecs"}, S.ERROR),
    ({"log": {"level": "warn"}, "message": "ecs nested"}, S.WARNING),
    ({"lvl": "eror", "msg": "log15"}, S.ERROR),
    ({"level": 50, "msg": "pino"}, S.ERROR),
    ({"level": 30, "msg": "pino info"}, S.INFO),
    ({"event": "charge failed", "level": "error"}, S.ERROR),  # structlog
])
def test_a_json_payload_without_severity_takes_its_own_level_field(payload, level):
    e = entry_of({"jsonPayload": payload})
    assert e.severity is level and e.declared_severity is None and e.severity_reason.startswith("payload field")
    assert e.text in (payload.get("msg"), payload.get("message"), payload.get("event"))


def test_a_declared_severity_is_never_overridden_by_the_payload():
    e = entry_of({"severity": "INFO", "jsonPayload": {"level": "error", "message": "handled"}})
    assert e.severity is S.INFO


def test_a_text_line_that_is_a_json_document_is_read_as_one():
    e = entry_of({"textPayload": '{"timestamp": "2025-12-01 22:50:38,557", "level": "ERROR", "logger": "wf", '
                                 '"message": "call failed: 403 Permission denied", '
                                 '"error": {"type": "PermissionDenied", "message": "403"}}'})
    assert (e.severity, e.text, e.logger) == (S.ERROR, "call failed: 403 Permission denied", "wf")
    assert (e.error_type, e.error_value) == ("PermissionDenied", "403")


def test_a_json_document_with_unescaped_quotes_is_read_loosely():
    text = ('{"timestamp": "x", "level": "ERROR", "logger": "wf", "message": "failed: [reason: "IAM_DENIED"]. No '
            'retry.", "mode": "production"}')
    e = entry_of({"textPayload": text})
    assert (e.severity, e.text) == (S.ERROR, 'failed: [reason: "IAM_DENIED"]. No retry.')


def test_ansi_codes_are_removed_before_anything_and_never_kept():
    e = entry_of({"textPayload": "\x1b[31m[Nest] 1  - 11/28/2025, 3:04:05 PM   \x1b[31mERROR\x1b[39m boom\x1b[0m"})
    assert "\x1b" not in e.text and e.severity is S.ERROR
    assert strip_ansi("\x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[1;31mred\x1b[0m") == "link red"


@pytest.mark.parametrize(("line", "message"), [
    ("WARNING:root:disk almost full", "disk almost full"),
    ("2025-09-15 12:00:00,123 - app.db - ERROR - pool exhausted", "pool exhausted"),
    ("12:00:00.123 [main] ERROR c.e.App - payment declined", "payment declined"),
    ("[Nest] 1  - 11/28/2025, 3:04:05 PM   ERROR [ExceptionHandler] Nest can't resolve", "Nest can't resolve"),
    ("2025-09-15T12:00:00.123456Z ERROR my_app::handler: tile render failed", "tile render failed"),
    ("/app/x.py:41: DeprecationWarning: utcnow is deprecated", "DeprecationWarning: utcnow is deprecated"),
    ('time=x level=error msg="db down"', "db down"),
    ("\u274c No info dict returned", "No info dict returned"),
    ("[youtube] abc: Sign in to confirm", "[youtube] abc: Sign in to confirm"),  # a name, not a prefix
])
def test_the_message_without_its_log_line_prefix(line, message):
    assert message_part(line) == message


def test_the_writer_of_a_line_is_its_prefix_without_times_and_level():
    assert voice("[2025-09-16 00:42:53 +0000] [1] [ERROR] Reason: x") == voice("[2025-09-16 00:43:10 +0000] [1] "
                                                                               "[CRITICAL] Shutting down")
    assert voice("ERROR:pricing.rules:Rule set failed") != voice("ERROR:pricing.cache:Cache write failed")
    assert voice("WARNING:pricing.rules:x") == voice("ERROR:pricing.rules:y")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gets_a_level_and_never_crashes(text):
    level, reason = classify(text)
    assert isinstance(level, Severity) and (reason != "") == (level is not S.DEFAULT)


def test_hostile_lines_are_classified_too():
    # (how long they take is bench/ territory; a super-linear pattern would hang this test)
    assert classify("[ERROR] " + "a-" * 16_000)[0] is S.ERROR
    for text in ("a " * 30_000, "[" * 30_000, "{" * 30_000, "x" + "\n    at " * 10_000, ": Error: " * 5_000):
        assert isinstance(classify(text)[0], Severity) and isinstance(message_part(text), str)
