"""The issue's must-shows on the real Cloud Run exports in ../shared (skipped when absent)."""

import orjson
from click.testing import CliRunner

from log_gardener.cli import main

LAST = "gcp_logs_last_hour_20250915_175001.json"
IN_ORDER = ["gcp_backend_logs_1hour_20250915_130325.json", "gcp_backend_logs_last_1hour_20250915_143747.json", LAST]


def run(args):
    result = CliRunner().invoke(main, ["run", "-q", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_crash_loop_file_gives_the_seed_problems(netra, tmp_path):
    out = tmp_path / "r.json"
    assign = tmp_path / "a.jsonl"
    run(["-i", str(netra / LAST), "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md"),
         "--json", str(out), "--assignments", str(assign)])
    doc = orjson.loads(out.read_bytes())
    problems = {p["id"]: p for p in doc["problems"]}
    assert doc["totals"]["read"] == 1000 and doc["totals"]["rejected"] == 0

    module = [p for p in problems.values() if "netra_backend.app.services.monitoring" in p["title"]]
    assert len(module) == 1
    p0 = module[0]
    assert p0["priority"] == "P0" and p0["caused_by"] is None
    # all 75 ERROR entries: the CRITICAL line, the details line and the chained tracebacks
    assert p0["severities"]["ERROR"] == 120  # 75 ERROR + 15 untagged headers + 30 "During handling" lines
    kinds = {s["kind"]: s["count"] for s in p0["signatures"]}
    assert kinds == {"trace": 90, "error": 15, "template": 15}

    boot = next(p for p in problems.values() if "Worker failed to boot" in p["title"])
    assert boot["caused_by"] == p0["id"] and boot["issue"]["ref"] == p0["issue"]["ref"]
    exit_ = next(p for p in problems.values() if "Container called exit(3)" in p["title"])
    assert exit_["priority"] == "P1" and exit_["caused_by"] in (p0["id"], boot["id"])
    assert exit_["issue"]["action"] == "comment-on-cause"
    svc = next(p for p in problems.values() if p["title"].startswith("SERVICE_ID contained whitespace"))
    sentry = next(p for p in problems.values() if p["title"].startswith("Sentry SDK not available"))
    assert (svc["priority"], svc["caused_by"]) == ("P2", None)
    assert (sentry["priority"], sentry["caused_by"]) == ("P3", None)
    assert len(problems) == 5

    # every WARNING+ entry is assigned to some problem
    rows = [orjson.loads(line) for line in assign.read_bytes().splitlines()]
    assert len(rows) == doc["totals"]["selected"] == sum(p["count"] for p in problems.values())
    assert {r["problem"] for r in rows} == set(problems)
    raw = orjson.loads((netra / LAST).read_bytes())
    warning_plus = {e["insertId"] for e in raw if e.get("severity") in ("WARNING", "ERROR", "CRITICAL")}
    assert warning_plus <= {r["insertId"] for r in rows}


def test_three_files_in_time_order_create_once_then_comment(netra, tmp_path):
    state = str(tmp_path / "g.db")
    docs = []
    for n, name in enumerate(IN_ORDER):
        out = tmp_path / f"{n}.json"
        run(["-i", str(netra / name), "--state", state, "--worklog", str(tmp_path / f"{n}.md"), "--json", str(out)])
        docs.append(orjson.loads(out.read_bytes()))
    actions = [[p["issue"]["action"] for p in d["problems"]] for d in docs]
    assert "comment" not in actions[0]  # first run: everything is new
    created_ids = {p["id"] for p in docs[0]["problems"] if p["issue"]["action"] == "create"}
    for later in docs[1:]:
        for p in later["problems"]:
            if p["id"] in created_ids:
                assert p["issue"]["action"] in ("comment", "comment-on-cause", "unchanged"), p
    # the recurring warnings are commented on, not filed again
    for d in docs[1:]:
        svc = next(p for p in d["problems"] if p["title"].startswith("SERVICE_ID"))
        assert svc["issue"]["action"] == "comment"
    # a second run of the last file changes nothing
    out = tmp_path / "again.json"
    result = CliRunner().invoke(main, ["run", "-i", str(netra / LAST), "--state", state, "--worklog",
                                       str(tmp_path / "again.md"), "--json", str(out)])
    assert result.exit_code == 0
    again = orjson.loads(out.read_bytes())
    assert {p["issue"]["action"] for p in again["problems"]} == {"unchanged"}
    assert "nothing new" in result.output
    listing = CliRunner().invoke(main, ["issues", "list", "--state", state])
    titles = [line for line in listing.output.splitlines() if line.startswith("#")]
    assert len(titles) == len(set(titles))  # one issue per problem


def run_file(path, tmp_path):
    out, assign = tmp_path / "r.json", tmp_path / "a.jsonl"
    run(["-i", str(path), "--dry-run", "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md"),
         "--json", str(out), "--assignments", str(assign)])
    doc = orjson.loads(out.read_bytes())
    rows = [orjson.loads(line) for line in assign.read_bytes().splitlines()]
    return doc, {r["insertId"] for r in rows}


