"""The sessions written apart from the safety corpus: read as a session screens them, split in
halves by session, and never trained on; their dev half holds the flag threshold to its own
limit."""

from __future__ import annotations

import numpy as np

from evals.safety.apart import APART_DIR, apart_set, load_sessions
from evals.safety.corpus import Example, half_of, of_split, training_corpus
from evals.safety.train import MAX_APART_FLAGGED, choose_thresholds, choosing_set


def test_each_message_is_read_after_its_own_sessions_earlier_messages() -> None:
    sessions = load_sessions()
    examples = apart_set("dev") + apart_set("test")
    assert len(examples) == sum(len(s.messages) for _, s in sessions)
    name, first = next((n, s) for n, s in sessions if len(s.messages) >= 5)
    ours = [e for e in examples if e.family == f"apart-{first.session}"]
    said = [m.text for m in first.messages]
    assert [e.text for e in ours] == said
    assert ours[0].context == () and ours[3].context == tuple(said[:3])
    assert ours[4].context == tuple(said[1:4])  # the last three, as the screen reads them
    assert all(e.written_apart and e.source == f"apart-{name}" for e in ours)


def test_the_halves_split_by_session_and_both_hold_risk_and_safe_talk() -> None:
    dev, test = apart_set("dev"), apart_set("test")
    ids = [s.session for _, s in load_sessions()]
    assert len(ids) == len(set(ids))  # no two writers' sessions merge into one family
    assert {half_of(session) for session in ids} == {"dev", "test"}
    assert of_split(dev + test, "dev") == dev and of_split(dev + test, "test") == test
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


def apart(number: int, level: str = "none") -> Example:
    return Example(
        family=f"apart-s{number}",
        text=f"message {number}",
        level=level,  # type: ignore[arg-type]
        category=None if level == "none" else "suicide",
        style="apart",
        source="apart-everyday",
    )


def test_a_flag_threshold_that_flags_talk_written_apart_is_not_chosen() -> None:
    """25 in 1,000 safe messages written apart at risk 0.6 break their limit (2%), though they
    are within the ordinary talk's (3%), so the threshold passes over them; 15 in 1,000 do not.
    The risky messages written apart are not held to the limit."""
    assert len(range(15)) / 1000 < MAX_APART_FLAGGED < len(range(25)) / 1000
    dev = [apart(i, "check_in") for i in range(50)] + [apart(100 + i) for i in range(1000)]
    levels = ["none", "check_in", "crisis"]
    for jumpy, flagged in ((25, False), (15, True)):
        rows = [[0.45, 0.5, 0.05]] * 50  # the risky ones, at risk 0.55
        rows += [[0.4, 0.55, 0.05]] * jumpy + [[0.95, 0.04, 0.01]] * (1000 - jumpy)
        flag, _, misses = choose_thresholds(np.array(rows), levels, dev)
        assert (flag <= 0.55) is flagged
        assert misses == (0 if flagged else 50)


def test_the_folder_holds_the_six_writers_files() -> None:
    assert len(list(APART_DIR.glob("*.jsonl"))) == 6
