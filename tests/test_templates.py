"""Template mining: the cases Drain3's users complain about, bad input, bounds, mergeability."""
import io
import random
from collections import Counter

import orjson
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from log_gardener.cli import main
from log_gardener.group.masking import CAPPED, mask_value, premask
from log_gardener.group.templates import TemplateMiner, cluster, mine

USERS = ["bob", "alice", "carol", "dave", "erin", "frank", "gus"]


def templates_of(messages):
    return [t for _, t in mine(messages)]


def test_a_key_word_difference_is_two_templates():
    out = templates_of(["VM Started", "VM Paused", "VM Started", "VM Stopped"])
    assert out == ["VM Started", "VM Paused", "VM Started", "VM Stopped"]


def test_word_values_in_a_slot_become_a_variable():
    out = templates_of([f"Invalid user {u} from 10.0.0.{i}" for i, u in enumerate(USERS)])
    assert set(out) == {"Invalid user <*> from <*>"}


def test_variable_length_values_join_their_template():
    msgs = [f"Invalid user {u} from 10.0.0.{i}" for i, u in enumerate(USERS)] + ["Invalid user a b from 10.0.0.99"]
    assert set(templates_of(msgs)) == {"Invalid user <*> from <*>"}


def test_a_longer_form_with_its_own_variable_stays_apart():
    msgs = [f"Failed password for {u} from 1.2.3.{i} port 22 ssh2" for i, u in enumerate(USERS)]
    msgs += [f"Failed password for invalid user {u} from 1.2.3.{i} port 22 ssh2" for i, u in enumerate(USERS)]
    assert set(templates_of(msgs)) == {"Failed password for <*> from <*> port <*> ssh2",
                                       "Failed password for invalid user <*> from <*> port <*> ssh2"}


def test_single_token_lines_are_their_own_templates():
    assert templates_of(["running", "blocked", "active", "idle", "done", "failed"]) == \
        ["running", "blocked", "active", "idle", "done", "failed"]


def test_multi_token_variables_dates_and_quantities():
    assert premask("connection from 24.54.76.216 (24-54-76-216.x.net) at Fri Jun 17 07:07:00 2005") == \
        "connection from <*> (<*>) at <*>"
    assert premask("stored as bytes in memory (estimated size 16.0 B, free 317.1 KB)") == \
        "stored as bytes in memory (estimated size <*>, free <*>)"
    assert premask("BLOCK* ask 10.0.0.1:50010 to delete blk_-1608999687 blk_2470 blk_553") == \
        "BLOCK* ask <*> to delete <*>"  # a list of ids is one variable
    assert premask("callback https://a.example/x?y=1 failed") == "callback <*> failed"
    assert premask("ssh2 on eth0 is up") == "ssh2 on eth0 is up"  # one digit in a word is part of its name


def test_exception_values_mask_the_data_they_quote():
    assert mask_value("invalid literal for int() with base 10: 'abc'") == \
        "invalid literal for int() with base <*>: '<*>'"
    assert mask_value('relation "orders" does not exist') == 'relation "<*>" does not exist'
    assert mask_value("open /srv/data/in.csv: no such file") == "open <*>: no such file"
    assert mask_value("could not connect to db-1.prod.internal:5432") == "could not connect to <*>"
    assert mask_value("lookup api.example.com: no such host") == "lookup <*>: no such host"
    assert mask_value("mail to bob@example.com bounced") == "mail to <*> bounced"
    # code names and wording stay: they say which error it is
    for kept in ("No enum constant com.shop.Status.ACTIVE", "Java heap space", "failed in store.py",
                 "don't retry", "x/y ratio is off"):
        assert mask_value(kept) == kept


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_masking_an_exception_value_is_idempotent(value):
    once = mask_value(value)
    assert mask_value(once) == once


def test_key_value_slots_keep_their_keys():
    msgs = [f"setVisibility vis={v} mask=ffffffff" for v in range(3)] + ["setVisibility vis=7 mask=<*>"]
    assert set(templates_of(msgs)) == {"setVisibility vis=<*> mask=<*>"}
    other = ["getDataEnabled: subId=1 phoneId=0", "getDataEnabled: subId=1 retVal=0"]
    assert len(set(templates_of(other))) == 2  # different keys are different messages


def test_reasons_say_why_a_word_is_a_variable():
    why: dict[str, list[str]] = {}
    msgs = [f"session closed for user {u}" for u in ("cyrus", "news", "test")]
    msgs += [f"session opened for user {u} by (uid=0)" for u in ("cyrus", "news", "test")]
    msgs += [f"Invalid user {u} from 10.0.0.{i}" for i, u in enumerate(USERS)]
    cluster(Counter(premask(m) for m in msgs), why)
    assert any("distinct values" in r for r in why["Invalid user <*> from <*>"])
    assert why["session closed for user <*>"]


