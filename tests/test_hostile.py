"""Hostile input: no regex of the package backtracks catastrophically, grouping stays
near-linear when every message is distinct."""

import importlib
import pkgutil
import random
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


def test_past_the_problem_limit_the_rarest_fold_into_one_tail_problem_per_severity():
    from dataclasses import replace

    from log_gardener.analyse.analysis import title_of
    from log_gardener.limits import LIMITS

    rng = random.Random(7)
    entries = []
    for i in range(60):  # 60 distinct messages of free text (user input, model output), some repeated
        text = " ".join("".join(rng.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(3 + i % 5))
        entries += [entry(text, i * 10 + r, Severity.ERROR if i % 2 else Severity.WARNING, inst=1) for r in
                    range(1 + (i % 3 == 0))]
    state = group(entries)
    everything = finalize(state)
    folded = finalize(state, replace(LIMITS, max_problems=10))
    assert len(everything) > 12
    assert len(folded) == 12  # ten kept apart, one tail per severity
    assert [p.id for p in folded[:10]] == [p.id for p in everything[:10]]  # the most severe, then most frequent
    tails = folded[10:]
    assert {p.severity for p in tails} == {Severity.ERROR, Severity.WARNING}
    assert sum(p.count for p in folded) == sum(p.count for p in everything) == len(entries)
    for tail in tails:
        assert title_of(tail).startswith("Long tail:")
        assert "folded" in tail.reasons[0].words
        # the timeline's signatures still map to the tail problem
        assert set(tail.all_ids) >= {m.sig.id for p in everything[10:] if p.severity == tail.severity
                                     for m in p.members}
    assert [p.id for p in finalize(group(list(reversed(entries))), replace(LIMITS, max_problems=10))] == [
        p.id for p in folded]  # which problems fold does not depend on arrival order


def _summary(state):
    problems = finalize(state)
    return ([(p.id, p.count, p.first, p.last) for p in problems], sorted(state.timeline), state.attached,
            dict(state.burst_counts), dict(state.burst_pairs), sorted(state.assignments))


def _grouped_holding(entries, budget: int):
    """The state of ``entries`` grouped with ``Limits.max_held = budget``, and the most entries held at once."""
    from dataclasses import replace

    from log_gardener.group.grouping import GroupBuilder
    from log_gardener.limits import LIMITS

    builder = GroupBuilder(limits=replace(LIMITS, max_held=budget))
    held = 0
    for e in entries:
        builder.add(e)
        held = max(held, sum(len(b) for b in builder._buffers.values()))
    return builder.finish(), held


def test_grouping_as_entries_stream_holds_a_stretch_and_gives_the_one_batch_result():
    from factory import crash

    # a crash (a chained traceback written as several entries within microseconds) every 30 s on two
    # instances, and a warning every second between them: 2 hours
    entries = []
    for k in range(240):
        entries += crash(1 + k % 2, 30.0 * k)
    entries += [entry(f"[WARNING] slow response {i}", i + 0.5, Severity.WARNING, inst=1 + i % 2)
                for i in range(7200)]
    entries.sort(key=lambda e: e.timestamp)
    batch = _summary(group(entries))  # the default budget holds this input whole

    for order in (entries, list(reversed(entries))):  # a sink file (forward), gcloud (newest first)
        state, held = _grouped_holding(order, 64)
        assert state.late == 0
        assert held < 1000 < len(entries)  # a stretch of time is held, not the window
        assert _summary(state) == batch


def test_a_stream_in_no_time_order_is_held_within_the_budget_and_every_entry_counted():
    rng = random.Random(5)
    times = [rng.uniform(0, 36_000) for _ in range(3000)]  # ten hours, shuffled: nothing is ever settled
    entries = [entry(f"[WARNING] cache miss for shard {i % 9}", t, Severity.WARNING) for i, t in enumerate(times)]
    state, held = _grouped_holding(entries, 256)
    assert held <= 256  # the older half goes when the budget is reached
    assert state.late > 0  # and what arrives in it later is counted as late
    assert sum(p.count for p in finalize(state)) == len(entries)


def test_past_the_signature_budget_messages_seen_once_fold_while_grouping():
    from dataclasses import replace

    from log_gardener.group.grouping import GroupBuilder
    from log_gardener.group.signature import KIND_TAIL
    from log_gardener.limits import LIMITS

    rng = random.Random(3)
    noise = [" ".join("".join(rng.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(5)) for _ in range(900)]
    entries = [entry(text, float(i), Severity.ERROR, inst=1) for i, text in enumerate(noise)]
    entries += [entry("payment provider timed out after retries", 0.5 + 20 * k, Severity.ERROR, inst=1)
                for k in range(40)]
    entries += [entry(noise[3], 2000.0, Severity.ERROR, inst=1)]  # a folded message seen again later
    entries.sort(key=lambda e: e.timestamp)
    builder = GroupBuilder(limits=replace(LIMITS, max_signatures=100))
    for e in entries:
        builder.add(e)
    state = builder.finish()
    assert len(state.stats) <= 101
    assert sum(st.count for st in state.stats.values()) == len(entries)
    problems = finalize(state)
    kept = [p for p in problems if p.anchor.kind != KIND_TAIL]
    assert any("payment provider timed out" in p.anchor.key and p.count == 40 for p in kept)
    tail = next(p for p in problems if p.anchor.kind == KIND_TAIL)
    assert tail.count >= 800 and len(tail.all_ids) >= 800  # the timeline's ids still lead to it
    assert sum(p.count for p in problems) == len(entries)
