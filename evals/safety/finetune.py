"""Fine-tune the safety encoder on the train split (the transformer layers of all-MiniLM-L6-v2
above ``Recipe.frozen_layers``, and two heads), with checkpoints after each epoch so an
interrupted run resumes, and the weights of every epoch kept so that dev can choose among them."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coach.safety.encoder import encoder_text
from coach.safety.result import CATEGORIES, LEVELS
from coach.safety.text import normalise, recent
from evals.safety.corpus import Example

if TYPE_CHECKING:
    from coach.safety.network import SafetyNet

logger = logging.getLogger(__name__)
TRAIN_TOKENS = 192


@dataclass(frozen=True)
class Recipe:
    """How the encoder is trained; ``python -m evals.safety train`` uses the default."""

    frozen_layers: int = 0  # the embeddings and this many lowest layers stay as packaged
    layers: int = 6  # the lowest layers kept: fewer read a message faster
    epochs: int = 4
    batch: int = 16
    learning_rate: float = 1e-4
    # Spreads this share of each target over the other levels (tried at 0.1 with 3 epochs: see
    # the README, "Safety"; not the shipped recipe).
    label_smoothing: float = 0.0
    # Distillation: the share of the loss that follows a teacher screen's level probabilities
    # (softened by ``temperature``) rather than the labels alone. Above 0, the student starts
    # from the teacher's lowest ``layers`` and heads (``finetune``'s ``teacher``).
    distil: float = 0.0
    temperature: float = 2.0
    # Clear crises are also learned after everyday coaching talk (``augment``), so that safe
    # context does not teach the screen to read any context as safety (both heads learn them).
    crisis_in_context: bool = False

    def as_json(self) -> dict[str, float | bool]:
        return asdict(self)

    @property
    def key(self) -> str:
        """Names the recipe's checkpoints (without the distillation fields when it is not
        taught, nor ``crisis_in_context`` when it is off, so checkpoints of the recipes before
        them still resume)."""
        fields = asdict(self)
        if not self.distil:
            del fields["distil"], fields["temperature"]
        if not self.crisis_in_context:
            del fields["crisis_in_context"]
        else:
            fields["crisis_in_context"] = "in-context"
        return "-".join(f"{v}" for v in fields.values())


@dataclass(frozen=True)
class Teacher:
    """A trained screen that teaches: its weights and how many layers it has."""

    delta: Path
    frozen_layers: int
    layers: int

    @property
    def recipe(self) -> Recipe:
        """The recipe that reads it (only its layer settings matter)."""
        return Recipe(frozen_layers=self.frozen_layers, layers=self.layers)


RECIPE = Recipe()
# The teacher's lowest three layers, taught by the teacher and the labels: about half the cost.
DISTILLED = Recipe(layers=3, distil=0.5)
# All six of the teacher's layers, trained on new data while held near the teacher's readings.
ANCHORED = Recipe(epochs=3, distil=0.5)
# The default's six layers and epochs, with clear crises also learned after everyday talk.
IN_CONTEXT = Recipe(crisis_in_context=True)
RECIPES = {
    "default": RECIPE,
    "distilled": DISTILLED,
    "anchored": ANCHORED,
    "in_context": IN_CONTEXT,
}


def texts_of(examples: Sequence[Example]) -> list[str]:
    return [encoder_text(normalise(e.text), recent(e.context)) for e in examples]


def epoch_delta(checkpoints: Path, epoch: int) -> Path:
    """The trained weights after ``epoch`` (counted from 1), as ``save_delta`` stores them."""
    return checkpoints / f"epoch-{epoch}.safetensors"


def soft_targets(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """A teacher's level probabilities, softened: ``softmax(log(p) / temperature)``."""
    logits = np.log(np.clip(probabilities, 1e-9, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def start_from(net: SafetyNet, teacher: Teacher) -> None:
    """Load the teacher's lowest layers and heads into the student ``net``."""
    if net.frozen_layers or teacher.layers < len(net.bert.encoder.layer):
        raise ValueError(
            f"a student of {len(net.bert.encoder.layer)} trained layers cannot start from a "
            f"teacher of {teacher.layers}"
        )
    from coach.safety.network import load_delta

    load_delta(net, teacher.delta)


def finetune(
    train: Sequence[Example],
    checkpoints: Path,
    seed: int,
    recipe: Recipe = RECIPE,
    teacher: Teacher | None = None,
) -> list[Path]:
    """Train; the weights after each epoch, in order (``epoch_delta``; the first is epoch 1).
    With ``recipe.distil`` above 0, ``teacher`` is required: the student starts from its lowest
    layers and heads, and the loss is ``(1 - distil)`` times the labels' (class-balanced)
    cross-entropy plus ``distil * temperature**2`` times the divergence from the teacher's
    softened probabilities."""
    import torch
    from transformers import AutoTokenizer

    from coach.memory.minilm_onnx import model_dir
    from coach.safety.network import SafetyNet, base_model, save_delta

    if recipe.distil and teacher is None:
        raise ValueError("a distilled recipe needs the teacher's weights")
    taught = None
    finished = (checkpoints / f"epoch-{recipe.epochs}.pt").exists()
    if recipe.distil and teacher is not None and not finished:
        # Read before seeding: a first export of the teacher draws random numbers of its own.
        probabilities = encoder_probabilities(teacher.delta, train, teacher.recipe)
        taught = torch.tensor(soft_targets(probabilities, recipe.temperature), dtype=torch.float32)
        logger.info("teacher's probabilities read for %d examples", len(train))
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    net = SafetyNet(base_model(attn="sdpa"), recipe.frozen_layers, recipe.layers)
    texts = texts_of(train)
    if teacher is not None and recipe.distil:
        start_from(net, teacher)
    levels = torch.tensor([LEVELS.index(e.level) for e in train])
    kinds = torch.tensor([CATEGORIES.index(e.category) if e.category else -100 for e in train])
    counts = torch.bincount(levels, minlength=len(LEVELS)).float()
    level_loss = torch.nn.CrossEntropyLoss(
        weight=counts.sum() / (len(LEVELS) * counts), label_smoothing=recipe.label_smoothing
    )
    category_loss = torch.nn.CrossEntropyLoss(ignore_index=-100)
    trainable = [p for p in net.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=recipe.learning_rate, weight_decay=0.01)
    steps = recipe.epochs * ((len(texts) + recipe.batch - 1) // recipe.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
    )
    checkpoints.mkdir(parents=True, exist_ok=True)
    start_epoch = 0
    for epoch in range(recipe.epochs, 0, -1):
        saved = checkpoints / f"epoch-{epoch}.pt"
        if saved.exists():
            state = torch.load(saved, weights_only=False)
            net.load_state_dict(state["net"])
            optimiser.load_state_dict(state["optimiser"])
            schedule.load_state_dict(state["schedule"])
            rng.setstate(state["rng"])
            torch.set_rng_state(state["torch_rng"])
            start_epoch = epoch
            logger.info("resumed after epoch %d", epoch)
            break
    order = list(range(len(texts)))
    net.train()
    started = time.monotonic()
    for epoch in range(start_epoch, recipe.epochs):
        rng.shuffle(order)
        total = 0.0
        for first in range(0, len(order), recipe.batch):
            batch = order[first : first + recipe.batch]
            inputs = tokenizer(
                [texts[i] for i in batch],
                truncation=True,
                max_length=TRAIN_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            level_logits, category_logits = net.logits(**inputs)
            loss = level_loss(level_logits, levels[batch])
            if taught is not None:
                follow = torch.nn.functional.kl_div(
                    torch.log_softmax(level_logits / recipe.temperature, dim=-1),
                    taught[batch],
                    reduction="batchmean",
                )
                loss = (1 - recipe.distil) * loss + (recipe.distil * recipe.temperature**2 * follow)
            if (kinds[batch] >= 0).any():
                loss = loss + 0.5 * category_loss(category_logits, kinds[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        logger.info(
            "epoch %d/%d: loss %.4f, %.0f s",
            epoch + 1,
            recipe.epochs,
            total / len(order),
            time.monotonic() - started,
        )
        # The weights first: a checkpoint on disk always has its epoch's weights beside it.
        save_delta(net.eval(), epoch_delta(checkpoints, epoch + 1))
        net.train()
        torch.save(
            {
                "net": net.state_dict(),
                "optimiser": optimiser.state_dict(),
                "schedule": schedule.state_dict(),
                "rng": rng.getstate(),
                "torch_rng": torch.get_rng_state(),
            },
            checkpoints / f"epoch-{epoch + 1}.pt",
        )
    deltas = [epoch_delta(checkpoints, epoch) for epoch in range(1, recipe.epochs + 1)]
    missing = [delta.name for delta in deltas if not delta.exists()]
    if missing:  # checkpoints written before each epoch's weights were kept
        raise RuntimeError(
            f"{checkpoints} lacks {', '.join(missing)}: its checkpoints predate the weights kept "
            "for each epoch. Delete that folder and train again."
        )
    return deltas


def encoder_probabilities(
    delta: Path, examples: Sequence[Example], recipe: Recipe = RECIPE
) -> np.ndarray:
    """Level probabilities from the exported (int8, ONNX) encoder, as the product runs it."""
    from coach.safety import encoder

    model = encoder.load(delta, recipe.frozen_layers, recipe.layers)
    levels, _ = model.probabilities(texts_of(examples))
    return levels
