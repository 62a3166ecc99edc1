"""The talk-act judge's measured agreement: stored figures that match a fresh measurement, and
an eval report that shows them beside its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.acts.classifier import classify_learned
from coach.acts.rules import classify_by_rules
from coach.acts.trust import AGREEMENT_FILE, measured, trust_in
from evals.acts.__main__ import ANNOMI
from evals.acts.corpus import CORPUS_DIR, load_corpus, of_split
from evals.acts.figures import expert_coded, measure
from evals.corpora import corpus_digest

CLASSIFIERS = {"rules": classify_by_rules, "learned": classify_learned}
STALE = "stale: run `python -m evals.acts report --write`"


def test_the_stored_figures_are_those_of_todays_classifiers_on_the_test_split() -> None:
    stored = measured()
    assert stored is not None
    assert stored.corpus == corpus_digest(CORPUS_DIR), STALE
    test_split = of_split(load_corpus(), "test")
    for name, classifier in CLASSIFIERS.items():
        fresh = measure(test_split, classifier)
        kept = stored.classifiers[name].corpus_test
        assert kept.utterances == fresh.utterances, STALE
        assert kept.kappa_main == pytest.approx(fresh.kappa_main, abs=1e-4), STALE
        assert kept.advice_recall == pytest.approx(fresh.advice_recall, abs=1e-4), STALE


def test_the_stored_expert_figures_are_those_of_todays_classifiers() -> None:
    if not ANNOMI.exists():
        pytest.skip(f"AnnoMI's dev split is not at {ANNOMI}")
    from coach.acts.agreement import load_annomi

    coded = load_annomi(ANNOMI)
    stored = measured()
    assert stored is not None
    for name, classifier in CLASSIFIERS.items():
        kept = stored.classifiers[name].expert_coded
        assert kept == expert_coded(coded, classifier), STALE


def test_an_unreadable_file_leaves_the_report_without_the_figures(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "agreement.json"
    broken.write_text("{not json", encoding="utf-8")
    assert trust_in("rules", broken) is None
    assert "unreadable" in caplog.text
    assert trust_in("rules", tmp_path / "missing.json") is None
    assert trust_in("a classifier never measured", AGREEMENT_FILE) is None
