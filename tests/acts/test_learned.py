"""The learned talk-act classifier: the shipped heads load, hold their figures on the project's
test split, read the same text the same way in any process, and give way to the rules when
they cannot be read."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coach.acts import classifier as default
from coach.acts.features import WIDTH, active
from coach.acts.heads import ActHeads
from coach.acts.learned import ACTS, LearnedActs
from coach.acts.lexicon import act_lexicon
from coach.acts.rules import classify_by_rules
from evals.acts.corpus import load_corpus, of_split
from evals.acts.figures import measure

# Measured on the test split when the heads were trained (see coach/acts/README.md); the floors
# sit a little under the measured figures, so a regression fails.
FLOORS = {
    "kappa_main": 0.85,
    "kappa_question": 0.96,
    "kappa_open_closed": 0.79,
    "advice_recall": 0.72,
    "advice_precision": 0.94,
}


@pytest.fixture(autouse=True)
def fresh_choice() -> None:
    """Each test reads COACH_ACTS afresh (its warning is given once per value and process)."""
    default._choice.cache_clear()


def test_coach_acts_chooses_the_classifier(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    model = default.learned_model()
    assert model is not None
    text = "It might be worth talking to your manager before the review."
    monkeypatch.setenv("COACH_ACTS", "learned")
    assert default.classify(text) == model.classify(text)
    monkeypatch.delenv("COACH_ACTS")
    for _ in range(3):
        assert default.classify("You should talk to HR.") == classify_by_rules(
            "You should talk to HR."
        )
    monkeypatch.setenv("COACH_ACTS", "neural-net")
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert default.classify(text) == classify_by_rules(text)
    assert sum("COACH_ACTS=neural-net" in r.getMessage() for r in caplog.records) == 1


def test_the_shipped_heads_hold_their_figures_on_the_test_split() -> None:
    test = of_split(load_corpus(), "test")
    assert len(test) >= 300
    figures = measure(test, default.classify_learned).model_dump()
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, (name, figures)


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("You might want to think about asking for a secondment.", True),
        ("One approach some people find useful is to write the ask down first.", True),
        ("You could talk to HR, go to your skip-level, or wait it out.", True),
        ("What options do you see?", False),
        ("It sounds like you're torn between loyalty and growth.", False),
        ("Would it be okay if I shared an idea?", False),
    ],
)
def test_soft_advice_is_told_from_asking(text: str, advice: bool) -> None:
    assert default.classify_learned(text).advice is advice


def test_the_same_text_has_the_same_columns_in_another_process() -> None:
    text, context = "So you're thinking about the Berlin offer?", "I got an offer in Berlin."
    here = active(text, context, act_lexicon())
    script = (
        "import json; from coach.acts.features import active; "
        "from coach.acts.lexicon import act_lexicon; "
        f"a = active({text!r}, {context!r}, act_lexicon()); "
        "print(json.dumps([a.columns, a.values]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    columns, values = json.loads(out.stdout)
    assert tuple(columns) == here.columns
    assert np.allclose(values, here.values)
    assert all(0 <= c < WIDTH for c in columns)


def test_heads_that_do_not_match_the_feature_layout_are_refused() -> None:
    weights = {name: np.zeros((WIDTH, 1)) for name in ("question", "open", "reflection", "advice")}
    biases = {name: np.zeros(1) for name in weights}
    weights["act"], biases["act"] = np.zeros((WIDTH - 1, 5)), np.zeros(5)
    with pytest.raises(ValueError, match="feature layout"):
        ActHeads(list(ACTS), weights, biases)


def test_heads_come_back_from_their_file(tmp_path: Path) -> None:
    model = default.learned_model()
    assert model is not None
    model.heads.save(tmp_path / "heads.npz")
    (tmp_path / "acts.json").write_text(
        json.dumps({"heads": "heads.npz", "thresholds": vars(model.thresholds)}),
        encoding="utf-8",
    )
    again = LearnedActs.load(tmp_path)
    for text in ("You should call her.", "Mm-hmm.", "What would help?", "So you feel stuck."):
        assert again.classify(text) == model.classify(text)


@pytest.mark.parametrize(
    "damage",
    [
        {"acts.json": "{not json"},
        {"acts.json": '{"heads": "h.npz", "thresholds": {}}', "h.npz": ""},
        {"acts.json": '{"heads": "h.npz", "thresholds": {}}', "h.npz": "PK\u0003\u0004cut"},
        {"acts.json": '{"heads": "acts-heads.npz", "thresholds": {"advice": "high"}}'},
        {"acts.json": '{"heads": "acts-heads.npz", "thresholds": {"advice": 7}}'},
    ],
)
def test_unreadable_heads_leave_the_rules_to_decide_and_say_so(
    damage: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shipped = default.MODEL_DIR / "acts-heads.npz"
    (tmp_path / "acts-heads.npz").write_bytes(shipped.read_bytes())
    for name, content in damage.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.setenv("COACH_ACTS", "learned")
    monkeypatch.setattr(default, "MODEL_DIR", tmp_path)
    monkeypatch.setattr(default, "_model", None)
    monkeypatch.setattr(default, "_failed", False)
    with caplog.at_level(logging.WARNING):
        for text in ("You should talk to HR.", "What happened next?"):
            assert default.classify(text) == classify_by_rules(text)
    assert sum("the rules decide" in r.getMessage() for r in caplog.records) == 1
    assert default.in_effect() == "rules"