def one(doc, needle):
    hits = [p for p in doc["problems"] if needle in p["title"]]
    assert len(hits) == 1, (needle, [p["title"] for p in doc["problems"]])
    return hits[0]


def test_python_worker_the_denied_vertex_call_and_the_bot_check_are_problems_of_their_own(other_services, tmp_path):
    path = other_services / "hotchilianalytics_verityngn-oss__cloudrun_logs.json"
    doc, selected = run_file(path, tmp_path)
    assert (doc["totals"]["read"], doc["totals"]["rejected"]) == (200, 0)
    denied = one(doc, "Relaxed config failed: 403 Permission 'aiplatform.endpoints.predict' denied")
    assert (denied["priority"], denied["caused_by"], denied["severity"]) == ("P1", None, "ERROR")
    assert denied["count"] == 11  # a JSON document printed over 11 lines, read back as one
    bot = one(doc, "Sign in to confirm you’re not a bot")
    assert bot["caused_by"] is None and bot["priority"] in ("P1", "P2")
    crash = one(doc, "ValueError: Multimodal analysis failed: Empty response")
    assert crash["priority"] == "P1" and "During task" not in crash["title"]
    assert not any(p["title"].startswith(("?", "{")) for p in doc["problems"])
    # what a person calls a warning or an error, and nothing else: the payload-level JSON entries, the untagged
    # yt-dlp WARNING/ERROR lines, the Python warning, the JSON text documents, the tracebacks and their notes
    raw = orjson.loads(path.read_bytes())
    levels = {e["insertId"] for e in raw if (e.get("jsonPayload") or {}).get("level") in ("ERROR", "WARNING")}
    assert levels and levels <= selected
    texts = {e["insertId"]: e.get("textPayload", "") for e in raw}
    assert not any(texts[i].startswith(("[youtube] Extracting", "INFO:")) for i in selected)
    assert len(selected) == doc["totals"]["selected"] == 43


def test_express_app_the_cors_check_and_its_500s_are_filed_each_with_its_priority(other_services, tmp_path):
    doc, selected = run_file(other_services / "theneilagencia_ComplianceCore-Mining__gcp_logs.json", tmp_path)
    assert len(selected) == 50
    assert (doc["totals"]["read"], doc["totals"]["selected"]) == (50, 50)  # every entry is WARNING or above
    cors = one(doc, "Error: Not allowed by CORS")
    assets = one(doc, "HTTP 500 on GET /assets/<*>")  # hashed bundle names are one route
    # the CORS errors and the asset 500s came in one second on one instance, once: one coincidence is no evidence
    # of a cause, so each is filed on its own
    assert (cors["priority"], cors["caused_by"], assets["caused_by"]) == ("P1", None, None)
    assert one(doc, "HTTP 503 on GET /api/radar/operations")["priority"] == "P1"
    assert one(doc, "HTTP 500 on POST /api/payment/checkout")["priority"] == "P1"
    limiter = [p for p in doc["problems"] if p["title"].startswith("ValidationError:")]
    assert len(limiter) == 2 and all(p["caused_by"] is None for p in limiter)  # one occurrence: no evidence of a link
    client = [p for p in doc["problems"] if p["title"].endswith("answers")]
    assert {p["priority"] for p in client} == {"P3"} and sum(p["count"] for p in client) == 30
