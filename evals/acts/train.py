"""Train the talk-act heads on the corpus's train and dev splits; the test split is never read
here. ``python -m evals.acts train`` writes ``coach/acts/model``; the seed is fixed.

Each head's C and each flag's threshold are chosen on kinds of talk the head was not trained
on: every corpus file (one kind of talk: good or poor counselling, workplace coaching, a
model's replies...) is left out in turn, and the head trained on the others reads it. That is
the step a team's transcripts make, so the choice favours what carries over, not what fits the
corpus.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import partial

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score

from coach.acts.features import WIDTH, active
from coach.acts.heads import FLAGS, ActHeads
from coach.acts.learned import ACTS, MODEL_DIR, Thresholds
from coach.acts.lexicon import act_lexicon
from evals.acts.corpus import CORPUS_DIR, Utterance, load_corpus
from evals.corpora import corpus_digest

logger = logging.getLogger(__name__)
SEED = 20261207
C_GRID = (0.25, 1.0, 4.0, 16.0, 64.0)
ACTS_SORTED = sorted(ACTS)  # the order of a head's classes
# Advice is the flag a team relies on. Its threshold is the lowest whose precision on the kinds of
# talk left out stays at or above ADVICE_PRECISION (a margin over the 0.60 target, for text never
# seen), which gives the most recall. The corpus is rich in advice by design (about a quarter of
# its utterances), but the replies a team judges are mostly not advice: well-run sessions hold it
# under 2% of turns, poorly run ones near 14%. So precision is computed as if advice were
# ADVICE_SHARE of the utterances (the advice and the other utterances each reweighted to that
# share).
ADVICE_PRECISION = 0.70
ADVICE_SHARE = 0.05


def rows(utterances: Sequence[Utterance]) -> sparse.csr_matrix:
    lexicon = act_lexicon()
    data: list[float] = []
    indices: list[int] = []
    pointers = [0]
    for u in utterances:
        features = active(u.text, u.context, lexicon)
        indices.extend(features.columns)
        data.extend(features.values)
        pointers.append(len(indices))
    return sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices), np.array(pointers)),
        shape=(len(utterances), WIDTH),
    )


def flag_of(name: str, u: Utterance) -> bool:
    return {
        "question": u.question,
        "open": u.question_type == "open",
        "reflection": u.reflection,
        "advice": u.advice,
    }[name]


def kappa_threshold(probabilities: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The threshold of best Cohen's kappa, and that kappa."""
    best = (0.5, -1.0)
    for t in np.arange(0.2, 0.81, 0.05):
        kappa = cohen_kappa_score(truth, probabilities >= t)
        if kappa > best[1]:
            best = (float(round(t, 2)), float(kappa))
    return best


def precision_at_share(said: np.ndarray, truth: np.ndarray, share: float) -> float:
    """Precision of ``said`` if the positives were ``share`` of all utterances."""
    hits = share * said[truth].mean() if truth.any() else 0.0
    false = (1 - share) * said[~truth].mean() if (~truth).any() else 0.0
    return float(hits / (hits + false)) if hits + false else 0.0


