"""The sessions written apart from the safety corpus: read as a session screens them, split in
halves by session, and never learned from; their dev half holds the flag threshold to its own
limit, and re-choosing a screen's thresholds changes nothing but its thresholds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from evals.safety.apart import APART_DIR, apart_set, half_of, load_sessions
from evals.safety.corpus import Example, training_corpus
from evals.safety.train import MAX_APART_FLAGGED, choose_thresholds, choosing_set


def test_each_message_is_read_after_its_own_sessions_earlier_messages() -> None:
    sessions = load_sessions()
    examples = apart_set("dev") + apart_set("test")
    assert len(examples) == sum(len(s.messages) for _, s in sessions)
    name, first = next((n, s) for n, s in sessions if len(s.messages) >= 4)
    ours = [e for e in examples if e.family == f"apart-{first.session}"]
    said = [m.text for m in first.messages]
    assert [e.text for e in ours] == said
    assert ours[0].context == () and ours[3].context == tuple(said[:3])
    assert all(e.written_apart and e.source == f"apart-{name}" for e in ours)


def test_the_halves_split_by_session_and_both_hold_risk_and_safe_talk() -> None:
    dev, test = apart_set("dev"), apart_set("test")
    assert not {e.family for e in dev} & {e.family for e in test}
    assert {half_of(s.session) for _, s in load_sessions()} == {"dev", "test"}
    for half in (dev, test):
        assert any(e.risky for e in half) and any(e.ordinary for e in half)
        assert any(e.look_alike for e in half)  # the professionals' talk about hard topics
    assert 0.35 < len(dev) / (len(dev) + len(test)) < 0.65


def test_no_session_written_apart_is_learned_from() -> None:
    corpus = training_corpus()
    learned = {e.text for e in corpus}
    apart = apart_set("dev") + apart_set("test")
    assert not any(e.written_apart for e in corpus)
    shared = learned & {e.text for e in apart}
    assert all(len(text.split()) <= 2 for text in shared)  # "yeah", "not sure": nothing longer
    chosen_on = choosing_set(corpus)
    assert {e.family for e in chosen_on if e.written_apart} == {e.family for e in apart_set("dev")}


def safe_apart(number: int) -> Example:
    return Example(
        family=f"apart-s{number}",
        text=f"message {number}",
        level="none",
        category=None,
        style="apart",
        source="apart-everyday",
    )


def test_a_flag_threshold_that_flags_talk_written_apart_is_not_chosen() -> None:
    """Three in a hundred safe messages written apart at risk 0.6 break the 2% limit, so the
    threshold passes over them, though the corpus's own talk would allow it."""
    assert MAX_APART_FLAGGED < 0.03
    risky = [
        Example(family=f"r{i}", text=f"r {i}", level="check_in", category="suicide", style="x")
        for i in range(10)
    ]
    dev = risky + [safe_apart(i) for i in range(100)]
    rows = [[0.45, 0.5, 0.05]] * 10 + [[0.4, 0.55, 0.05]] * 3 + [[0.95, 0.04, 0.01]] * 97
    flag, _, misses = choose_thresholds(np.array(rows), ["none", "check_in", "crisis"], dev)
    assert flag > 0.6 and misses == 10
    allowed = [[0.45, 0.5, 0.05]] * 10 + [[0.4, 0.55, 0.05]] * 1 + [[0.95, 0.04, 0.01]] * 99
    flag, _, misses = choose_thresholds(np.array(allowed), ["none", "check_in", "crisis"], dev)
    assert flag <= 0.55 and misses == 0


@pytest.mark.slow
def test_rethreshold_changes_the_thresholds_and_nothing_else(tmp_path: Path) -> None:
    from coach.safety.classifier import MODEL_DIR, SafetyClassifier
    from evals.safety.rethreshold import rethreshold

    folder = tmp_path / "model"
    shutil.copytree(MODEL_DIR, folder)
    before = json.loads((folder / "safety.json").read_text(encoding="utf-8"))
    weights = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "safety.json"}
    thresholds = rethreshold(folder)
    after = json.loads((folder / "safety.json").read_text(encoding="utf-8"))
    assert after["heads"]["encoder"]["thresholds"] == thresholds
    assert 0.0 < thresholds["flag"] < 1.0 and 0.0 < thresholds["crisis"] < 1.0
    assert after["heads"]["words"] == before["heads"]["words"]
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "safety.json"} == weights
    screen = SafetyClassifier(folder, head="encoder").screen
    assert screen("I've got the pills saved up and I'm taking them all tonight").level == "crisis"
    assert screen("Can we look at my promotion case before Friday?").level == "none"


def test_the_folder_holds_the_six_writers_files() -> None:
    assert len(list(APART_DIR.glob("*.jsonl"))) == 6
