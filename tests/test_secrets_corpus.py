"""The masking's two corpora: secrets in every form seen in logs (each must be gone from ``redact``'s
output, and from ``guard``'s where the secret identifies itself), and ordinary log phrases that must come
out of ``redact`` exactly as they went in. Card numbers: every test card masked, random ids rarely.

Every value is invented: random strings from a seeded generator, or the providers' published examples.
"""

from __future__ import annotations

import random
import string
import time

import pytest

from log_gardener.report.redact import guard, redact

_RNG = random.Random(20260301)
_B64 = string.ascii_letters + string.digits + "+/"
_ALNUM = string.ascii_letters + string.digits


def _pick(alphabet: str, n: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def b64(n: int) -> str:
    return _pick(_B64, n)


def hexs(n: int) -> str:
    return _pick("0123456789abcdef", n)


def alnum(n: int) -> str:
    return _pick(_ALNUM, n)


def password(n: int = 12) -> str:
    """A password someone chose: letters and digits, with a symbol or two inside."""
    return alnum(n // 2) + _RNG.choice("!#*-_.") + alnum(n - n // 2 - 1)


def pem_lines(body: str) -> list[str]:
    return [body[i:i + 64] for i in range(0, len(body), 64)]


# (form, line, the sensitive parts, whether the secret identifies itself so that guard masks it too)
Sample = tuple[str, str, list[str], bool]


def _samples() -> list[Sample]:
    out: list[Sample] = []

    def add(form: str, line: str, parts: list[str], self_identifying: bool = False) -> None:
        out.append((form, line, parts, self_identifying))

    for key, sep in [("dbPassword", "="), ("adminPassword", ": "), ("userPassword", "="), ("smtpPass", "=")]:
        v = password()
        add("camelCase password key", f"bootstrap failed with {key}{sep}{v} for tenant 7", [v])
    v = password(14)
    add("camelCase password key", f'user import: {{"email": "x", "newPassword": "{v}"}} rejected', [v])

    for key in ["PGPASSWORD", "MYSQL_ROOT_PASSWORD", "REDIS_PASSWORD", "RABBITMQ_DEFAULT_PASS", "DBPASSWORD"]:
        v = password(10)
        add("run-together or upper-case env password", f"env: {key}={v} HOME=/root", [v])

    for line_of in [lambda v: f"appSecret={v} loaded from env", lambda v: f"jwtSecret: {v}",
                    lambda v: f'oauth config {{"clientSecret": "{v}", "clientId": "web"}}',
                    lambda v: f"verify failed webhookSecret={v}", lambda v: f"express-session sessionSecret={v}"]:
        v = password(16)
        add("camelCase secret key", line_of(v), [v])

    for key, v in [("encryptionKey", b64(32)), ("SIGNING_KEY", alnum(24)), ("privateKey", alnum(20)),
                   ("masterKey", hexs(32)), ("apiKey", alnum(9)), ("APP_KEY", "base64:" + b64(44))]:
        add("secret key compound (encryption, signing, private, master, api, app)", f"config {key}={v} applied",
            [v.removeprefix("base64:")])

    for key in ["pass\u200bword", "pass\u200cwd", "api\u2060key", "sec\ufeffret", "db\u200dPassword"]:
        v = password(11)
        add("zero-width character inside the key", f"login attempt {key}={v} from 10.0.0.8", [v])
    v = hexs(40)
    add("zero-width character inside the key", f"refresh to\u200bken={v} rejected", [v])

    for key_id, secret, token in [("ASIAQ3EXAMPLE7FAKE0Z", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", b64(120)),
                                  ("ASIAZ9FAKE2EXAMPLE1Q", b64(40), b64(200))]:
        add("AWS STS credentials JSON",
            f'assumed role: {{"Credentials": {{"AccessKeyId": "{key_id}", "SecretAccessKey": "{secret}", '
            f'"SessionToken": "{token}", "Expiration": "2026-03-01T13:00:00Z"}}}}', [key_id, secret, token[5:60]])
    v = b64(40)
    add("AWS STS credentials JSON", f'"SecretAccessKey": "{v}"', [v])

    for line_of in [lambda v: f"stripe says: Invalid API key: {v}", lambda v: f"API key: {v} rejected by partner",
                    lambda v: f"upstream: invalid access token: {v}", lambda v: f"secret key: {v} does not verify"]:
        v = _RNG.choice([hexs(32), b64(28), alnum(10)])
        add("'API key' words, a colon, the value", line_of(v), [v])

    for header, v in [("Ocp-Apim-Subscription-Key", hexs(32)), ("X-Api-Key", alnum(8)),
                      ("X-Vault-Token", "hvs." + alnum(24)), ("X-Auth-Token", hexs(40)),
                      ("X-Shopify-Access-Token", "shpat_" + hexs(32)), ("X-Webhook-Secret", password(12)),
                      ("X-Partner-Token", alnum(32)), ("X-Client-Key", b64(24) + "==")]:
        add("header named *-Key, *-Token, *-Secret", f"request headers: {header}: {v} User-Agent: curl/8.5",
            [v.removeprefix("hvs.").removeprefix("shpat_")])

    for url, pw in [("postgres://user:{}@db.internal/shop", "pa/ss" + alnum(6)),
                    ("https://u:{}@h.example.net/x", "abc/def" + alnum(4)),
                    ("amqp://guest:{}@rabbit:5672/vhost", alnum(5) + "/" + alnum(5) + "/" + alnum(3)),
                    ("redis://:{}@cache:6379/0", alnum(8) + "/" + b64(8).replace("/", "x"))]:
        add("password with '/' in a URL", "connect failed: " + url.format(pw) + " timed out", [pw], True)

    for line_of in [lambda a, b: f"password={a},{b} rejected", lambda a, b: f"pwd={a};{b} user=app",
                    lambda a, b: f"{{passwd={a},{b}}}", lambda a, b: f"db_password={a},{b}, user=x"]:
        a, b = alnum(4), password(8)
        add("password with ',' or ';' inside", line_of(a, b), [f"{a},{b}", b] if "," in line_of(a, b) else [b])

    for start in ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEowIBAAKCAQEA", "MIIJKAIBAAKCAgEA", "MHcCAQEEI",
                  "MIGkAgEBBDA", "MC4CAQAwBQYDK2VwBCIEI"]:
        body = start + b64(200)
        add("private key body without its BEGIN line (DER prefix)", f"loading key material {body[:64]}",
            [body[20:64]], True)
    body = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSk" + b64(300)
    add("private key body without its BEGIN line (DER prefix)", "key:\n" + "\n".join(pem_lines(body)),
        [line[4:] for line in pem_lines(body)], True)
    body = "MIIEpAIBAAKCAQEA" + b64(250)
    add("private key body without its BEGIN line (DER prefix)",
        '{"key": "' + "\\n".join(pem_lines(body)) + '\\n-----END RSA PRIVATE KEY-----\\n"}',
        [line[4:] for line in pem_lines(body)], True)

    for eol in ["\n", "\\n"]:
        body = b64(64 * 4) + b64(22) + "=="
        add("END line with the base64 lines before it", eol.join([*pem_lines(body), "-----END PRIVATE KEY-----"]),
            [line[2:] for line in pem_lines(body)], True)
    body = b64(64 * 5)
    add("base64 lines of a PEM block, both ends cut off", "\n".join(pem_lines(body)), [body[70:120]], True)

    for line_of in [lambda v: f"login failed password={v}", lambda v: f'form {{"password": "{v}"}}',
                    lambda v: f"config:\n  password: {v}\n  pool: 5", lambda v: f"spring.datasource.password={v}",
                    lambda v: f"Server=db;Database=shop;User Id=sa;Password={v};Encrypt=True"]:
        v = password(13)
        add("password key, value in every syntax", line_of(v), [v])

    for key in ["pass", "passwd", "secret", "pwd", "PASSWORDS", "Secrets"]:
        v = password(14)
        add("short key: pass, passwd, secret, pwd", f"retry {key}={v} ok=false", [v])

    jwt = "eyJhbGciOiJSUzI1NiJ9." + b64(60).replace("+", "-").replace("/", "_") + "." + alnum(43)
    add("JWT", f"upstream 401: {jwt}", [jwt[21:60]], True)
    add("JWT", f"GET /cb?id_token={jwt}&state=1", [jwt[21:60]], True)

    for scheme, v in [("Bearer", alnum(40)), ("Basic", "dXNlcjpwYXNzd29yZDEyMzQ1Ng=="), ("Token", hexs(40))]:
        add("Authorization header", f"headers: Authorization: {scheme} {v}", [v])
    v = alnum(32)
    add("Authorization header", f"Authorization: {v}", [v])
    v = "eyJ" + alnum(30)
    add("Authorization header", f"retry with bearer {v}", [v])

    for token, part in [("ghp_" + alnum(36), None), ("github_pat_11" + alnum(20) + "_" + alnum(59), None),
                        ("glpat-" + alnum(20), None), ("xoxb-1234567890-" + alnum(24), None),
                        ("sk_live_" + alnum(24), None), ("SG." + alnum(22) + "." + alnum(43), None),
                        ("npm_" + alnum(36), None), ("sk-proj-" + alnum(40), None),
                        ("AIza" + alnum(35), None), ("GOCSPX-" + alnum(28), None), ("ya29." + alnum(60), None)]:
        add("provider token shape", f"call failed with credential {token} (401)", [part or token[8:]], True)

    for key_id in ["AKIAIOSFODNN7EXAMPLE", "AKIAZ7QX3EXAMPLEK3Y9"]:
        add("AWS access key id", f"AccessDenied for {key_id} on s3://bucket", [key_id], True)
    v = b64(40)
    add("AWS secret next to its key id", f"creds AKIAQ3EXAMPLE7FAKE0X {v}", [v], True)

    for url in ["https://hooks.slack.com/services/T0" + alnum(8) + "/B0" + alnum(8) + "/" + alnum(24)]:
        add("webhook URL", f"POST {url} 404", [url[40:]], True)

    for line_of in [lambda v: f"Cookie: sid={v}; theme=dark", lambda v: f"Set-Cookie: session={v}; Path=/; Secure"]:
        v = alnum(32)
        add("cookie header", line_of(v), [v])

    for key, v in [("token", hexs(32)), ("signature", b64(43)), ("sig", hexs(64)), ("session", alnum(26)),
                   ("sessionid", hexs(32)), ("cache_key", b64(40)), ("auth", "dXNlcjpzM2NyM3Q0Mg=="),
                   ("key", "2f8" + alnum(29)), ("primaryKey", hexs(24))]:
        add("weak key (token, sig, session, key, auth) with a generated value", f"request {key}={v} failed", [v])
    v = "dXNlcjpzM2NyM3RwYXNzMTIz"
    add("weak key (token, sig, session, key, auth) with a generated value",
        f'docker config {{"auths": {{"registry.example.com": {{"auth": "{v}"}}}}}}', [v])

    for query in ["access_token={}&page=2", "api_key={}", "X-Amz-Signature={}&X-Amz-Date=20260301"]:
        v = hexs(40)
        add("secret in a query string", "GET /v1/items?" + query.format(v) + " 403", [v])

    v = b64(86) + "=="
    add("connection string account key", f"DefaultEndpointsProtocol=https;AccountName=shop;AccountKey={v};"
        "EndpointSuffix=core.windows.net", [v[:80]])

    pem = b64(64 * 3)
    add("PEM private key block", "TLS: -----BEGIN EC PRIVATE KEY-----\n" + "\n".join(pem_lines(pem))
        + "\n-----END EC PRIVATE KEY-----", [pem[:60], pem[70:120]], True)

    for email in ["jane.doe@example.com", "ops+alerts@mail.example.org"]:
        add("e-mail address", f"could not deliver to {email}", [email])

    for card in ["4111111111111111", "5500 0055 5555 5559", "3782-822463-10005"]:
        add("card number", f"charge declined card {card}", [card, card[-8:]])
    return out


SAMPLES = _samples()

# ordinary log phrases: nothing in them is secret; redact must leave every one exactly as it is
ORDINARY = [
    # the over-masking seen before, one phrase each
    "basic authentication failed", "Authorization: denied", "max_tokens=4096", "sessions: 5 active",
    "cookie: not set", "sig: SIGTERM", "signature=RS256", "token expired for user 42", "password reset email sent",
    "key not found: user:42", "primaryKey=id", "cache key=users:list", "session=3 closed",
    # words ending in "key", "pass", "token" that name no secret
    "monkey=banana", "turkey: 12", "hotkey=ctrl+c", "bypass=cache", "compass heading 270",
    # nginx
    "connection reset by peer", 'upstream timed out (110: Connection timed out) while reading response header from '
    'upstream, client: 10.0.0.7, server: shop.example.com, request: "GET /api/cart HTTP/1.1"',
    "SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking",
    'open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)',
    "SSL handshake failed",
    # PostgreSQL
    'password authentication failed for user "app"', 'FATAL:  password authentication failed for user "postgres"',
    'ERROR:  duplicate key value violates unique constraint "users_email_key"',
    "DETAIL:  Key (id)=(42) already exists.",
    "LOG:  checkpoint complete: wrote 1532 buffers (9.4%); 0 WAL file(s) added",
    # Kubernetes
    'Secret "db-creds" not found', 'MountVolume.SetUp failed for volume "tls" : secret "app-tls" not found',
    "Back-off restarting failed container api in pod api-7d9f8c-xk2lp_default",
    "Readiness probe failed: HTTP probe failed with statuscode: 503", "using key id 7",
    # Java
    "java.security.InvalidKeyException: Illegal key size", "signature=SHA256withRSA",
    "io.jsonwebtoken.ExpiredJwtException: JWT expired at 2026-03-01T12:00:00Z. Current time: 2026-03-01T12:05:00Z",
    "javax.net.ssl.SSLHandshakeException: PKIX path building failed", "HikariPool-1 - Connection is not available",
    # Python
    "KeyError: 'user_id'", "Token bucket refilled", "redis.exceptions.AuthenticationError: invalid username-password "
    "pair or user is disabled.", "ssl.SSLError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
    "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached",
    # values a secret-looking key is given that are no secret
    "token: null", "apiKey=undefined", "password=<redacted>", "password: ********", "client_secret=${CLIENT_SECRET}",
    "credentials: missing", "auth: failed", "Authorization: required", "cookie: none", "token_ttl=3600",
    "session_timeout_ms=30000", "evicted_keys:0", "keyspace_hits:1234", "idempotency_key=order-12345",
    "signing key rotation scheduled for tomorrow", "session expired, please log in again",
    "secret rotation completed for 3 secrets", "sig=SIGKILL", "PWD=/srv/app", "pass: 12, fail: 0",
    "Authorization: Bearer undefined", "jwt signature does not match locally computed signature",
    "order 1709294400123456789 shipped", "trace_id=4bf92f3577b34da6 sampled=1",
]

# test card numbers the brands publish, each valid for its brand (prefix, length, Luhn)
CARDS = ["4111111111111111", "4012888888881881", "4222222222222", "4242 4242 4242 4242", "4000-0566-5566-5556",
         "5500005555555559", "5555555555554444", "5105 1051 0510 5100", "2223003122003222", "2221000000000009",
         "378282246310005", "371449635398431", "3782 822463 10005", "6011111111111117", "6011000990139424",
         "6555900000604105", "6445644564456445", "3530111333300000", "3566002020360505", "30569309025904",
         "36227206271667", "38520000023237", "6200000000000005", "6250941006528599"]


def _luhn(digits: str) -> bool:
    total = sum(int(d) if i % 2 == 0 else (2 * int(d) - 9 if int(d) > 4 else 2 * int(d))
                for i, d in enumerate(reversed(digits)))
    return total % 10 == 0


def test_the_corpora_are_big_and_varied():
    forms = {form for form, *_ in SAMPLES}
    assert len(SAMPLES) >= 80 and len(forms) >= 25, (len(SAMPLES), len(forms))
    assert len(set(ORDINARY)) == len(ORDINARY) >= 40
    for _, line, parts, _ in SAMPLES:
        assert parts and all(p and p in line for p in parts), line


@pytest.mark.parametrize(("form", "line", "parts", "self_identifying"), SAMPLES,
                         ids=[f"{n:03d}" for n in range(len(SAMPLES))])
def test_every_secret_is_masked_and_masking_is_idempotent(form, line, parts, self_identifying):
    once = redact(line)
    assert [p for p in parts if p in once] == [], (form, once)
    assert "[REDACTED" in once
    assert redact(once) == once
    if self_identifying:  # the last pass over whole texts knows it by its shape alone
        guarded = guard(line)
        assert [p for p in parts if p in guarded] == [], (form, guarded)
        assert guard(guarded) == guarded


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_log_phrases_are_left_intact(text):
    assert redact(text) == text
    assert guard(text) == text


def test_a_short_value_after_a_password_key_is_still_masked():
    for text in ["password=x", "password=hunter2", "pass=abc", "secret=s3", "PGPASSWORD=pg", "dbPassword: 123456",
                 '"password": "a b"']:
        assert "[REDACTED]" in redact(text) and redact(text).split("[REDACTED]")[0] in text, text
    assert redact("password=abc, user=x") == "password=[REDACTED], user=x"  # ", " ends the value
    assert redact("{password=abc}") == "{password=[REDACTED]}"  # the closing bracket is kept


def test_zero_width_characters_are_dropped_inside_words_only():
    assert redact("pass\u200bword=hunter2xyz") == "password=[REDACTED]"
    mention = "ping @\u200doncall"  # a neutralised mention keeps its joiner
    assert redact(mention) == mention
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # an emoji sequence too
    assert redact(family) == family
    link = "see www\u200d.example.com"  # a link broken for Markdown stays broken
    assert redact(link) == link
    assert redact("password\u200b=hunter2 sec\ufeffret\u2060: x") == "password=[REDACTED] secret: [REDACTED]"


@pytest.mark.parametrize("card", CARDS)
def test_every_test_card_number_is_masked(card):
    assert _luhn(card.replace(" ", "").replace("-", ""))
    assert redact(f"payment failed for {card} (declined)") == "payment failed for [REDACTED card number] (declined)"


def test_random_ids_are_rarely_taken_for_card_numbers():
    # Luhn alone passes one random number in ten; the brands' prefixes and lengths make it about one in a hundred
    rng = random.Random(7)
    ids = ["".join(rng.choice(string.digits) for _ in range(rng.randint(13, 19))) for _ in range(10_000)]
    masked = sum("REDACTED" in redact(f"order {i} not found") for i in ids)
    assert masked / len(ids) < 0.02, masked


def test_repeated_keys_take_linear_time_and_no_deep_recursion():
    # the callbacks too (the hostile-input test times the regexes alone): "key=key=key=..." once recursed
    # as deep as it was long
    for unit in ["key=", "token=a,", "password=a,", 'key="', "sid:", "http://a:", "Authorization: ", "MII"]:
        text = unit * 12_000
        t0 = time.perf_counter()
        once = redact(text)
        assert redact(once) == once
        assert time.perf_counter() - t0 < 2.0, unit
