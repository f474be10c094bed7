"""The Python API: the README's example runs as written and prints what the README says; the API gives
what the CLI gives; errors are one exception with the CLI's message; the stable surface is `__all__`."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import log_gardener
from log_gardener.cli import main

from factory import crash_loop, write_jsonl

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> tuple[str, str]:
    text = README.read_text()
    m = re.search(r"<!-- api-example -->\n```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", text, re.S)
    assert m, "the README's API example and its output"
    return m.group(1), m.group(2)


def test_the_readme_example_runs_and_prints_what_the_readme_says(tmp_path, monkeypatch):
    code, printed = readme_example()
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    assert out.getvalue() == printed
    assert not (tmp_path / "garden.db").exists()  # a dry run keeps no state


def test_the_api_gives_what_the_cli_gives(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", crash_loop(3))
    result = log_gardener.run([src], state=tmp_path / "api.db", worklog=tmp_path / "api.md")
    cli = CliRunner().invoke(main, ["run", "-i", str(src), "--state", str(tmp_path / "cli.db"), "--json",
                                    str(tmp_path / "cli.json"), "--worklog", str(tmp_path / "cli.md"), "-q"])
    assert cli.exit_code == 0, cli.output
    doc = json.loads((tmp_path / "cli.json").read_text())
    shape = [(p["id"], p["priority"], p["count"], p["issue"]["action"]) for p in doc["problems"]]
    assert [(p["id"], p["priority"], p["count"], p["issue"]["action"]) for p in result.problems] == shape
    assert result.totals == doc["totals"] and result.worklog == tmp_path / "api.md" and result.exit_code == 0
    again = log_gardener.run([src], state=tmp_path / "api.db", worklog=tmp_path / "api.md", fail_on=["P1"])
    assert {p["issue"]["action"] for p in again.problems} == {"unchanged"}  # safe to re-run, as the CLI
    assert again.exit_code == 3 and again.failing


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"inputs": ["/nonexistent/x.json"]}, "no such file or directory"),
    ({"inputs": [], "project": None}, "give either --input"),
    ({"inputs": ["README.md"], "since": "banana"}, "--since"),
])
def test_what_the_user_must_fix_is_one_error(kwargs, message):
    with pytest.raises(log_gardener.Error, match=re.escape(message)):
        log_gardener.run(**kwargs)


def test_the_stable_surface_and_a_light_import():
    assert sorted(log_gardener.__all__) == ["Error", "Result", "__version__", "run"]
    with pytest.raises(AttributeError):
        log_gardener.pipeline_internals  # noqa: B018 - not part of the surface
    # importing the package loads neither the CLI nor the pipeline: it stays instant
    probe = ("import sys, log_gardener; "
             "print(any(m.startswith(('click', 'log_gardener.pipeline')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "False"
