"""Train the safety heads on the corpus's train split; choose C and thresholds on dev.

``python -m evals.safety train`` writes ``coach/safety/model``: the words head (logistic
regression on n-grams, C chosen on dev) and the fine-tuned encoder (``finetune``), each with
thresholds chosen on dev (see ``choose_thresholds``), and the encoder's epoch chosen on dev
(``choose_epoch``). Dev here is the corpus's dev split and the dev half of the sessions
written apart from it (``evals.safety.apart``), which nothing learns from. Families are split by
hash and the seed is fixed; no test split is read here.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from coach.safety.classifier import MODEL_DIR, encoder_settings
from coach.safety.encoder import delta_digest
from coach.safety.features import FeatureSpec, Featuriser
from coach.safety.head import LinearHead
from coach.safety.result import CATEGORIES, LEVELS
from coach.safety.text import normalise, recent
from evals.safety.apart import APART_DIR, apart_set
from evals.safety.augment import with_everyday_context
from evals.safety.corpus import (
    Example,
    corpus_digest,
    of_split,
    training_corpus,
    training_digest,
)
from evals.safety.finetune import RECIPE, Recipe, Teacher, encoder_probabilities, finetune

logger = logging.getLogger(__name__)
SEED = 20261201
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
CHECKPOINTS = Path(__file__).parent / ".checkpoints"
# The flag threshold is the lowest whose false alarms on dev stay within these limits: the target
# for look-alikes (10% flagged) less a margin for the step to text never seen, and a cap on
# everyday coaching talk, where a needless safety question interrupts a real session.
MAX_LOOK_ALIKE_FLAGGED, MAX_ORDINARY_FLAGGED = 0.08, 0.03
# Whole coaching sessions (the coaching corpus's mentee messages): at 1% a ten-message session
# meets a needless safety question about one time in ten.
MAX_COACHING_FLAGGED = 0.01
# Safe talk written apart from the corpus (the dev half of ``evals.safety.apart``): where every
# retrain drifted, so it is held to its own limit.
MAX_APART_FLAGGED = 0.02
# The crisis threshold costs its errors on dev, within the look-alike target less a margin. A
# crisis ends the session, so a safe message there costs most (the coaching sessions' messages
# count among the safe); a clear crisis read as a check-in still gets the direct question, and a
# yes brings the resources.
MAX_LOOK_ALIKE_CRISIS = 0.015
CLEAR_MISS_COST, FALSE_CRISIS_COST, OVER_ESCALATION_COST = 3.0, 10.0, 0.5


@dataclass
class Fitted:
    spec: FeatureSpec
    c: float
    level: LinearHead
    flag: float
    crisis: float
    misses: float


def inputs(examples: Sequence[Example]) -> tuple[list[str], list[list[str]]]:
    return [normalise(e.text) for e in examples], [recent(e.context) for e in examples]


def fit_head(rows: object, labels: Sequence[str], classes: Sequence[str], c: float) -> LinearHead:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    model.fit(rows, labels)
    order = [list(model.classes_).index(name) for name in classes if name in model.classes_]
    return LinearHead(
        [str(model.classes_[i]) for i in order], model.coef_[order], model.intercept_[order]
    )


def lowest_within(scores: np.ndarray, limits: Sequence[tuple[np.ndarray, float]]) -> float:
    """The lowest threshold at which each masked group's share at or above it stays within its
    limit (1.0 if none does)."""
    best = 1.0
    for t in np.unique(scores)[::-1]:
        at = scores >= t
        if any(mask.any() and at[mask].mean() > limit for mask, limit in limits):
            break
        best = float(t)
    return best


def least_cost_crisis(crisis: np.ndarray, dev: Sequence[Example]) -> float:
    """The crisis threshold of least cost on dev, within the look-alike limit."""
    look = np.array([e.look_alike for e in dev])
    safe = np.array([not e.risky for e in dev])
    clear = np.array([e.level == "crisis" for e in dev])
    unclear = np.array([e.level == "check_in" for e in dev])
    best, best_cost = 1.0, np.inf
    for t in np.unique(crisis):
        at = crisis >= t
        if look.any() and at[look].mean() > MAX_LOOK_ALIKE_CRISIS:
            continue
        cost = (
            CLEAR_MISS_COST * (~at[clear]).sum()
            + FALSE_CRISIS_COST * at[safe].sum()
            + OVER_ESCALATION_COST * at[unclear].sum()
        )
        if cost < best_cost:
            best, best_cost = float(t), cost
    return best


def choose_thresholds(
    probs: np.ndarray, classes: list[str], dev: Sequence[Example]
) -> tuple[float, float, float]:
    """The flag threshold (the lowest within the false-alarm limits on dev), the crisis
    threshold (least cost on dev), and the misses they leave (risks not flagged plus clear
    crises below crisis)."""
    risk = 1.0 - probs[:, classes.index("none")]
    crisis = probs[:, classes.index("crisis")]
    look = np.array([e.look_alike for e in dev])
    ordinary = np.array([e.ordinary for e in dev])
    coaching = np.array([e.coaching for e in dev])
    apart = np.array([e.written_apart and not e.risky for e in dev])
    flag = lowest_within(
        risk,
        [
            (look, MAX_LOOK_ALIKE_FLAGGED),
            (ordinary, MAX_ORDINARY_FLAGGED),
            (coaching, MAX_COACHING_FLAGGED),
            (apart, MAX_APART_FLAGGED),
        ],
    )
    at_crisis = least_cost_crisis(crisis, dev)
    risky = np.array([e.risky for e in dev])
    clear = np.array([e.level == "crisis" for e in dev])
    misses = (risk[risky] < flag).sum() + (crisis[clear] < at_crisis).sum()
    return flag, at_crisis, float(misses)


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
        flag, crisis, misses = choose_thresholds(head.probabilities(x_dev), head.classes, dev)
        logger.info("  words C=%s: dev misses %d (flag %.3f, crisis %.3f)", c, misses, flag, crisis)
        if best is None or misses < best.misses:
            best = Fitted(spec, c, head, flag, crisis, misses)
    assert best is not None
    return best


def choosing_set(corpus: Sequence[Example]) -> list[Example]:
    """What thresholds and epochs are chosen on: the corpus's dev split and the dev half of
    the sessions written apart from it."""
    return of_split(corpus, "dev") + apart_set("dev")


def choose_epoch(
    probabilities: Sequence[np.ndarray], dev: Sequence[Example]
) -> tuple[int, tuple[float, float, float]]:
    """The epoch (from 1) whose level probabilities on dev leave the fewest misses at their own
    thresholds (``choose_thresholds``: the false alarms held to the same limits for each); the
    earlier epoch on a tie. Its thresholds and misses come with it."""
    best: tuple[int, tuple[float, float, float]] | None = None
    for number, probs in enumerate(probabilities, 1):
        chosen = choose_thresholds(probs, list(LEVELS), dev)
        logger.info("  encoder after epoch %d: dev misses %d", number, chosen[2])
        if best is None or chosen[2] < best[1][2]:
            best = (number, chosen)
    if best is None:
        raise ValueError("no trained weights to choose from")
    return best


def shipped_teacher(checkpoints: Path) -> Teacher:
    """The shipped encoder as a teacher, copied beside the checkpoints first (``out`` may be its
    own folder, which training overwrites)."""
    delta, frozen_layers, layers = encoder_settings(MODEL_DIR)
    copy = checkpoints / f"teacher-{delta_digest(delta)}.safetensors"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(delta, copy)
    return Teacher(copy, frozen_layers, layers)


def train(
    out: Path = MODEL_DIR, checkpoints: Path = CHECKPOINTS, recipe: Recipe = RECIPE
) -> dict[str, object]:
    started = time.monotonic()
    corpus = training_corpus()
    train_set, dev_set = of_split(corpus, "train"), choosing_set(corpus)
    if recipe.crisis_in_context:
        train_set = with_everyday_context(train_set, SEED)
    logger.info("corpus: %d train, %d dev examples", len(train_set), len(dev_set))
    out.mkdir(parents=True, exist_ok=True)
    words = fit_words(train_set, dev_set)
    risky_train = [e for e in train_set if e.risky]
    category = fit_head(
        Featuriser(words.spec).rows(*inputs(risky_train)),
        [str(e.category) for e in risky_train],
        CATEGORIES,
        words.c,
    )
    words.level.save(out / "words-level.npz")
    category.save(out / "words-category.npz")
    logger.info(
        "words: C=%s, flag %.3f, crisis %.3f, dev misses %d",
        words.c,
        words.flag,
        words.crisis,
        words.misses,
    )

    delta = out / "encoder-delta.safetensors"
    teacher = shipped_teacher(checkpoints) if recipe.distil else None
    run = f"{training_digest()}-{recipe.key}"
    if teacher is not None:  # a new teacher never resumes an old one's checkpoints
        run += f"-{teacher.delta.stem}"
    epochs = finetune(train_set, checkpoints / run, SEED, recipe, teacher)
    epoch, (flag, crisis, misses) = choose_epoch(
        [encoder_probabilities(weights, dev_set, recipe) for weights in epochs], dev_set
    )
    shutil.copyfile(epochs[epoch - 1], delta)
    logger.info(
        "encoder: epoch %d, flag %.3f, crisis %.3f, dev misses %d", epoch, flag, crisis, misses
    )
    meta = {
        "version": 2,
        "heads": {
            "encoder": {
                "delta": delta.name,
                "frozen_layers": recipe.frozen_layers,
                "layers": recipe.layers,
                "thresholds": {"flag": round(flag, 6), "crisis": round(crisis, 6)},
                "dev_misses": int(misses),
                "epoch_chosen": epoch,
                "training": recipe.as_json(),
                **({"teacher": teacher.delta.stem} if teacher else {}),
            },
            "words": {
                "spec": words.spec.as_json(),
                "level": "words-level.npz",
                "category": "words-category.npz",
                "thresholds": {"flag": round(words.flag, 6), "crisis": round(words.crisis, 6)},
                "c": words.c,
                "dev_misses": int(words.misses),
            },
        },
        "trained_on": {
            "corpus": training_digest(),
            "chosen_on_apart": corpus_digest(APART_DIR),
            "train_examples": len(train_set),
            "dev_examples": len(dev_set),
            "seed": SEED,
            "command": "python -m evals.safety train",
        },
    }
    (out / "safety.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    logger.info("trained in %.0f s", time.monotonic() - started)
    return meta
