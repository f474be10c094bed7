"""Priority rules: defaults in code, more in a TOML file, one matcher for both.

A rule matches a problem on any of: severity, exception type, message, component,
service, status (new / ongoing / regression), volume, rate, instances affected,
startup failure, being a consequence, a stack trace, 5xx answers. It can set the
priority, the category, add labels, or ignore the problem. Configured rules are
checked first, in file order; the first that sets a priority decides it, labels add
up, and the built-in rules decide what no configured rule did. Every rule that fired
is shown with the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..model import Severity

PRIORITIES = ("P0", "P1", "P2", "P3")
STATUSES = ("new", "ongoing", "regression")


class ConfigError(Exception):
    """The configuration file is not usable; the message says where and why."""


@dataclass(slots=True)
class Facts:
    """What rules can look at, for one problem."""

    severity: Severity
    exception_types: set[str]
    texts: list[str]
    components: list[str]
    services: list[str]
    frames_text: list[str]
    count: int
    rate_per_hour: float
    instances: int
    has_trace: bool
    http_5xx: bool
    status: str | None = None  # unknown before the tracker's history is read
    consequence: bool | None = None  # unknown before causes are linked
    startup_failure: bool | None = None  # set by the built-in rules' category


@dataclass(slots=True)
class Rule:
    name: str
    why: str = ""
    # what it does
    priority: str | None = None
    category: str | None = None
    labels: tuple[str, ...] = ()
    ignore: bool = False
    unmute: bool = False  # a muted issue (closed as not planned, or labelled) is reopened when this rule matches
    # what it matches (all given conditions must hold)
    min_severity: Severity | None = None
    exception: re.Pattern[str] | None = None
    message: re.Pattern[str] | None = None
    component: re.Pattern[str] | None = None
    service: re.Pattern[str] | None = None
    frame: re.Pattern[str] | None = None
    status: tuple[str, ...] = ()
    min_count: int | None = None
    min_rate_per_hour: float | None = None
    min_instances: int | None = None
    startup_failure: bool | None = None
    consequence: bool | None = None
    has_trace: bool | None = None
    http_5xx: bool | None = None
    source: str = "built-in"

    def matches(self, f: Facts) -> bool:
        if self.min_severity is not None and f.severity < self.min_severity:
            return False
        if self.exception is not None and not any(self.exception.search(t) for t in f.exception_types):
            return False
        if self.message is not None and not any(self.message.search(t) for t in f.texts):
            return False
        if self.component is not None and not any(self.component.search(c) for c in f.components):
            return False
        if self.service is not None and not any(self.service.search(s) for s in f.services):
            return False
        if self.frame is not None and not any(self.frame.search(t) for t in f.frames_text):
            return False
        if self.status and f.status not in self.status:
            return False
        if self.min_count is not None and f.count < self.min_count:
            return False
        if self.min_rate_per_hour is not None and f.rate_per_hour < self.min_rate_per_hour:
            return False
        if self.min_instances is not None and f.instances < self.min_instances:
            return False
        for wanted, actual in ((self.startup_failure, f.startup_failure), (self.consequence, f.consequence),
                               (self.has_trace, f.has_trace), (self.http_5xx, f.http_5xx)):
            if wanted is not None and wanted != actual:
                return False
        return True

    def describe(self) -> str:
        does = []
        if self.priority:
            does.append(f"-> {self.priority}")
        if self.ignore:
            does.append("-> ignore")
        if self.unmute:
            does.append("-> unmute")
        if self.labels:
            does.append("labels " + ", ".join(self.labels))
        where = "" if self.source == "built-in" else f" ({self.source})"
        return f"rule {self.name}{where} {' '.join(does)}: {self.why}".rstrip(": ")


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("startup-import-error", "the service cannot start: a module or name cannot be imported",
         priority="P0", category="startup-failure", min_severity=Severity.ERROR,
         exception=re.compile(r"^(ModuleNotFoundError|ImportError|SyntaxError)$")),
    Rule("worker-boot-failure", "the service cannot start: workers fail to boot or the app stops at start-up",
         priority="P0", category="startup-failure", min_severity=Severity.ERROR,
         message=_re(r"worker failed to boot|application startup failed|startup failure|failed to start|"
                     r"exception in worker process")),
    Rule("startup-trace", "the traceback runs through the server's worker start-up (the app fails to load)",
         priority="P0", category="startup-failure", min_severity=Severity.ERROR,
         frame=re.compile(r"spawn_worker|load_wsgi|import_app|load_wsgiapp")),
    Rule("revision-cannot-start", "Cloud Run cannot start the revision's instances: it cannot serve",
         priority="P0", category="startup-failure", min_severity=Severity.WARNING,
         message=_re(r"STARTUP (?:TCP|HTTP|GRPC) probe failed|the instance was not started|"
                     r"Ready condition status changed to False|failed to start and listen on the port|"
                     r"HealthCheckContainerError")),
    Rule("container-exit", "containers exit: the service restarts or stays down",
         priority="P1", category="container-crash", min_severity=Severity.WARNING,
         message=_re(r"container called exit\(|memory limit .* exceeded|container\b.*\b(?:crashed|terminated)")),
    Rule("request-5xx", "requests fail with 5xx answers: users see errors",
         priority="P1", category="request-failure", http_5xx=True),
    Rule("unhandled-exception", "an exception with a stack trace at ERROR or above",
         priority="P1", category="exception", has_trace=True, min_severity=Severity.ERROR),
    Rule("critical", "the application logged it as CRITICAL or worse", priority="P1", category="critical",
         min_severity=Severity.CRITICAL),
    Rule("access-denied", "a permission or credential is missing: it fails every time until someone fixes it",
         priority="P1", category="permission", min_severity=Severity.ERROR,
         message=_re(r"permission\b[^\n]{0,80}\bdenied|PERMISSION_DENIED|access (?:is )?denied|"
                     r"does not have (?:the )?(?:required )?permission|insufficient permission|"
                     r"not authori[sz]ed to|\b403 Forbidden\b")),
    Rule("optional-dependency-missing", "an optional integration is missing: nothing fails, insight is lost",
         priority="P3", category="observability", min_severity=Severity.WARNING,
         message=_re(r"\bnot available\b|\bnot installed\b|install \S+ to enable|optional")),
    Rule("config-warning", "configuration is wrong or was corrected at run time",
         priority="P2", category="configuration", min_severity=Severity.WARNING,
         message=_re(r"sanitiz|whitespace|misconfigur|mismatch|invalid (config|setting|value)|deprecat|"
                     r"not (set|configured)|missing (env|config|setting)")),
    Rule("error", "an error without a stack trace", priority="P2", category="error", min_severity=Severity.ERROR),
    Rule("warning", "a warning", priority="P3", category="warning", min_severity=Severity.WARNING),
    Rule("other", "below WARNING", priority="P3", category="other"),
)


@dataclass(slots=True)
class Config:
    rules: tuple[Rule, ...] = ()
    min_count: int = 1
    max_new_issues: int | None = None
    quiet_period: timedelta = timedelta(days=7)
    resolve_after_runs: int = 3
    overlap: timedelta = timedelta(minutes=10)  # --since last starts this long before the last run ended
    secret_patterns: tuple[re.Pattern[str], ...] = ()
    mute_label: str = "log-gardener:ignore"  # an issue with this label is muted, like one closed as not planned
    source: str | None = None


_SETTINGS = {"min_count", "max_new_issues", "quiet_period", "resolve_after_runs", "overlap", "secret_patterns",
             "mute_label"}
def find_config(explicit: str | None, cwd: Path | None = None) -> tuple[dict[str, Any], str] | None:
    """The configuration table and where it came from: --config, log-gardener.toml, or pyproject.toml."""
    cwd = cwd or Path.cwd()
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("log-gardener", {})
        return data, str(path)
    own = cwd / "log-gardener.toml"
    if own.is_file():
        return _read(own), str(own)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("log-gardener")
        if table is not None:
            return table, f"{pyproject} [tool.log-gardener]"
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None


def load_config(explicit: str | None = None, cwd: Path | None = None) -> Config:
    found = find_config(explicit, cwd)
    if found is None:
        return Config()
    data, source = found
    return parse_config(data, source)


def parse_config(data: dict[str, Any], source: str) -> Config:
    """The rules file, validated (``schema``): every error names the file, the rule and the key."""
    from pydantic import ValidationError

    from .schema import ConfigFile, describe_errors

    table = {k: v for k, v in data.items() if k not in _SETTINGS}
    moved = {k: v for k, v in data.items() if k in _SETTINGS}
    if moved:  # settings may also sit at the top level
        table["settings"] = {**moved, **(data.get("settings") or {})} if isinstance(data.get("settings"), dict) \
            else moved
    try:
        parsed = ConfigFile.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {describe_errors(exc, table)}") from None
    settings = parsed.settings
    cfg = Config(source=source, min_count=settings.min_count, max_new_issues=settings.max_new_issues,
                 quiet_period=settings.quiet_period, resolve_after_runs=settings.resolve_after_runs,
                 overlap=settings.overlap, secret_patterns=tuple(settings.secret_patterns),
                 mute_label=settings.mute_label)
    cfg.rules = tuple(_rule(r, n, source) for n, r in enumerate(parsed.rules, 1))
    return cfg


def _rule(raw: Any, n: int, source: str) -> Rule:
    m = raw.match
    return Rule(name=raw.name or f"{source} rule {n}", why=raw.why, source=source, priority=raw.priority,
                category=raw.category, labels=tuple(raw.labels), ignore=raw.ignore, unmute=raw.unmute,
                min_severity=m.severity,
                exception=m.exception, message=m.message, component=m.component, service=m.service, frame=m.frame,
                status=tuple(m.status), min_count=m.min_count, min_rate_per_hour=m.min_rate_per_hour,
                min_instances=m.min_instances, startup_failure=m.startup_failure, consequence=m.consequence,
                has_trace=m.has_trace, http_5xx=m.http_5xx)


def parse_duration(text: str) -> timedelta:
    m = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text)
    if not m:
        raise ValueError(f"'{text}' is not a duration like 30m, 12h, 7d")
    n, unit = int(m.group(1)), m.group(2)
    try:
        return timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit]: n})
    except OverflowError:
        raise ValueError(f"'{text}' is longer than the calendar allows") from None
