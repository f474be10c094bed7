"""The rules file's schema (pydantic v2, strict): a wrong type is an error, never coerced
(``labels = "payments"`` is not eight labels, ``ignore = "false"`` does not ignore), unknown
keys are errors, and a rule must say what it matches."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..model import Severity

Priority = Literal["P0", "P1", "P2", "P3"]
Status = Literal["new", "ongoing", "regression"]


def _duration(value: str) -> timedelta:
    from .rules import parse_duration

    return parse_duration(value)


def _pattern(value: str) -> re.Pattern[str]:
    try:
        return re.compile(value, re.I)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, arbitrary_types_allowed=True)


class Match(_Strict):
    severity: Severity | None = None
    exception: re.Pattern[str] | None = None
    message: re.Pattern[str] | None = None
    component: re.Pattern[str] | None = None
    service: re.Pattern[str] | None = None
    frame: re.Pattern[str] | None = None
    status: tuple[Status, ...] = ()
    min_count: Annotated[int, Field(ge=1)] | None = None
    min_rate_per_hour: Annotated[float, Field(ge=0)] | None = None
    min_instances: Annotated[int, Field(ge=1)] | None = None
    startup_failure: bool | None = None
    consequence: bool | None = None
    has_trace: bool | None = None
    http_5xx: bool | None = None

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str) or Severity.parse(value) is None:
            raise ValueError(f"a severity name ({', '.join(s.name for s in Severity)})")
        return Severity.parse(value)

    @field_validator("exception", "message", "component", "service", "frame", mode="before")
    @classmethod
    def _regex(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("a regular expression, as a string")
        return _pattern(value)

    @field_validator("status", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _something(self) -> Match:
        if not any(v not in (None, ()) for v in self.__dict__.values()):
            raise ValueError("an empty match would match every problem: give at least one condition")
        return self


class RuleEntry(_Strict):
    name: str | None = None
    why: str = ""
    priority: Priority | None = None
    category: str | None = None
    labels: tuple[str, ...] = ()
    ignore: bool = False
    unmute: bool = False  # reopen a muted issue when this rule matches (say how much worse in the match)
    match: Match  # a rule without one would match everything (and demote the built-in P0s)

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        if isinstance(value, list):
            return tuple(value)
        if isinstance(value, str):
            raise ValueError(f'a list of labels, like labels = ["{value}"]')
        return value

    @model_validator(mode="after")
    def _does_something(self) -> RuleEntry:
        if not (self.priority or self.category or self.labels or self.ignore or self.unmute):
            raise ValueError("a rule must set priority, category, labels, ignore or unmute")
        return self


class Settings(_Strict):
    min_count: Annotated[int, Field(ge=1)] = 1
    max_new_issues: Annotated[int, Field(ge=0)] | None = None
    quiet_period: timedelta = timedelta(days=7)
    resolve_after_runs: Annotated[int, Field(ge=1)] = 3
    overlap: timedelta = timedelta(minutes=10)
    secret_patterns: tuple[re.Pattern[str], ...] = ()
    mute_label: Annotated[str, Field(min_length=1)] = "log-gardener:ignore"

    @field_validator("quiet_period", "overlap", mode="before")
    @classmethod
    def _durations(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("a duration like 30m, 12h, 7d")
        return _duration(value)

    @field_validator("secret_patterns", mode="before")
    @classmethod
    def _patterns(cls, value: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("a list of regular expressions")
        return tuple(re.compile(v) if _pattern(v) else None for v in value)


class ConfigFile(_Strict):
    settings: Settings = Settings()
    rules: tuple[RuleEntry, ...] = ()

    @field_validator("rules", mode="before")
    @classmethod
    def _rules(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


def describe_errors(exc: ValidationError, data: dict[str, Any]) -> str:
    """All the errors on one line: where (the rule by number and name, the key) and what is wrong."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        where = []
        if loc[:1] == ["rules"] and len(loc) > 1 and isinstance(loc[1], int):
            n = loc[1]
            rules = data.get("rules")
            name = rules[n].get("name") if isinstance(rules, list) and n < len(rules) and isinstance(
                rules[n], dict) else None
            where.append(f"rule {n + 1}" + (f" ({name})" if name else ""))
            loc = loc[2:]
        elif loc[:1] == ["settings"]:
            where.append("settings")
            loc = loc[1:]
        key = ".".join(str(x) for x in loc if not isinstance(x, int))
        if key:
            where.append(f"key '{key}'")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing" and key.endswith("match"):
            msg = "a rule needs a [rules.match] table: without one it would match every problem"
        parts.append(f"{' '.join(where) or 'file'}: {msg}")
    return "; ".join(parts)
