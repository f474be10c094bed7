"""The HTML report, opened in a real browser: Debian's Chromium, headless, driven by Playwright.

The page is made by the CLI from a run over hostile input (a ``<script>`` in a log line, a
secret, several priorities and statuses, a deploy), then loaded from a file. Nothing may leave
the page, nothing may fail in its console, every problem has its chart with one bar per bucket
that has entries, the filter and the sorting work, and the hostile strings stay inert text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from log_gardener.cli import main

from factory import Severity, crash_loop, entry, write_jsonl

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SCRIPT = "<script>alert(1)</script>"
SECRET = "Sup3r-S3cret-Pw-4fa9c2"  # after password=: masked everywhere
REV2 = "shop-api-00002-new"


def hostile_run(tmp_path: Path) -> tuple[Path, dict]:
    """A run with a crash loop (P0 and its consequences), an old warning and a new error after a deploy."""
    others = [entry(f"search failed: {SCRIPT} password={SECRET}", 60.0 * k, Severity.ERROR, inst=5)
              for k in range(1, 40)]
    others += [entry("cache warm-up slow: [click](http://evil.example/x) took 900 ms", 300.0 * k, Severity.WARNING,
                     inst=6) for k in range(1, 30)]
    others += [entry("invoice export failed: upstream timeout", 7200 + 30.0 * k, Severity.ERROR, inst=7,
                     revision=REV2) for k in range(12)]
    src = write_jsonl(tmp_path / "in.jsonl", crash_loop(4) + others)
    page, out = tmp_path / "report.html", tmp_path / "out.json"
    result = CliRunner().invoke(main, ["run", "-i", str(src), "--state", str(tmp_path / "g.db"), "--html", str(page),
                                       "--json", str(out), "--worklog", str(tmp_path / "w.md"), "-q"])
    assert result.exit_code == 0, result.output
    return page, json.loads(out.read_text())


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (apt-get install chromium; .ci/run does it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return hostile_run(tmp_path_factory.mktemp("html"))


@pytest.fixture
def opened(browser, made):
    """The page loaded from its file, with every request, console message and dialog recorded."""
    path, doc = made
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen: dict[str, list] = {"requests": [], "console": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield page, doc, seen, path
    page.close()


def test_nothing_leaves_the_page_and_nothing_fails_in_it(opened):
    page, doc, seen, path = opened
    assert seen["requests"] == [path.as_uri()]  # the document itself, nothing else: no CDN, font, image
    assert seen["errors"] == [] and [m for m in seen["console"] if m[0] in ("error", "warning")] == []
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert page.evaluate("document.styleSheets.length") == 1  # the inline style passed the policy
    assert page.locator("#shown").inner_text() == str(len(doc["problems"]))  # the inline script ran


def test_every_problem_has_its_chart_with_one_bar_per_bucket_with_entries(opened):
    page, doc, _, _ = opened
    charts = doc["charts"]
    assert charts["buckets"] == len(charts["total"]) <= 200 and sum(charts["total"]) == doc["totals"]["selected"]
    assert len(doc["problems"]) >= 5
    for p in doc["problems"]:
        svg = page.locator(f"section#{p['id']} svg.chart")
        assert svg.count() == 1, p["id"]
        bars = svg.locator("rect.bar")
        assert bars.count() == sum(1 for c in p["occurrences"] if c) > 0
        assert sum(int(n) for n in bars.evaluate_all("els => els.map(e => e.dataset.n)")) == p["count"]
        assert svg.get_attribute("data-buckets") == str(charts["buckets"])
        label = svg.get_attribute("aria-label")  # the chart in words, for screen readers
        assert svg.get_attribute("role") == "img" and f"{p['count']:,} entries" in label
    timeline = page.locator("header svg.chart")
    assert timeline.locator("rect.bar").count() == sum(1 for c in charts["total"] if c)
    assert timeline.locator("line.deploy").count() >= 1 and any(d["revision"] == REV2 for d in charts["deploys"])


def test_the_filter_and_the_sorting_work_without_a_server(opened):
    page, doc, _, _ = opened
    rows = page.locator("#problems tbody tr")
    assert rows.count() == len(doc["problems"])
    priorities = sorted({p["priority"] for p in doc["problems"]})
    assert len(priorities) >= 2
    gone = priorities[-1]
    page.locator(f'input[data-filter="priority"][value="{gone}"]').uncheck()
    hidden = [p for p in doc["problems"] if p["priority"] == gone]
    for p in doc["problems"]:
        visible = p["priority"] != gone
        assert page.locator(f'#problems tr[data-id="{p["id"]}"]').is_visible() is visible
        assert page.locator(f"section#{p['id']}").is_visible() is visible
    assert page.locator("#shown").inner_text() == str(len(doc["problems"]) - len(hidden))
    page.locator(f'input[data-filter="priority"][value="{gone}"]').check()
    statuses = sorted({p["status"] for p in doc["problems"]})
    page.locator(f'input[data-filter="status"][value="{statuses[0]}"]').uncheck()
    assert all(not page.locator(f'#problems tr[data-id="{p["id"]}"]').is_visible()
               for p in doc["problems"] if p["status"] == statuses[0])
    page.locator(f'input[data-filter="status"][value="{statuses[0]}"]').check()
    # sorted by count, most first: a cause keeps its consequences under it
    page.locator('button[data-sort="count"]').click()
    roots = [int(c) for c in page.locator('#problems tbody tr[data-depth="0"]').evaluate_all(
        "els => els.map(e => e.dataset.count)")]
    assert roots == sorted(roots, reverse=True)
    depths = rows.evaluate_all("els => els.map(e => e.dataset.depth)")
    assert depths[0] == "0"


def test_log_text_stays_text_and_the_secret_is_nowhere(opened):
    page, _, seen, path = opened
    assert seen["dialogs"] == []  # alert(1) never ran
    assert page.get_by_text(SCRIPT, exact=False).count() >= 1  # shown, as text
    assert page.locator("script").count() == 1  # the page's own, no other
    assert page.locator('a[href^="http://evil"]').count() == 0  # a Markdown link in a log line is no link
    html = path.read_text(encoding="utf-8")
    assert SECRET not in html and SECRET not in page.content()
    assert "password=[REDACTED]" in page.inner_text("body")


def test_the_page_prints(opened):
    page, _, _, _ = opened
    page.emulate_media(media="print")
    assert not page.locator("form.controls").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_report_command_makes_the_same_page_from_the_state(made, tmp_path):
    path, _ = made
    again = tmp_path / "again.html"
    result = CliRunner().invoke(main, ["report", "--state", str(path.parent / "g.db"), "--html", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    empty = CliRunner().invoke(main, ["report", "--state", str(tmp_path / "none.db"), "--html", str(again)])
    assert empty.exit_code == 2 and "no state database" in empty.output


def test_the_page_stays_light_for_many_entries(tmp_path):
    # the same 10 hours with 200 crashes or 2,000: a chart has a bar per bucket (at most 200), never one per
    # entry, so ten times the entries make about the same page
    from factory import crash

    small = write_jsonl(tmp_path / "small.jsonl", [e for k in range(200) for e in crash(k % 40 + 1, 180.0 * k)])
    big = write_jsonl(tmp_path / "big.jsonl", [e for k in range(2000) for e in crash(k % 40 + 1, 18.0 * k)])
    sizes = []
    for src in (small, big):
        page = tmp_path / f"{src.stem}.html"
        result = CliRunner().invoke(main, ["run", "-i", str(src), "--state", str(tmp_path / f"{src.stem}.db"),
                                           "--html", str(page), "--dry-run", "-q"])
        assert result.exit_code == 0, result.output
        sizes.append(page.stat().st_size)
    assert sizes[1] < 1.2 * sizes[0]


def test_a_text_log_without_times_makes_a_page(tmp_path):
    # plain lines have no timestamp: no chart, and samples say they have no time (it once failed the run)
    src = tmp_path / "app.log"
    src.write_text("ERROR payment capture failed: card_declined\nWARN disk 91% full on /var\n"
                   "ERROR payment capture failed: card_declined\n")
    page = tmp_path / "text.html"
    result = CliRunner().invoke(main, ["run", "-i", str(src), "--state", str(tmp_path / "t.db"), "--html", str(page),
                                       "--dry-run", "-q"])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert "payment capture failed" in html and '<td class="mono">—</td>' in html
