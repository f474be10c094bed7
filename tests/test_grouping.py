import random

from hypothesis import given, settings
from hypothesis import strategies as st

from log_gardener.group.grouping import finalize, group
from log_gardener.group.masking import premask
from log_gardener.group.signature import template_signature
from log_gardener.model import Severity

from factory import MISSING, crash, crash_loop, entry


def problems_of(entries):
    state = group(entries)
    return state, finalize(state)


def by_text(problems, needle):
    hits = [p for p in problems if any(needle in s.key for s in (m.sig for m in p.members))]
    assert len(hits) == 1, f"{needle!r} is in {len(hits)} problems"
    return hits[0]


def selected(entries):
    return [e for e in entries if e.severity >= Severity.WARNING]


def test_crash_loop_statements_of_one_error_are_one_problem():
    state, problems = problems_of(selected(crash_loop(6)))
    p = by_text(problems, "No module named")
    texts = {m.sig.kind for m in p.members}
    # the CRITICAL line (template), the details line (structured error) and the chained traceback
    assert texts == {"template", "error", "trace"}
    # 6 crashes x (critical + details + header + 3 tracebacks + 2 connectors)
    assert p.count == 6 * 8
    assert state.attached == 6 * 5  # per crash: header, 2 connectors and 2 later tracebacks joined
    assert any("quotes the exception value" in r for r in p.reasons)
    assert any("same exception ModuleNotFoundError" in r for r in p.reasons)


def test_connectors_never_form_their_own_problem():
    _, problems = problems_of(selected(crash_loop(3)))
    for p in problems:
        assert not any("During handling" in m.sig.key for m in p.members)


def test_master_lines_logged_together_are_one_problem_with_a_reason():
    _, problems = problems_of(selected(crash_loop(4)))
    p = by_text(problems, "Worker failed to boot")
    assert len(p.members) == 3
    assert p.count == 12
    assert all("logged together" in r for r in p.reasons)


def test_warnings_at_every_start_stay_separate():
    _, problems = problems_of(selected(crash_loop(5)))
    sdk = by_text(problems, "Payments SDK")
    assert len(sdk.members) == 1 and sdk.count == 5
    exit_ = by_text(problems, "Container called exit")
    assert exit_.id != sdk.id


def test_ids_are_content_derived_and_order_independent():
    entries = selected(crash_loop(5))
    _, a = problems_of(entries)
    shuffled = entries[:]
    random.Random(7).shuffle(shuffled)
    _, b = problems_of(shuffled)
    assert sorted(p.id for p in a) == sorted(p.id for p in b)
    # a redeploy that moves every line keeps the same ids
    moved = selected([e for k in range(5) for e in crash(k + 1, 30 * k, line_shift=17)])
    _, c = problems_of(moved)
    assert sorted(p.id for p in a) == sorted(p.id for p in c)


def test_shards_by_instance_merge_into_the_one_pass_result():
    entries = selected(crash_loop(8)) + [entry(f"Slow query took {n} ms on table orders", n, inst=n % 3)
                                         for n in range(20)]
    one = finalize(group(entries))
    shard_a = [e for e in entries if int(e.instance[4:8]) % 2 == 0]
    shard_b = [e for e in entries if int(e.instance[4:8]) % 2 == 1]
    merged = finalize(group(shard_a).merge(group(shard_b)))
    assert [(p.id, p.count, p.first, p.last) for p in one] == [(p.id, p.count, p.first, p.last) for p in merged]
    assert [sorted(p.signature_ids) for p in one] == [sorted(p.signature_ids) for p in merged]


def test_different_errors_stay_apart():
    es = [entry("Traceback (most recent call last):\n  File \"/app/a.py\", line 3, in f\n    x()\nKeyError: 'a'",
                t, Severity.ERROR, inst=t) for t in range(3)]
    es += [entry("Traceback (most recent call last):\n  File \"/app/a.py\", line 9, in f\n    y()\nTypeError: bad",
                 100 + t, Severity.ERROR, inst=t) for t in range(3)]
    _, problems = problems_of(es)
    assert len(problems) == 2


def test_masking_keeps_words_and_masks_values():
    assert premask("Container called exit(3).") == "Container called exit(<*>)."
    assert premask("user 4821 took 17 ms") == "user <*> took <*>"  # a quantity is one variable
    assert premask("from 10.1.2.3:443 at 2026-03-01T12:00:00Z") == "from <*> at <*>"
    assert template_signature("VM Started").id != template_signature("VM Paused").id
    assert MISSING.endswith("'shop.services.metrics'")

MESSAGES = ["Slow query took {n} ms on table {w}", "cache miss for key {w}", "VM Started", "VM Paused",
            "user {w} logged in from 10.0.{n}.1", "Payment provider timeout after {n} ms for order {w}"]
WORDS = ["orders", "users", "items", "carts", "bills", "tags", "notes"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(0, 999), st.sampled_from(WORDS),
                          st.integers(0, 3)), min_size=1, max_size=80))
def test_any_sharding_by_instance_merges_into_the_one_pass_result(rows):
    entries = []
    for k, (m, inst, n, w, crash_at) in enumerate(rows):
        entries.append(entry(MESSAGES[m].format(n=n, w=w), t=k * 0.7, inst=inst))
        if crash_at == 0 and k % 7 == 0:
            entries += [e for e in crash(inst, k * 0.7 + 0.1) if e.severity >= Severity.WARNING]
    one = finalize(group(entries))
    left = [e for e in entries if int(e.instance[4:8]) % 2 == 0]
    right = [e for e in entries if int(e.instance[4:8]) % 2 == 1]
    merged = finalize(group(right).merge(group(left)))

    def shape(problems):
        return [(p.id, p.count, p.first, p.last, sorted(p.signature_ids)) for p in problems]

    assert shape(one) == shape(merged)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 12), st.integers(0, 999), st.sampled_from(WORDS)),
                min_size=1, max_size=80), st.randoms(use_true_random=False), st.integers(2, 4))
def test_shuffled_and_sharded_the_same_entries_give_the_same_problems_caps_included(rows, rnd, shards):
    from unittest import mock

    from log_gardener.group import grouping

    entries = [entry(MESSAGES[m].format(n=n, w=w), t=k * 0.7, inst=inst, revision=f"rev-{inst % 4}")
               for k, (m, inst, n, w) in enumerate(rows)]
    entries += [e for k in range(3) for e in crash(k + 20, 50.0 + k) if e.severity >= Severity.WARNING]

    def shape(problems):
        out = []
        for p in problems:
            s = p.stats
            out.append((p.id, p.count, p.first, p.last, sorted(p.signature_ids), s.instances.distinct,
                        s.instances.estimated, dict(s.instances), dict(s.revisions), s.top_components(5),
                        [(t, key) for t, key, _ in s.samples]))
        return out

    with mock.patch.object(grouping, "MAX_TRACKED", 3):  # small caps: which values are kept must not depend on order
        one = shape(finalize(group(entries)))
        shuffled = entries[:]
        rnd.shuffle(shuffled)  # any arrival order; the shards keep each stream whole (as Beam groups by stream)
        parts = [[e for e in shuffled if int(e.instance[4:8]) % shards == i] for i in range(shards)]
        parts = [p for p in parts if p] or [[]]
        state = group(parts[0])
        for part in parts[1:]:
            state = state.merge(group(part))
        merged = shape(finalize(state))
    assert one == merged
