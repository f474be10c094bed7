"""Secrets and personal data found in logs never leave the machine, and log text never pings anyone.

A corpus of synthetic secrets (every value invented for this test), each inside a realistic log
line, goes through the whole pipeline twice: the CLI with the local tracker (worklog, JSON output,
local issues) and the gardener with the GitHub tracker against the fake server (every request).
"""

import json
import re
import sqlite3

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.garden.github import GitHubTracker
from log_gardener.garden.local import LocalTracker
from log_gardener.model import Severity
from log_gardener.report import redact as redact_mod
from log_gardener.report.redact import ZWJ, neutralise_mentions, redact, safe_text
from test_garden import garden

from factory import entry, write_jsonl

JWT_BODY = "eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0"
JWT_SIG = "Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZS0wMDE"
JWT = f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{JWT_BODY}.{JWT_SIG}"
PEM_BODY = "MIIEowIBAAKCAQEAx7Fak3K3yMat3r1alF0rT3st1ng0nly9q"
SA_KEY_BODY = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkFak3Sa"

# (log line, the sensitive parts that must not appear anywhere)
CORPUS: list[tuple[str, list[str]]] = [
    (f"upstream 401 with header Authorization: Bearer {JWT}", [JWT_BODY, JWT_SIG]),
    ("request failed: headers={'Authorization': 'Basic YWRtaW46c3VwZXJzZWNyZXQxMjM0NQ=='}",
     ["YWRtaW46c3VwZXJzZWNyZXQxMjM0NQ"]),
    ("GitHub sync failed: Authorization: token ghp_R4nd0mT0k3nV4lu3F0rT3st1ngOnly0001", ["R4nd0mT0k3nV4lu3F0rT3st"]),
    ("could not connect to postgres://app:S3cr3tPassw0rd@db.internal:5432/shop", ["S3cr3tPassw0rd"]),
    ("cache unavailable: redis://:r3d1sP4ssw0rd@cache.internal:6379/0 timed out", ["r3d1sP4ssw0rd"]),
    ("mysql connect mysql://root:Pa55w0rdR00t@10.0.0.5/orders refused", ["Pa55w0rdR00t"]),
    ("boto3 AccessDenied for access key AKIAZ7QX3EXAMPLEK3Y9 on s3://shop-exports", ["AKIAZ7QX3EXAMPLEK3Y9"]),
    ("env check: aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9EXAMPLE loaded",
     ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9EXAMPLE"]),
    ("Maps API rejected key AIzaSyD3xAmPl3K3yF0rT3st1ngPurp0s3s0nly for geocode",
     ["SyD3xAmPl3K3yF0rT3st1ngPurp0s3s"]),
    (f"TLS setup failed loading -----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----",
     [PEM_BODY]),
    ('google.auth failed for credentials {"type": "service_account", "project_id": "shop-staging", '
     '"private_key_id": "3f2a9c0d1e4b5a6978877665544332211ffeeddc", '
     f'"private_key": "-----BEGIN PRIVATE KEY-----\\n{SA_KEY_BODY}\\n-----END PRIVATE KEY-----\\n", '
     '"client_email": "deployer@shop-staging.iam.gserviceaccount.com"}',
     [SA_KEY_BODY, "3f2a9c0d1e4b5a6978877665544332211ffeeddc", "deployer@shop-staging"]),
    ("release upload: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV invalid",
     ["11ABCDEFG0123456789_abcdefghij"]),
    ("oauth exchange returned gho_Fak3OAuthT0k3nForT3st1ngPurp0s3s99 for user", ["Fak3OAuthT0k3nForT3st1ng"]),
    ("app installation token ghs_Fak3Inst4ll4t10nT0k3nT3st1ng00000 expired", ["Fak3Inst4ll4t10nT0k3n"]),
    ("slack notify failed with xoxb-123456789012-1234567890123-FakeSlackBotTokenValue01", ["FakeSlackBotTokenValue01"]),
    ("POST https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/aBcDeFgHiJkLmNoPqRsTuVwX returned 404",
     ["aBcDeFgHiJkLmNoPqRsTuVwX"]),
    ("stripe.error.AuthenticationError: Invalid API Key provided: sk_live_51HfakeKeyForTestsOnly0123456789",
     ["51HfakeKeyForTestsOnly0123456789"]),
    ("refund job: restricted key rk_live_51HfakeRestrictedKey9876543210 lacks scope", ["51HfakeRestrictedKey98765"]),
    ('signup payload {"email_opt_in": true, "password": "correct horse battery staple"} rejected',
     ["correct horse battery staple", "horse battery"]),
    ("login failed for user=alice password=Tr0ub4dor-3x from 203.0.113.9", ["Tr0ub4dor-3x"]),
    ("config loaded:\n  db_password: hunter2hunter2\n  pool: 5", ["hunter2hunter2"]),
    ("webhook verification failed, secret=wh5ecr3tv4lu3xyz does not match", ["wh5ecr3tv4lu3xyz"]),
    ("vendor call failed api_key=ak_9f8e7d6c5b4a3210ff for partner acme", ["ak_9f8e7d6c5b4a3210ff"]),
    ("GET /oauth/callback?token=tk0123456789abcdef&state=xyz 500", ["tk0123456789abcdef"]),
    ("mailer: could not send receipt to jane.doe@example.com (550 mailbox unavailable)", ["jane.doe@example.com"]),
    ("user lookup failed for carlos+shop@mail.example.org", ["carlos+shop@mail.example.org"]),
    ("response header Set-Cookie: session=s%3AabcDEF123456ghi.Sig0; Path=/; HttpOnly", ["abcDEF123456ghi"]),
    ("request header Cookie: JSESSIONID=A1B2C3D4E5F60718293A4B5C6D7E8F90; theme=dark",
     ["A1B2C3D4E5F60718293A4B5C6D7E8F90"]),
    ("sessionid=9f8e7d6c5b4a39281706f5e4d3c2b1a0 rejected by auth middleware", ["9f8e7d6c5b4a39281706f5e4d3c2b1a0"]),
    ("payment declined for card 4111 1111 1111 1111 (visa)", ["4111 1111 1111 1111", "4111111111111111"]),
    ("charge failed card_number=5555555555554444 amount=12.00", ["5555555555554444"]),
    ("proxy refused Proxy-Authorization: Basic cHJveHl1c2VyOnByb3h5cGFzc3dk", ["cHJveHl1c2VyOnByb3h5cGFzc3dk"]),
    ("partner API: X-Api-Key: 7f3e9a1b2c4d5e6f7a8b9c0d1e2f3a4b rejected", ["7f3e9a1b2c4d5e6f7a8b9c0d1e2f3a4b"]),
    ('oauth client config {"client_id": "12345.apps", "client_secret": "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWx12"}',
     ["AbCdEfGhIjKlMnOpQrStUvWx12"]),
    ("npm ERR! 401 with npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 on install", ["AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"]),
    ("token refresh failed refresh_token=1//0gFakeRefreshTokenValue42 grant invalid", ["FakeRefreshTokenValue42"]),
    ("sendgrid rejected SG.fakeSendgridKeyId01.fakeSendgridSecretPartABCDEFGHIJ0123 quota",
     ["fakeSendgridSecretPartABCDEFGHIJ0123"]),
    (f"GET /login?id_token={JWT} 400", [JWT_BODY]),
    ("retry with settings {'api_key': 'k-LIVE-abcdef123456', 'retries': 3}", ["k-LIVE-abcdef123456"]),
    ('worker payload={\\"user\\": \\"bob\\", \\"password\\": \\"esc4pedS3cret value\\"}', ["esc4pedS3cret"]),
    # an AWS secret access key written after its access key id, with no key=value around it
    ("SignatureDoesNotMatch for key AKIAQ3EXAMPLE7FAKE0X secret kT9vW2xY+fAkE/s3cR3tK3yV4lu3ForT3sts0nLy",
     ["kT9vW2xY+fAkE/s3cR3tK3yV4lu3ForT3sts0nLy", "AKIAQ3EXAMPLE7FAKE0X"]),
    ("sts creds AccessKeyId ASIAQ3EXAMPLE7FAKE0Y, bN4vX7zQ/fAkE+s3cR3tK3yV4lu3ForT3sts0nLy expiring",
     ["bN4vX7zQ/fAkE+s3cR3tK3yV4lu3ForT3sts0nLy"]),
    ("deploy token is Zq8RfK2mXw9LpT4vNc7YhB3s for registry push", ["Zq8RfK2mXw9LpT4vNc7YhB3s"]),
    # camelCase and run-together keys, a zero-width character inside a key, AWS STS JSON, "API key:" words,
    # a "/" in a URL's password, a "," inside a password, a private key's body without its BEGIN line
    ("bootstrap failed: dbPassword=Qz7-hunter2-Lk9 PGPASSWORD=pgS3cr3tVal9", ["Qz7-hunter2-Lk9", "pgS3cr3tVal9"]),
    ("login attempt pass\u200bword=Zw1dthH1dd3nPw from 10.0.0.8", ["Zw1dthH1dd3nPw"]),
    ('assumed role {"AccessKeyId": "ASIAQ3EXAMPLE7FAKE0Z", '
     '"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", '
     '"SessionToken": "FwoGZXIvYXdzEFakeSessionT0kenForTestsOnly0123456789"}',
     ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FakeSessionT0kenForTestsOnly", "ASIAQ3EXAMPLE7FAKE0Z"]),
    ("partner says: Invalid API key: 3f9a0c4b5d6e7f8091a2b3c4d5e6f708", ["3f9a0c4b5d6e7f8091a2b3c4d5e6f708"]),
    ("could not connect to postgres://app:pa/ss9W0rdSl4sh@db:5432/shop", ["pa/ss9W0rdSl4sh", "ss9W0rdSl4sh"]),
    ("login rejected password=abc,def123xyzComma for bob", ["def123xyzComma"]),
    ("loading key MIIEvQIBADANBgkqhkiG9w0BAQEFAASCFakeDerBodyForTestsOnly0123456789 failed",
     ["FakeDerBodyForTestsOnly0123456789"]),
]

MENTIONS = "notify @oncall-bob and @acme/platform-team: queue consumer stalled"
_LIVE_MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")


def secrets() -> list[str]:
    return [s for _, parts in CORPUS for s in parts]


def log_entries():
    # an hour apart on different instances: separate problems, none the consequence of another
    out = [entry(f"ERROR {line}", t=n * 3600.0, severity=Severity.ERROR, inst=n + 1) for n, (line, _) in
           enumerate(CORPUS)]
    out.append(entry(f"ERROR {MENTIONS}", t=len(CORPUS) * 3600.0, severity=Severity.ERROR, inst=99))
    return out


def leaks(text: str) -> list[str]:
    return [s for s in secrets() if s in text]


def test_the_corpus_is_big_enough_and_the_samples_are_real():
    assert len(CORPUS) >= 30
    for line, parts in CORPUS:
        assert parts[0] in line, line


@pytest.mark.parametrize(("line", "parts"), CORPUS, ids=[f"s{n:02d}" for n in range(len(CORPUS))])
def test_each_sample_is_masked_and_masking_is_idempotent(line, parts):
    once = safe_text(line)
    assert [p for p in parts if p in once] == [], once
    assert "[REDACTED" in once
    assert safe_text(once) == once


def test_ordinary_log_text_is_left_alone():
    for text in ["token refresh rejected", "ModuleNotFoundError: No module named 'shop.services.metrics'",
                 "GET /api/v1/orders/12345 500 in 1532ms", "2026-03-01T12:00:00.123456Z worker 3 exited",
                 "trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7", "Invalid token: expired",
                 "ts=1709294400000 instance=00ab0001ffff", "<!-- log-gardener:problem=p6b554d0453cf -->",
                 "<!-- log-gardener:keys=s1,s2 -->", "password: <redacted>", "OAuth URI mismatch",
                 "token expired", "password reset email sent", "secret manager unavailable",
                 "cache key user_profile_settings_v2 evicted", "signing key rotation scheduled for tomorrow"]:
        assert safe_text(text) == text


def test_mentions_are_neutralised_people_and_teams():
    out = neutralise_mentions(MENTIONS)
    assert out == MENTIONS.replace("@", "@" + ZWJ)
    assert not _LIVE_MENTION.search(out)
    assert neutralise_mentions("mail bob@example.com or `@in-code`") == "mail bob@example.com or `@in-code`"


def test_extra_patterns_per_call_and_per_run():
    customer = re.compile(r"\bCUST-\d{6}\b")
    assert redact("refund for CUST-123456 failed", extra=[customer]) == "refund for [REDACTED] failed"
    run_mask = redact_mod.Redactor.of([r"\bORD-[A-Z0-9]{8}\b"])
    assert run_mask.content("order ORD-AB12CD34 stuck") == "order [REDACTED] stuck"
    assert run_mask.guard("order ORD-AB12CD34 stuck") == "order [REDACTED] stuck"
    # a value, not a registry: nothing carries over to the next call or run
    assert redact("order ORD-AB12CD34 stuck") == "order ORD-AB12CD34 stuck"
    assert redact_mod.Redactor().content("order ORD-AB12CD34 stuck") == "order ORD-AB12CD34 stuck"


def test_the_tools_own_words_are_not_masked_log_content_is():
    mask = redact_mod.Redactor()
    prose = "a single signature: message template \"cache miss\"; token: the rule's; session: 3 runs"
    assert mask.guard(prose) == prose  # the last pass only knows secrets by their own shape
    assert mask.guard("key ghp_" + "a" * 36) == "key [REDACTED github token]"
    assert mask.content("login failed, signature: 9f8e7d6c5b4a") == "login failed, signature: [REDACTED]"


def test_nothing_secret_reaches_the_worklog_the_json_or_the_local_tracker(tmp_path):
    path = write_jsonl(tmp_path / "export.jsonl", log_entries())
    state, worklog, out = tmp_path / "garden.db", tmp_path / "worklog.md", tmp_path / "run.json"
    result = CliRunner().invoke(main, ["run", "-i", str(path), "--state", str(state), "--worklog", str(worklog),
                                       "--json", str(out), "--max-new-issues", "100"])
    assert result.exit_code == 0, result.output
    doc = orjson.loads(out.read_bytes())
    assert len(doc["problems"]) >= 10
    tracker = LocalTracker(state)
    try:
        issues = [tracker.get(i.number) for i in tracker.list()]
    finally:
        tracker.shutdown()
    assert len(issues) >= 10
    texts = {
        "worklog": worklog.read_text(),
        "json": out.read_text(),
        "json (decoded)": json.dumps(doc, ensure_ascii=False),
        "stderr": result.output,
        "issues": "\n".join(f"{i.title}\n{i.body}\n" + "\n".join(i.comments) for i in issues),
    }
    for where, text in texts.items():
        assert leaks(text) == [], where
    for i in issues:
        assert not _LIVE_MENTION.search(i.title + i.body), i.title


def test_nothing_secret_reaches_github(github_fake, tmp_path):
    customer = re.compile(r"\bCUST-\d{6}\b")
    tracker = GitHubTracker(github_fake.repo, github_fake.token, tmp_path / "gh.db", github_fake.base_url,
                            sleep=lambda s: None, seconds_between_requests=0, seconds_between_writes=0,
                            redactor=redact_mod.Redactor((customer,)))
    try:
        entries = log_entries()
        entries.append(entry("ERROR refund for CUST-654321 failed twice", t=-3600.0, severity=Severity.ERROR,
                             inst=98))
        garden(entries, tracker, cap=100)
        later = [entry(f"ERROR {line}", t=(n + 0.5) * 3600, severity=Severity.ERROR, inst=n + 1)
                 for n, (line, _) in enumerate(CORPUS[:8])]
        garden(later, tracker, cap=100)  # comments too
    finally:
        tracker.shutdown()
    sent = github_fake.sent_texts()
    assert len(github_fake.issues()) >= 10 and any(github_fake.comments(i["number"]) for i in github_fake.issues())
    decoded = []
    for r in github_fake.requests:
        if r.body:
            payload = r.json
            decoded += [str(v) for v in (payload.values() if isinstance(payload, dict) else payload)]
    for text in [*sent, *decoded]:
        assert leaks(text) == [], text[:300]
        assert "CUST-654321" not in text
    published = [i["title"] + "\n" + i["body"] for i in github_fake.issues()]
    published += [c for i in github_fake.issues() for c in github_fake.comments(i["number"])]
    assert any("@" + ZWJ + "oncall-bob" in t for t in published)
    for text in published:
        assert not _LIVE_MENTION.search(text), text[:300]
    with sqlite3.connect(tmp_path / "gh.db") as db:
        mirrored = "\n".join(t + b for t, b in db.execute("SELECT title, body FROM issues"))
    assert leaks(mirrored) == []