def test_bad_input_is_grouped_never_dropped():
    huge = " ".join(f"w{i}x" for i in range(50_000))
    msgs = ["", "\x00\x01 control \x7f chars", "caf\ufffd bad utf-8", huge,
            "Traceback (most recent call last):\n  File"]
    out = mine(msgs)
    assert len(out) == len(msgs)
    assert out[0][1] == ""
    assert out[3][1].endswith(CAPPED) and len(out[3][1].split()) <= 210
    assert out[4][1] == "Traceback (most recent call last):"


def test_rare_templates_are_never_evicted_and_memory_is_bounded():
    rng = random.Random(3)
    miner = TemplateMiner(max_distinct=300, track=True)
    keys = []
    for i in range(5000):
        if i == 2500:
            keys.append(miner.add("disk /dev/sda1 failed SMART check"))
        word = "".join(rng.choice("abcdefghij") for _ in range(6))
        region = rng.choice(["eu1", "us2", "ap3", "sa", "me", "af"])
        keys.append(miner.add(f"cache miss for key {word} in region {region}"))
        assert len(miner.counts) <= 300
    table = miner.finalize()
    assert miner.folds, "the bound was reached, so the counts were folded"
    assert table[keys[2500]][1] == "disk /dev/sda1 failed SMART check"
    assert {table[k][1] for k in keys} == {"disk /dev/sda1 failed SMART check", "cache miss for key <*> in region <*>"}


def test_add_many_gives_the_keys_and_counts_of_add_one_by_one():
    rng = random.Random(5)
    msgs = ["cache miss for key " + "".join(rng.choice("abcdefgh") for _ in range(5)) + f" took {rng.randrange(900)} ms"
            for _ in range(3000)]
    msgs += ["", "no digits here", "no digits here"]
    single, bulk = TemplateMiner(max_distinct=200, track=True, memo_size=50), TemplateMiner(
        max_distinct=200, track=True, memo_size=50)
    keys = [single.add(m) for m in msgs]
    assert bulk.add_many(iter(msgs), batch=128) == keys
    assert bulk.folds and len(bulk.counts) <= 200 + 128  # folded within one batch of the bound
    one, many = single.finalize(), bulk.finalize()
    assert [one[k] for k in keys] == [many[k] for k in keys]


words = st.sampled_from(["open", "close", "read", "write", "user", "from", "port", "disk", "VM", "Started"])
values = st.one_of(st.integers(0, 10_000).map(str), st.sampled_from(USERS), st.sampled_from(["a.b.c", "/tmp/x"]))
messages = st.lists(st.lists(st.one_of(words, values), min_size=1, max_size=6).map(" ".join), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(messages, st.randoms(use_true_random=False))
def test_two_shards_merge_into_the_one_pass_result(msgs, rnd):
    one = TemplateMiner()
    for m in msgs:
        one.add(m)
    a, b = TemplateMiner(), TemplateMiner()
    for m in msgs:
        (a if rnd.random() < 0.5 else b).add(m)
    assert a.merge(b).finalize() == one.finalize()
    assert b.merge(a).finalize() == one.finalize()


def test_templates_command_writes_one_json_line_per_input_line(tmp_path):
    f1 = tmp_path / "a.log"
    f1.write_bytes(b"VM Started\r\nVM Paused\n\n")
    f2 = tmp_path / "b.log"
    f2.write_bytes("".join(f"Invalid user {u} from 10.0.0.{i}\n" for i, u in enumerate(USERS)).encode() + b"\xff\n")
    result = CliRunner().invoke(main, ["templates", "-i", str(f1), "-i", str(f2)])
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == list(range(1, 12))
    assert [r["template"] for r in rows[:3]] == ["VM Started", "VM Paused", ""]
    assert {r["template"] for r in rows[3:10]} == {"Invalid user <*> from <*>"}
    assert len({r["signature"] for r in rows[3:10]}) == 1
    assert rows[10]["template"] == "\ufffd"


def test_templates_command_missing_file_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["templates", "-i", str(tmp_path / "nope.log")])
    assert result.exit_code == 2 and "nope.log" in result.output


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="ab é\r\t", max_size=12), max_size=12), st.integers(1, 9), st.booleans())
def test_the_command_reads_lines_in_blocks_as_it_would_line_by_line(lines, chunk, final_newline):
    from log_gardener.cli import _text_lines

    data = "\n".join(lines).encode() + (b"\n" if final_newline and lines else b"")
    expected = [raw.decode("utf-8", errors="replace").removesuffix("\r") for raw in data.split(b"\n")]
    if data.endswith(b"\n") or not data:
        expected = expected[:-1]
    assert list(_text_lines(io.BytesIO(data), chunk)) == expected
