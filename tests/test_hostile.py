"""Hostile input: no regex of the package backtracks catastrophically, grouping stays
near-linear when every message is distinct."""

import importlib
import pkgutil
import re
import time

import log_gardener
from log_gardener.group.grouping import finalize, group
from log_gardener.model import Severity

from factory import entry


def _patterns() -> dict[re.Pattern[str], str]:
    """Every compiled pattern a module of the package holds (in lists, tuples and dicts too)."""
    found: dict[re.Pattern[str], str] = {}

    def collect(value, where: str, depth: int = 0) -> None:
        if isinstance(value, re.Pattern):
            found.setdefault(value, where)
        elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                collect(v, where, depth + 1)
        elif depth < 3 and isinstance(value, dict):
            for v in value.values():
                collect(v, where, depth + 1)

    for info in pkgutil.walk_packages(log_gardener.__path__, "log_gardener."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            collect(value, f"{info.name}.{name}")
    return found


# repeated units that make a backtracking engine try every split: "a-a-a-...", "1.1.1...", "a@a@..."
UNITS = ["a" + c for c in " -_.:/=@'\"\\<[(,;{$*+%#"] + ["1" + c for c in " -_.:/=@"] + [
    "a", "1", "a=1 ", "'a' ", 'x="a ', "a.b ", "[a] ", "at a", 'File "', "Traceback ", "AKIA", "eyJ", "0x"]


def test_no_pattern_backtracks_catastrophically_on_repeated_shapes():
    # linear patterns take milliseconds on 16 KB; the quadratic ones found here took 2-40 s on 32 KB
    patterns = _patterns()
    assert len(patterns) > 100
    slow = []
    for pattern, where in patterns.items():
        for unit in UNITS:
            text = (unit * (16_000 // len(unit) + 1))[:16_000]
            subject = text.encode() if isinstance(pattern.pattern, bytes) else text
            t0 = time.perf_counter()
            pattern.sub(subject[:0], subject)
            took = time.perf_counter() - t0
            if took > 1.0:
                slow.append(f"{where} on {unit!r}: {took:.1f} s")
    assert not slow, slow


def test_quoting_links_are_found_without_comparing_every_pair():
    # many distinct error messages, one of which is quoted whole by another message
    quoted = "payment provider rejected the request with an unexpected response"
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    entries = [entry(f"job {words[i % 8]} {words[(i // 8) % 8]} {words[(i // 64) % 8]} failed at step "
                     f"{words[i % 5]}", i, Severity.ERROR, inst=i % 3) for i in range(3000)]
    entries += [entry(quoted, 5000, Severity.ERROR, inst=7), entry(f"checkout failed: {quoted}", 9000, Severity.ERROR,
                                                                   inst=8)]
    state = group(entries)
    problems = finalize(state)
    holding = [p for p in problems if any(quoted in m.sig.key for m in p.members)]
    assert len(holding) == 1 and len(holding[0].members) == 2  # the quote joined its source
    assert any("quotes an error message" in r.words for r in holding[0].reasons)
