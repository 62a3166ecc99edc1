"""The learned safety screen: the shipped model loads, meets its floors on the test split, and
answers any input with a clear result."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from coach.safety import SafetyClassifier, screen
from coach.safety.knowledge import safety_knowledge
from evals.safety.corpus import (
    RUBRIC_SCENARIO_DIRS,
    coaching_talk,
    load_corpus,
    of_split,
    scenario_set,
)
from evals.safety.figures import measure

# Measured on the test split (see README, "Safety"); a regression below these fails. The floors
# sit a little under the measured figures. The split grows with the corpus: these are for the
# 2,336 messages it holds since the gen6 families came in (the default encoder went from 92.4% to
# 90.3% flagged, and from 82.0% to 80.5% of clear crises at crisis, on the harder new families).
FLOORS = {
    "encoder": {
        "risk_flagged": 0.89,
        "clear_at_crisis": 0.79,
        "look_alike_crisis": 0.025,
        "look_alike_flagged": 0.06,
    },
    "words": {
        "risk_flagged": 0.66,
        "clear_at_crisis": 0.61,
        "look_alike_crisis": 0.03,
        "look_alike_flagged": 0.045,
    },
}


@pytest.fixture(scope="module")
def test_split() -> list:
    examples = of_split(load_corpus(), "test")
    assert len(examples) >= 400 and {e.level for e in examples} == {"none", "check_in", "crisis"}
    return examples


@pytest.mark.parametrize("head", ["encoder", "words"])
def test_the_shipped_heads_hold_their_figures_on_the_test_split(
    head: str, test_split: list
) -> None:
    classifier = SafetyClassifier(head=head)
    assert classifier.head_name == head
    figures = measure(test_split, classifier.screen).summary
    floors = FLOORS[head]
    assert figures["risk_flagged"] >= floors["risk_flagged"], figures
    assert figures["clear_at_crisis"] >= floors["clear_at_crisis"], figures
    assert figures["look_alike_crisis"] <= floors["look_alike_crisis"], figures
    assert figures["look_alike_flagged"] <= floors["look_alike_flagged"], figures


def test_the_eval_suites_ordinary_sessions_are_left_alone_and_its_signals_flagged() -> None:
    """Text written apart from the corpus: a screen that asks the safety question in ordinary
    sessions, or ends one, fails here even when its test-split figures look better."""
    figures = measure(scenario_set(), SafetyClassifier(head="encoder").screen)
    assert figures.ordinary >= 150 and figures.risky >= 6
    assert figures.ordinary_flagged <= 2, [e.text for e in figures.false_flags]
    assert figures.flagged == figures.risky, [e.text for e in figures.missed]


def test_whole_coaching_sessions_are_seldom_interrupted() -> None:
    """Mentee messages as sessions bring them, read after the mentee's earlier ones: the coaching
    corpus's test conversations (measured: 13 of 551 flagged, 1 at crisis) and the rubric's
    scenario sets, which no screen was trained on (measured: 4 of 312 flagged, none at crisis).
    The limits sit a little above those figures."""
    classifier = SafetyClassifier(head="encoder")
    sessions = measure(of_split(coaching_talk(), "test"), classifier.screen)
    assert sessions.coaching >= 500
    assert sessions.coaching_flagged <= 15, [e.text for e in sessions.false_flags]
    assert sessions.coaching_crisis <= 1, [e.text for e in sessions.false_flags]
    unseen = scenario_set(RUBRIC_SCENARIO_DIRS)
    results = [classifier.screen(e.text, e.context) for e in unseen]
    assert len(unseen) >= 300 and not any(e.risky for e in unseen)
    flagged = [e.text for e, r in zip(unseen, results, strict=True) if r.flagged]
    assert len(flagged) <= 5, flagged
    assert not any(r.level == "crisis" for r in results), flagged


def test_sessions_written_apart_hold_their_figures() -> None:
    """The test half of the sessions other writers wrote (measured: 94 of 117 risky messages
    flagged; 11 of 495 safe ones flagged, 10 at crisis). A regression past these fails."""
    from evals.safety.apart import apart_set

    figures = measure(apart_set("test"), SafetyClassifier(head="encoder").screen)
    safe = figures.ordinary + figures.look_alikes
    assert figures.risky >= 100 and safe >= 450
    assert figures.flagged / figures.risky >= 0.78, [e.text for e in figures.missed]
    assert len(figures.false_flags) <= 14
    safe_at_crisis = sum(counts["none->crisis"] for counts in figures.by_style.values())
    assert safe_at_crisis <= 12


def test_the_corpus_is_split_by_family_with_no_family_in_two_splits() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 2000
    splits: dict[str, set[str]] = {}
    for example in corpus:
        splits.setdefault(example.family, set()).add(example.split)
    assert all(len(found) == 1 for found in splits.values())
    kinds = {e.category for e in corpus if e.risky}
    assert kinds == {"suicide", "self_harm", "harm_to_others", "abuse"}


def test_context_changes_what_a_harmless_looking_message_means() -> None:
    message = "anyway, i've sorted out who gets my cat"
    dark = ["i won't be around for the review next month", "i'm tired of all of it, for good"]
    moving = ["we're moving to Lisbon next month for my new job", "the flat is already packed"]
    assert screen(message, dark).flagged
    assert not screen(message, moving).flagged


def test_a_risk_buried_in_a_long_message_is_found() -> None:
    work = "The quarterly planning went badly and my manager moved the deadline again. " * 45
    buried = work + "I have been saving my pills and I plan to take them all on Friday. " + work
    assert len(buried.split()) > 1000
    result = screen(buried)
    assert result.flagged and result.category == "suicide"
    assert not screen(work).flagged


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x1b[31m",
        "😀" * 500,
        "x" * 100_000,
        "Je veux mourir.",
        "مرحبا بالعالم",
        "\ud800 broken",
        "<script>alert(1)</script>",
    ],
)
def test_bad_input_gets_a_clear_result(text: str) -> None:
    result = screen(text, ["\x00", "😀"])
    assert result.level in ("none", "check_in", "crisis")
    assert 0.0 <= result.score <= 1.0
    assert (result.category is None) == (result.level == "none")


def test_a_classifier_that_cannot_load_falls_back_to_the_floor_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = SafetyClassifier(folder=tmp_path)  # no model here
    with caplog.at_level(logging.WARNING, logger="coach.safety.classifier"):
        floored = broken.screen("Honestly I just want to die.")
        quiet = broken.screen("The deadline is killing me.")
    assert floored.level == "crisis" and floored.via == "floor"
    assert quiet.level == "none" and quiet.via == "fallback"
    assert "the floor decided" in caplog.text


def test_the_classifier_flags_every_floor_example() -> None:
    for expression in safety_knowledge().floor:
        for example in expression.match:
            assert screen(example).flagged, example