def advice_threshold(probabilities: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The lowest threshold whose precision, at ``ADVICE_SHARE``, reaches ``ADVICE_PRECISION``,
    and its recall (0.95 and its recall if none does)."""
    for t in np.arange(0.05, 0.951, 0.01):
        said = probabilities >= t
        if said.any() and precision_at_share(said, truth, ADVICE_SHARE) >= ADVICE_PRECISION:
            return float(round(t, 2)), float(said[truth].mean())
    return 0.95, float((probabilities >= 0.95)[truth].mean())


def fit(x: sparse.csr_matrix, y: np.ndarray, c: float, balanced: bool) -> LogisticRegression:
    model = LogisticRegression(
        C=c, max_iter=3000, random_state=SEED, class_weight="balanced" if balanced else None
    )
    return model.fit(x, y)


def slices(utterances: Sequence[Utterance]) -> list[np.ndarray]:
    """The positions of each corpus file's utterances: one kind of talk each."""
    files = sorted({u.source.split(":")[0] for u in utterances})
    found = [u.source.split(":")[0] for u in utterances]
    return [np.array([i for i, f in enumerate(found) if f == name]) for name in files]


def unseen_probabilities(
    x: sparse.csr_matrix, y: np.ndarray, folds: list[np.ndarray], c: float, balanced: bool
) -> np.ndarray:
    """Each utterance's probabilities from a head trained without its kind of talk."""
    classes = np.unique(y)
    out = np.zeros((len(y), len(classes)))
    for held in folds:
        rest = np.setdiff1d(np.arange(len(y)), held)
        model = fit(x[rest], y[rest], c, balanced)
        out[np.ix_(held, np.searchsorted(classes, model.classes_))] = model.predict_proba(x[held])
    return out


def choose(
    name: str,
    x: sparse.csr_matrix,
    y: np.ndarray,
    folds: list[np.ndarray],
    score: Callable[[np.ndarray], tuple[float, float]],
    balanced: bool,
) -> tuple[float, float, LogisticRegression]:
    """The C whose heads score best on kinds of talk they were not trained on; the setting
    ``score`` chose at that C (a threshold, or nothing); the head fitted on all of ``x``."""
    best: tuple[float, float, float] | None = None
    for c in C_GRID:
        setting, value = score(unseen_probabilities(x, y, folds, c, balanced))
        logger.info("  %s C=%s: %.4f on unseen kinds of talk", name, c, value)
        if best is None or value > best[2]:
            best = (c, setting, value)
    assert best is not None
    logger.info("%s: C=%s, setting %.2f, %.4f on unseen kinds of talk", name, *best)
    return best[0], best[1], fit(x, y, best[0], balanced)


def column_score(
    probabilities: np.ndarray,
    pick: Callable[[np.ndarray, np.ndarray], tuple[float, float]],
    truth: np.ndarray,
) -> tuple[float, float]:
    """A flag's threshold and its score, from its head's probabilities of (no, yes)."""
    return pick(probabilities[:, 1], truth)


def train() -> dict[str, object]:
    corpus = load_corpus()
    tuning = [u for u in corpus if u.split != "test"]
    logger.info("corpus: %d utterances to train and tune on", len(tuning))
    x = rows(tuning)
    folds = slices(tuning)
    acts = np.array([u.act for u in tuning])
    c, _, model = choose(
        "act",
        x,
        acts,
        folds,
        lambda p: (0.0, cohen_kappa_score(acts, np.array(ACTS_SORTED)[p.argmax(axis=1)])),
        False,
    )
    order = [list(model.classes_).index(a) for a in ACTS]
    weights = {"act": model.coef_[order].T}
    biases = {"act": model.intercept_[order]}
    chosen_c = {"act": c}
    thresholds: dict[str, float] = {}
    for name in FLAGS:
        keep = np.array([i for i, u in enumerate(tuning) if name != "open" or u.question])
        truth = np.array([flag_of(name, tuning[i]) for i in keep])
        pick = advice_threshold if name == "advice" else kappa_threshold
        kept_folds = [np.nonzero(np.isin(keep, fold))[0] for fold in folds]
        c, thresholds[name], model = choose(
            name,
            x[keep],
            truth,
            [fold for fold in kept_folds if len(fold)],
            partial(column_score, pick=pick, truth=truth),
            name == "advice",
        )
        chosen_c[name] = c
        weights[name], biases[name] = model.coef_.T, model.intercept_
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    ActHeads(list(ACTS), weights, biases).save(MODEL_DIR / "acts-heads.npz")
    meta = {
        "version": 1,
        "heads": "acts-heads.npz",
        "thresholds": asdict(Thresholds(**thresholds)),
        "c": chosen_c,
        "trained_on": {
            "corpus": corpus_digest(CORPUS_DIR),
            "utterances": len(tuning),
            "tuned_by": "leaving out one corpus file (one kind of talk) at a time",
            "seed": SEED,
            "command": "python -m evals.acts train",
        },
    }
    (MODEL_DIR / "acts.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
