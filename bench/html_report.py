"""The HTML report's weight and speed: page size and render time, for the demo and for a 1M-entry run.

For each input: a dry run writes the JSON result and the page; then the page is rendered again from
the JSON alone (``render_html``, best of 3) and loaded in Debian's Chromium, headless (Playwright),
from its file: time to the load event and to the first frame drawn after it, as the browser measures
them. Sizes are compared with the JSON result of the same run (the same facts, for machines) and
the render time with the run's own time.

    python bench/html_report.py                    # the demo (15k entries) and 65 copies of it (~1M)
    python bench/html_report.py --copies 0         # the demo only
    python bench/html_report.py --shots docs/ --also FILE   # PNG screenshots of the demo's page and FILE's
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def run_once(inputs: list[str], work: Path, name: str) -> dict:
    from log_gardener.garden.local import LocalTracker
    from log_gardener.pipeline import RunOptions, run
    from log_gardener.report.html import render_html

    page, out = work / f"{name}.html", work / f"{name}.json"
    tracker = LocalTracker(work / f"{name}.db")
    t0 = time.perf_counter()
    result = run(RunOptions(inputs=inputs, dry_run=True, json_path=str(out), html_path=str(page),
                            worklog=str(work / f"{name}.md")), tracker, "local")
    run_s = time.perf_counter() - t0
    tracker.shutdown()
    doc = orjson.loads(out.read_bytes())
    renders = []
    for _ in range(3):
        t0 = time.perf_counter()
        render_html(doc)
        renders.append(time.perf_counter() - t0)
    return {"name": name, "entries": result.totals.read, "selected": result.totals.selected,
            "problems": len(doc["problems"]), "buckets": (doc.get("charts") or {}).get("buckets", 0),
            "bucket": (doc.get("charts") or {}).get("bucket", "-"), "run_s": run_s, "render_s": min(renders),
            "html_bytes": page.stat().st_size, "json_bytes": out.stat().st_size, "page": page}


def browse(rows: list[dict], shots: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for row in rows:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.goto(row["page"].as_uri())
            page.wait_for_load_state("load")
            timing = page.evaluate("""async () => {
                const nav = performance.getEntriesByType('navigation')[0];
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                return {load: nav.loadEventEnd, painted: performance.now()};
            }""")
            row["load_ms"], row["paint_ms"], row["errors"] = timing["load"], timing["painted"], len(errors)
            if shots is not None and row.get("shot"):
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / row["shot"]))
                row["shot_path"] = shots / row["shot"]
            page.close()
        browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=65, help="copies of the demo for the large run (0: none)")
    ap.add_argument("--shots", type=Path, help="write PNG screenshots here")
    ap.add_argument("--also", type=Path, help="another input to render (and screenshot with --shots)")
    args = ap.parse_args()
    sample = resources.files("log_gardener.demo") / "cloudrun-sample.jsonl.gz"
    rows = []
    with tempfile.TemporaryDirectory() as tmp, resources.as_file(sample) as demo:
        work = Path(tmp)
        rows.append({**run_once([str(demo)], work, "demo"), "shot": "report-demo.png"})
        if args.also:
            rows.append({**run_once([str(args.also)], work, "also"), "shot": f"report-{args.also.stem[-6:]}.png"})
        if args.copies:
            from pipeline import build

            big = work / "big.jsonl.gz"
            build(args.copies, big)
            rows.append(run_once([str(big)], work, f"demo x{args.copies}"))
        browse(rows, args.shots)
        print(f"{'input':<12} {'entries':>10} {'problems':>8} {'bars':>14} {'run s':>7} {'render s':>8} "
              f"{'page KB':>8} {'JSON KB':>8} {'page/JSON':>9} {'load ms':>8} {'paint ms':>8} {'errors':>6}")
        for r in rows:
            print(f"{r['name']:<12} {r['entries']:>10,} {r['problems']:>8} {r['buckets']:>5} per {r['bucket']:<5} "
                  f"{r['run_s']:>7.2f} {r['render_s']:>8.3f} {r['html_bytes'] / 1024:>8.0f} "
                  f"{r['json_bytes'] / 1024:>8.0f} {r['html_bytes'] / r['json_bytes']:>9.2f} "
                  f"{r['load_ms']:>8.0f} {r['paint_ms']:>8.0f} {r['errors']:>6}")
            if r.get("shot_path"):
                print(f"  screenshot: {r['shot_path']}")
        print("render s: render_html from the JSON alone (best of 3); run s: the whole dry run, page included; "
              "load: Chromium's load event, paint: after the next frame was drawn (ms from navigation, file://)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
