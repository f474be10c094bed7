"""The Loghub benchmark's metric functions (bench/loghub.py) on hand-made partitions."""

import csv
import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "loghub.py"
_spec = importlib.util.spec_from_file_location("bench_loghub", _PATH)
loghub = importlib.util.module_from_spec(_spec)
sys.modules["bench_loghub"] = loghub
_spec.loader.exec_module(loghub)


def test_perfect_partition_scores_one_whatever_the_label_names():
    truth = ["A", "A", "B", "C", "C", "C"]
    pred = ["x", "x", "y", "z", "z", "z"]
    assert loghub.grouping_accuracy(truth, pred) == 1.0
    assert loghub.grouping_f1(truth, pred) == (1.0, 1.0, 1.0)


def test_one_split_event_makes_all_its_lines_wrong():
    # A (3 lines) is split into {x: 2 lines, y: 1 line}; B is found exactly.
    truth = ["A", "A", "A", "B", "B"]
    pred = ["x", "x", "y", "z", "z"]
    assert loghub.grouping_accuracy(truth, pred) == pytest.approx(2 / 5)
    pga, rga, fga = loghub.grouping_f1(truth, pred)
    # 1 correct group (z) of 3 predicted and 2 true groups: PGA 1/3, RGA 1/2, FGA 2*(1/6)/(5/6) = 0.4
    assert pga == pytest.approx(1 / 3)
    assert rga == pytest.approx(1 / 2)
    assert fga == pytest.approx(0.4)


def test_merged_pair_of_events_makes_both_wrong():
    # A (2) and B (1) merged into x; C (3) found exactly.
    truth = ["A", "A", "B", "C", "C", "C"]
    pred = ["x", "x", "x", "z", "z", "z"]
    assert loghub.grouping_accuracy(truth, pred) == pytest.approx(3 / 6)
    pga, rga, fga = loghub.grouping_f1(truth, pred)
    # 1 correct group of 2 predicted and 3 true: PGA 1/2, RGA 1/3, FGA 0.4
    assert (pga, rga, fga) == pytest.approx((1 / 2, 1 / 3, 0.4))


def test_group_inside_one_event_is_still_wrong_when_the_event_has_more_lines():
    # x holds only A lines but not all of them: wrong; the single A line in y (with B) is wrong too.
    truth = ["A", "A", "A", "B"]
    pred = ["x", "x", "y", "y"]
    assert loghub.grouping_accuracy(truth, pred) == 0.0
    assert loghub.grouping_f1(truth, pred) == (0.0, 0.0, 0.0)


def test_nothing_correct_and_everything_in_one_group():
    truth = ["A", "B", "C"]
    pred = ["x", "x", "x"]
    assert loghub.grouping_accuracy(truth, pred) == 0.0
    assert loghub.grouping_f1(truth, pred)[2] == 0.0


def test_lines_with_empty_truth_are_dropped_first():
    # Keeping line 3 would put an unlabelled line in x and make A's group wrong.
    truth = ["A", "A", "", "B"]
    pred = ["x", "x", "x", "y"]
    assert loghub.grouping_accuracy(truth, pred) == 1.0
    assert loghub.grouping_f1(truth, pred) == (1.0, 1.0, 1.0)
    assert loghub.parsing_accuracy(["a", "a", "", "b"], ["a", "a", "zzz", "b"]) == 1.0


def test_parsing_accuracy_one_template_string_off():
    truth = ["open <*>", "open <*>", "close <*> now", "done"]
    pred = ["open <*>", "open <*>", "close <*>  now", "done"]  # double space: not exactly equal
    assert loghub.parsing_accuracy(truth, pred) == pytest.approx(3 / 4)


def test_parsing_accuracy_is_per_line_not_per_template():
    truth = ["a <*>"] * 9 + ["b"]
    pred = ["a <*>"] * 9 + ["b <*>"]
    assert loghub.parsing_accuracy(truth, pred) == pytest.approx(0.9)


def test_evaluate_drops_empty_event_ids_for_every_metric():
    scores = loghub.evaluate(
        truth_ids=["E1", "E1", "", "E2"],
        truth_templates=["a <*>", "a <*>", "", "b"],
        pred_ids=["1", "1", "1", "2"],
        pred_templates=["a <*>", "a <*>", "junk", "b x"],
    )
    assert scores["GA"] == 1.0
    assert scores["FGA"] == 1.0
    assert scores["PA"] == pytest.approx(2 / 3)
    assert (scores["lines"], scores["truth_groups"], scores["pred_groups"]) == (3, 2, 2)


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        loghub.grouping_accuracy(["A", "B"], ["x"])


def test_drain3_mask_names_become_wildcards():
    config = SimpleNamespace(
        mask_prefix="<",
        mask_suffix=">",
        masking_instructions=[SimpleNamespace(mask_with=n) for n in ("IP", "NUM", "HEX")],
    )
    fix = loghub._mask_names_to_wildcard(config)
    assert fix("from <IP> port <NUM> blk_<NUM> <*> <HEX>") == "from <*> port <*> blk_<*> <*> <*>"
    assert fix("<FOO> stays") == "<FOO> stays"
    colon = SimpleNamespace(mask_prefix="<:", mask_suffix=":>", masking_instructions=[SimpleNamespace(mask_with="NUM")])
    assert loghub._mask_names_to_wildcard(colon)("x=<:NUM:> <:*:>") == "x=<*> <*>"


def _write_fake_dataset(root: Path, name: str, rows: list[tuple[str, str, str]]) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    with (folder / f"{name}_2k.log_structured_corrected.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["LineId", "Content", "EventId", "EventTemplate"])
        for i, row in enumerate(rows, 1):
            w.writerow([i, *row])


def test_load_dataset_and_large_input_are_deterministic(tmp_path):
    for name in loghub.DATASETS:
        _write_fake_dataset(tmp_path, name, [(f"{name} one", "E1", f"{name} one"), (f'{name} "two", 2', "E2", "x")])
    ds = loghub.load_dataset(tmp_path, "Android")
    assert ds.contents == ["Android one", 'Android "two", 2']
    assert ds.event_ids == ["E1", "E2"]
    assert ds.templates == ["Android one", "x"]

    lines = loghub.large_input(tmp_path, 45)
    base = [c for n in loghub.DATASETS for c in (f"{n} one", f'{n} "two", 2')]
    assert len(base) == 20
    assert lines == base + base + base[:5]
    assert loghub.large_input(tmp_path, 45) == lines
