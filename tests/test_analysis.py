from log_gardener.analyse.analysis import analyse, display_message
from log_gardener.group.grouping import finalize, group
from log_gardener.model import Severity

from factory import crash_loop, entry


def findings_of(entries):
    entries = [e for e in entries if e.severity >= Severity.WARNING]
    state = group(entries)
    problems = finalize(state)
    return {f.title: f for f in analyse(problems, state)}, state, problems


def find(findings, needle):
    hits = [f for t, f in findings.items() if needle in t]
    assert len(hits) == 1, (needle, list(findings))
    return hits[0]


def test_seed_priorities_and_chain():
    findings, _, _ = findings_of(crash_loop(6))
    root = find(findings, "No module named")
    boot = find(findings, "Worker failed to boot")
    exit_ = find(findings, "Container called exit")
    sdk = find(findings, "Payments SDK")
    assert root.priority == "P0" and root.caused_by is None and root.startup_blocking
    assert boot.priority == "P0" and boot.caused_by == root.id
    assert exit_.priority == "P1" and exit_.caused_by == boot.id
    assert sdk.priority == "P3" and sdk.caused_by is None
    assert any("startup-import-error" in r for r in root.priority_reasons)
    assert any("consequence of" in r for r in exit_.priority_reasons)


def test_a_warning_before_every_crash_is_not_a_consequence():
    findings, _, _ = findings_of(crash_loop(8))
    sdk = find(findings, "Payments SDK")
    assert sdk.caused_by is None


def test_config_warning_is_p2():
    es = [entry("API_NAME contained whitespace - sanitized from 'shop\\n' to 'shop'", t, inst=t) for t in range(4)]
    findings, _, _ = findings_of(es)
    f = find(findings, "API_NAME")
    assert f.priority == "P2" and f.category == "configuration"


def test_5xx_requests_are_p1_and_follow_the_crash():
    es = crash_loop(3)
    for k in range(3):
        es.append(entry("The request failed because the instance could not start.", 30 * k + 2.0,
                        Severity.ERROR, inst=k + 1, http_status=503, log_name="run.googleapis.com/requests"))
    findings, _, _ = findings_of(es)
    req = find(findings, "request failed")
    assert req.priority == "P1" and req.category == "request-failure"
    assert req.caused_by is not None


def test_display_message_drops_log_prefixes():
    assert display_message("[2026-03-01 12:00:00 +0000] [11] [ERROR] Reason: Worker failed to boot.") == \
        "Reason: Worker failed to boot."
    assert display_message("ERROR:    Exception in ASGI application") == "Exception in ASGI application"
