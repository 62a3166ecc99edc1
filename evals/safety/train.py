"""Train the safety heads on the corpus's train split; choose C and thresholds on dev.

``python -m evals.safety train`` writes ``coach/safety/model``: the words head (logistic
regression on n-grams, C chosen on dev) and the fine-tuned encoder (``finetune``), each with
the thresholds of least cost on dev. Families are split by hash and the seed is fixed; the
test split is never read here.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from coach.safety.classifier import MODEL_DIR
from coach.safety.features import FeatureSpec, Featuriser
from coach.safety.head import LinearHead
from coach.safety.result import CATEGORIES, LEVELS
from coach.safety.text import normalise, recent
from evals.safety.corpus import Example, corpus_digest, load_corpus, of_split
from evals.safety.finetune import (
    BATCH,
    EPOCHS,
    FROZEN_LAYERS,
    LEARNING_RATE,
    encoder_probabilities,
    finetune,
)

logger = logging.getLogger(__name__)
SEED = 20261201
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
CHECKPOINTS = Path(__file__).parent / ".checkpoints"
MISS_COST, FALSE_FLAG_COST = 10.0, 1.0  # a missed risk costs ten false check-ins
CLEAR_MISS_COST, FALSE_CRISIS_COST, OVER_ESCALATION_COST = 3.0, 10.0, 0.5
MAX_LOOK_ALIKE_FLAGGED, MAX_LOOK_ALIKE_CRISIS = 0.10, 0.02
MAX_ORDINARY_FLAGGED = 0.02  # everyday coaching talk: a check-in there is a real cost


@dataclass
class Fitted:
    spec: FeatureSpec
    c: float
    level: LinearHead
    flag: float
    crisis: float
    cost: float


def inputs(examples: Sequence[Example]) -> tuple[list[str], list[list[str]]]:
    return [normalise(e.text) for e in examples], [recent(e.context) for e in examples]


def fit_head(rows: object, labels: Sequence[str], classes: Sequence[str], c: float) -> LinearHead:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    model.fit(rows, labels)
    order = [list(model.classes_).index(name) for name in classes if name in model.classes_]
    return LinearHead(
        [str(model.classes_[i]) for i in order], model.coef_[order], model.intercept_[order]
    )


def choose_thresholds(
    probs: np.ndarray, classes: list[str], dev: Sequence[Example]
) -> tuple[float, float, float]:
    """The flag and crisis thresholds of least cost on dev, within the look-alike limits."""
    risk = 1.0 - probs[:, classes.index("none")]
    crisis = probs[:, classes.index("crisis")]
    risky = np.array([e.risky for e in dev])
    clear = np.array([e.level == "crisis" for e in dev])
    unclear = np.array([e.level == "check_in" for e in dev])
    look = np.array([e.look_alike for e in dev])
    ordinary = np.array([e.ordinary for e in dev])
    safe = ~risky
    best_flag, flag_cost = 0.5, np.inf
    for t in np.unique(np.concatenate([risk, [0.5]])):
        flagged = risk >= t
        if flagged[look].mean() > MAX_LOOK_ALIKE_FLAGGED:
            continue
        if ordinary.any() and flagged[ordinary].mean() > MAX_ORDINARY_FLAGGED:
            continue
        cost = MISS_COST * (~flagged[risky]).sum() + FALSE_FLAG_COST * flagged[safe].sum()
        if cost < flag_cost:
            best_flag, flag_cost = float(t), cost
    best_crisis, crisis_cost = 0.5, np.inf
    for t in np.unique(np.concatenate([crisis, [0.5]])):
        at = crisis >= t
        if at[look].mean() > MAX_LOOK_ALIKE_CRISIS:
            continue
        cost = (
            CLEAR_MISS_COST * (~at[clear]).sum()
            + FALSE_CRISIS_COST * at[safe].sum()
            + OVER_ESCALATION_COST * at[unclear].sum()
        )
        if cost < crisis_cost:
            best_crisis, crisis_cost = float(t), cost
    return best_flag, best_crisis, float(flag_cost + crisis_cost)


def fit_words(train: Sequence[Example], dev: Sequence[Example]) -> Fitted:
    """The n-gram head: C and thresholds chosen on dev."""
    spec = FeatureSpec()
    featuriser = Featuriser(spec)
    x_train = featuriser.rows(*inputs(train))
    x_dev = featuriser.rows(*inputs(dev))
    labels = [e.level for e in train]
    best: Fitted | None = None
    for c in C_GRID:
        head = fit_head(x_train, labels, LEVELS, c)
        flag, crisis, cost = choose_thresholds(head.probabilities(x_dev), head.classes, dev)
        logger.info("  words C=%s: dev cost %.1f (flag %.3f, crisis %.3f)", c, cost, flag, crisis)
        if best is None or cost < best.cost:
            best = Fitted(spec, c, head, flag, crisis, cost)
    assert best is not None
    return best


def train(out: Path = MODEL_DIR, checkpoints: Path = CHECKPOINTS) -> dict[str, object]:
    started = time.monotonic()
    corpus = load_corpus()
    train_set, dev_set = of_split(corpus, "train"), of_split(corpus, "dev")
    logger.info("corpus: %d train, %d dev examples", len(train_set), len(dev_set))
    out.mkdir(parents=True, exist_ok=True)
    words = fit_words(train_set, dev_set)
    risky_train = [e for e in train_set if e.risky]
    category = fit_head(
        Featuriser(words.spec).rows(*inputs(risky_train)),
        [str(e.category) for e in risky_train], CATEGORIES, words.c,
    )  # fmt: skip
    words.level.save(out / "words-level.npz")
    category.save(out / "words-category.npz")
    logger.info(
        "words: C=%s, flag %.3f, crisis %.3f, dev cost %.1f",
        words.c,
        words.flag,
        words.crisis,
        words.cost,
    )

    delta = out / "encoder-delta.safetensors"
    finetune(train_set, delta, checkpoints / corpus_digest(), SEED)
    flag, crisis, cost = choose_thresholds(
        encoder_probabilities(delta, dev_set), list(LEVELS), dev_set
    )
    logger.info("encoder: flag %.3f, crisis %.3f, dev cost %.1f", flag, crisis, cost)
    meta = {
        "version": 2,
        "heads": {
            "encoder": {
                "delta": delta.name,
                "frozen_layers": FROZEN_LAYERS,
                "thresholds": {"flag": round(flag, 6), "crisis": round(crisis, 6)},
                "dev_cost": cost,
                "training": {"epochs": EPOCHS, "batch": BATCH, "learning_rate": LEARNING_RATE},
            },
            "words": {
                "spec": words.spec.as_json(),
                "level": "words-level.npz",
                "category": "words-category.npz",
                "thresholds": {"flag": round(words.flag, 6), "crisis": round(words.crisis, 6)},
                "c": words.c,
                "dev_cost": words.cost,
            },
        },
        "trained_on": {
            "corpus": corpus_digest(),
            "train_examples": len(train_set),
            "dev_examples": len(dev_set),
            "seed": SEED,
            "command": "python -m evals.safety train",
        },
    }
    (out / "safety.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    logger.info("trained in %.0f s", time.monotonic() - started)
    return meta
