"""Choose a trained screen's encoder thresholds again, on what training chooses them on now.

``python -m evals.safety rethreshold --model FOLDER`` reads the screen in FOLDER as it runs in
the product (the exported int8 encoder, long messages in windows, the riskiest window deciding),
chooses its flag and crisis thresholds on the corpus's dev split and the dev half of the sessions
written apart (``train.choosing_set``), and writes them into FOLDER's ``safety.json``. The
weights and the epoch are not touched (the epoch stays the one training chose). Training reads a
long message whole when it chooses; here it is read in windows, as the product reads it, so the
two can differ by the few dev messages over a window's length.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from coach.safety.classifier import EncoderScorer, Scorer, model_meta, riskiest_row
from coach.safety.result import LEVELS
from coach.safety.text import normalise, recent, windows
from evals.safety.apart import APART_DIR
from evals.safety.corpus import Example, corpus_digest, training_corpus
from evals.safety.train import choose_thresholds, choosing_set

logger = logging.getLogger(__name__)


def deciding_rows(scorer: Scorer, examples: Sequence[Example]) -> np.ndarray:
    """Each example's level probabilities in the window that decides it (the riskiest)."""
    rows = []
    for example in examples:
        parts, _ = windows(normalise(example.text))
        levels, _ = scorer.probabilities(parts, recent(example.context))
        rows.append(levels[riskiest_row(levels)])
    return np.array(rows)


def rethreshold(folder: Path) -> dict[str, float]:
    """New encoder thresholds for the screen in ``folder``, written into its ``safety.json``."""
    meta = model_meta(folder)
    encoder = meta["heads"]["encoder"]
    dev = choosing_set(training_corpus())
    rows = deciding_rows(EncoderScorer(folder, encoder), dev)
    flag, crisis, misses = choose_thresholds(rows, list(LEVELS), dev)
    logger.info(
        "thresholds: flag %.3f -> %.3f, crisis %.3f -> %.3f; dev misses %d (%d dev examples)",
        encoder["thresholds"]["flag"],
        flag,
        encoder["thresholds"]["crisis"],
        crisis,
        misses,
        len(dev),
    )
    encoder["thresholds"] = {"flag": round(flag, 6), "crisis": round(crisis, 6)}
    encoder["dev_misses"] = int(misses)
    encoder["thresholds_chosen_on"] = "corpus dev split + dev half of the sessions written apart"
    meta["trained_on"]["chosen_on_apart"] = corpus_digest(APART_DIR)
    (folder / "safety.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return encoder["thresholds"]
