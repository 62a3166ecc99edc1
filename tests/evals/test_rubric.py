"""The rubric figures: labelled replies found in a run by scenario and words, and the shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import ConfigError
from coach.evals.rubric import LabelledTurn, load_labels, rubric_figures, shipped_labels
from tests.evals.conftest import transcript

LABELS = [
    LabelledTurn(
        scenario="hand-built", mentee="a", coach="So it stings. What hurts most?", label="fits"
    ),
    LabelledTurn(
        scenario="hand-built", mentee="b", coach="What would you like to do?", label="generic"
    ),
    LabelledTurn(scenario="other", mentee="c", coach="What is most of the world?", label="wrong"),
]


def test_labelled_replies_are_found_by_scenario_and_words() -> None:
    run = transcript(
        [
            ("a", "So it  stings.\nWhat hurts most?"),  # the same words, other spacing
            ("b", "What would you like to do?"),
            ("c", "What is most of the world?"),  # labelled, but for another scenario
            ("d", "What else comes to mind?"),  # not labelled
        ]
    )
    figures = rubric_figures([run], LABELS)
    assert figures["rubric_labelled"] == 2
    assert figures["rubric_fits"] == 0.5 and figures["rubric_generic"] == 0.5
    assert figures["rubric_wrong"] == 0.0


def test_a_run_with_no_labelled_reply_leaves_the_figures_unmeasured() -> None:
    figures = rubric_figures([transcript([("d", "What else comes to mind?")])], LABELS)
    assert figures == {
        "rubric_labelled": 0,
        "rubric_fits": None,
        "rubric_generic": None,
        "rubric_wrong": None,
    }


def test_a_bad_label_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text("- scenario: x\n  mentee: y\n  coach: z\n  label: excellent\n")
    with pytest.raises(ConfigError, match=r"labels\.yaml"):
        load_labels([path])


def test_one_reply_graded_two_ways_is_refused() -> None:
    twice = [*LABELS, LABELS[0].model_copy(update={"label": "wrong"})]
    with pytest.raises(ConfigError, match="two ways"):
        rubric_figures([transcript([("a", "So it stings. What hurts most?")])], twice)


def test_the_shipped_labels_cover_both_models_with_150_turns_each() -> None:
    folder = Path(__file__).parents[2] / "evals" / "rubric" / "labelled"
    for model in ("adapter", "base"):
        assert len(load_labels([folder / f"{model}.yaml"])) >= 150
    assert shipped_labels()


def test_a_stem_graders_mostly_marked_wrong_is_named_once_it_has_enough_uses() -> None:
    from evals.rubric.stems import MIN_USES, grades_by_stem, not_asked

    stems = ['What has happened so far with "{quote}"?', "What now?"]
    quoted = [
        LabelledTurn(
            scenario="s",
            mentee=str(n),
            coach=f'What has happened so far with "thing {n}"?',
            label="wrong" if n else "generic",
        )
        for n in range(MIN_USES)
    ]
    plain = [
        LabelledTurn(scenario="s", mentee=str(n), coach="What  now?", label="wrong")
        for n in range(MIN_USES - 1)
    ]
    grades = grades_by_stem(stems, [*quoted, *plain, *LABELS])
    assert grades[stems[0]] == {"wrong": MIN_USES - 1, "generic": 1}
    assert grades[stems[1]] == {"wrong": MIN_USES - 1}  # spacing aside, the stem's own words
    assert not_asked(grades) == [stems[0]]  # 5 of 6 wrong; the other, always wrong, has 5 uses
    assert not_asked(grades_by_stem(stems, quoted[:-2])) == []  # too few uses to judge


def test_no_stem_left_in_the_stage_book_is_one_the_rule_leaves_out() -> None:
    from coach.knowledge import stage_book
    from evals.rubric.stems import development_labels, grades_by_stem, not_asked

    assert not not_asked(grades_by_stem(stage_book().questions, development_labels()))
