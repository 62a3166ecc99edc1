"""The talk-act judge's measured agreement: stored figures that match a fresh measurement, and
an eval report that shows them beside its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.acts.classifier import classify_learned
from coach.acts.rules import classify_by_rules
from coach.acts.trust import AGREEMENT_FILE, agreement_of, measured
from evals.acts.__main__ import ANNOMI
from evals.acts.corpus import CORPUS_DIR, load_corpus, of_split
from evals.acts.figures import classifier_agreement, expert_agreement, measure
from evals.corpora import corpus_digest

CLASSIFIERS = {"rules": classify_by_rules, "learned": classify_learned}
STALE = "stale: run `python -m evals.acts report --write`"


def test_the_stored_figures_are_those_of_todays_classifiers_on_the_test_split() -> None:
    stored = measured()
    assert stored is not None
    assert stored.corpus == corpus_digest(CORPUS_DIR), STALE
    test_split = of_split(load_corpus(), "test")
    for name, classifier in CLASSIFIERS.items():
        fresh = classifier_agreement(name, measure(test_split, classifier), None)
        assert stored.classifiers[name].corpus_test == fresh.corpus_test, STALE


def test_the_stored_expert_figures_are_those_of_todays_classifiers() -> None:
    if not ANNOMI.exists():
        pytest.skip(f"AnnoMI's dev split is not at {ANNOMI}")
    from coach.acts.agreement import load_annomi

    coded = load_annomi(ANNOMI)
    stored = measured()
    assert stored is not None
    for name, classifier in CLASSIFIERS.items():
        kept = stored.classifiers[name].expert_coded
        assert kept == expert_agreement(coded, classifier), STALE


def test_an_unreadable_file_leaves_the_report_without_the_figures(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "agreement.json"
    broken.write_text("{not json", encoding="utf-8")
    assert agreement_of("rules", broken) is None
    assert "unreadable" in caplog.text
    assert agreement_of("rules", tmp_path / "missing.json") is None
    assert agreement_of("a classifier never measured", AGREEMENT_FILE) is None


def test_figures_are_not_stored_without_their_expert_coded_half(tmp_path: Path) -> None:
    from evals.acts.__main__ import report

    before = AGREEMENT_FILE.read_bytes()
    with pytest.raises(SystemExit, match="AnnoMI is not at"):
        report("test", tmp_path / "absent.csv", write=True)
    assert AGREEMENT_FILE.read_bytes() == before
