"""LoRA on the embedded SmolLM2-135M, trained on the coaching corpus's train split.

The shipped Q4_1 GGUF is read by transformers as float32, LoRA (rank 16 on every projection)
is trained with bfloat16 autocast on the CPU, and checkpoints are written every few minutes so
an interrupted run resumes where it stopped. Progress and loss go to the log.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from evals.coach_model.chat import Example, encode
from evals.coach_model.corpus import Conversation

logger = logging.getLogger(__name__)
SEED = 20261206
TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class Recipe:
    """How the adapter is trained; ``make train-model`` uses the default."""

    rank: int = 16
    alpha: int = 32
    dropout: float = 0.05
    epochs: int = 3
    learning_rate: float = 2e-4
    batch_tokens: int = 3072  # padded tokens per step
    max_tokens: int = 1536  # per conversation (a longer one keeps its start)
    max_steps: int = 0  # 0: as many as the epochs take (a tiny run sets a few)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def base_model(folder: Path, gguf_file: str) -> tuple[Any, Any]:
    """The shipped GGUF as a float32 transformers model, and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder), gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(
        str(folder), gguf_file=gguf_file, dtype=torch.float32
    )
    quantizer: Any = getattr(model, "hf_quantizer", None)
    if quantizer is not None:  # the weights are float32 now; save_pretrained must not quantize
        quantizer.remove_quantization_config(model)
    return model, tokenizer


def batches(examples: Sequence[Example], batch_tokens: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped by length so little is padding; the groups in a shuffled order."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
    groups: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = max([len(examples[i].ids) for i in current] + [len(examples[index].ids)])
        if current and longest * (len(current) + 1) > batch_tokens:
            groups.append(current)
            current = []
        current.append(index)
    if current:
        groups.append(current)
    rng.shuffle(groups)
    return groups


def collate(examples: Sequence[Example], pad_id: int) -> dict[str, Any]:
    import torch

    width = max(len(e.ids) for e in examples)
    ids = [e.ids + [pad_id] * (width - len(e.ids)) for e in examples]
    labels = [e.labels + [-100] * (width - len(e.labels)) for e in examples]
    mask = [[1] * len(e.ids) + [0] * (width - len(e.ids)) for e in examples]
    return {
        "input_ids": torch.tensor(ids),
        "labels": torch.tensor(labels),
        "attention_mask": torch.tensor(mask),
    }


def mean_loss(model: Any, examples: Sequence[Example], pad_id: int, batch_tokens: int) -> float:
    """Loss per learned token over ``examples``, without training."""
    import torch

    total, count = 0.0, 0
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        for group in batches(examples, batch_tokens, random.Random(0)):
            chosen = [examples[i] for i in group]
            out = model(**collate(chosen, pad_id))
            targets = sum(e.targets for e in chosen)
            total += float(out.loss) * targets
            count += targets
    model.train()
    return total / max(1, count)


def train(
    train_set: Sequence[Conversation],
    dev_set: Sequence[Conversation],
    model_file: Path,
    work: Path,
    recipe: Recipe = Recipe(),
    seed: int = SEED,
    digest: str = "",
) -> Path:
    """Train, resuming from ``work/checkpoint.pt`` if it was written for the same corpus
    (``digest``), recipe and seed; return the adapter folder."""
    import torch
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
    from peft.utils import get_peft_model_state_dict

    torch.manual_seed(seed)
    rng = random.Random(seed)
    started = time.monotonic()
    model, tokenizer = base_model(model_file.parent, model_file.name)
    logger.info("base model loaded in %.0f s", time.monotonic() - started)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    train_examples = [encode(c, tokenizer, recipe.max_tokens) for c in train_set]
    dev_examples = [encode(c, tokenizer, recipe.max_tokens) for c in dev_set]
    config = LoraConfig(
        r=recipe.rank,
        lora_alpha=recipe.alpha,
        lora_dropout=recipe.dropout,
        target_modules=list(TARGET_MODULES),
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, config)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=recipe.learning_rate, weight_decay=0.0)
    plans = [batches(train_examples, recipe.batch_tokens, rng) for _ in range(recipe.epochs)]
    total_steps = sum(len(plan) for plan in plans)
    if recipe.max_steps:
        total_steps = min(total_steps, recipe.max_steps)
    warmup = max(1, total_steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda s: (
            min(1.0, (s + 1) / warmup)
            * 0.5
            * (1 + math.cos(math.pi * min(1.0, s / max(1, total_steps))))
        ),
    )
    work.mkdir(parents=True, exist_ok=True)
    checkpoint = work / "checkpoint.pt"
    step = 0
    fingerprint = {"recipe": recipe.as_json(), "corpus": digest, "steps": total_steps, "seed": seed}
    state = torch.load(checkpoint, weights_only=False) if checkpoint.exists() else None
    if state is not None and state.get("plan") != fingerprint:
        logger.info("the checkpoint in %s is for another corpus or recipe; starting again", work)
        state = None
    if state is not None:
        set_peft_model_state_dict(model, state["adapter"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        step = int(state["step"])
        torch.set_rng_state(state["torch_rng"])
        logger.info("resumed at step %d of %d", step, total_steps)
    tokens_total = sum(len(e.ids) for e in train_examples)
    logger.info(
        "%d train conversations (%d tokens, %d learned), %d dev; %d steps",
        len(train_examples),
        tokens_total,
        sum(e.targets for e in train_examples),
        len(dev_examples),
        total_steps,
    )
    flat = [group for epoch in plans for group in epoch][:total_steps]
    if step >= total_steps:
        logger.info("already trained (%d steps); writing the adapter again", step)
    model.train()
    window: list[float] = []
    seen_tokens, clock, last_save = 0, time.monotonic(), time.monotonic()
    while step < total_steps:
        chosen = [train_examples[i] for i in flat[step]]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(**collate(chosen, pad_id)).loss
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        schedule.step()
        step += 1
        window = [*window, float(loss)][-20:]
        seen_tokens += sum(len(e.ids) for e in chosen)
        rate = seen_tokens / max(1e-6, time.monotonic() - clock)
        if step % 10 == 0 or step == total_steps:
            left = sum(len(train_examples[i].ids) for g in flat[step:] for i in g) / rate
            logger.info(
                "step %d/%d  loss %.3f  %.0f tokens/s  %.1f min left",
                step,
                total_steps,
                sum(window) / len(window),
                rate,
                left / 60,
            )
        boundary = any(step == sum(len(p) for p in plans[: e + 1]) for e in range(len(plans)))
        if boundary or step == total_steps or time.monotonic() - last_save > 300:
            torch.save(
                {
                    "adapter": get_peft_model_state_dict(model),
                    "optimiser": optimiser.state_dict(),
                    "schedule": schedule.state_dict(),
                    "step": step,
                    "torch_rng": torch.get_rng_state(),
                    "plan": fingerprint,
                },
                work / "checkpoint.partial",
            )
            (work / "checkpoint.partial").replace(checkpoint)
            last_save = time.monotonic()
            if boundary and dev_examples:
                dev = mean_loss(model, dev_examples, pad_id, recipe.batch_tokens)
                logger.info("step %d: dev loss %.3f", step, dev)
    adapter = work / "adapter"
    model.save_pretrained(str(adapter))
    base: Any = model.base_model.model
    base.config.architectures = [type(base).__name__]  # llama.cpp's converter reads it
    base.config.save_pretrained(str(work / "base"))
    final = mean_loss(model, dev_examples, pad_id, recipe.batch_tokens) if dev_examples else None
    (work / "trained.json").write_text(json.dumps({"steps": step, "dev_loss": final}) + "\n")
    logger.info("adapter written to %s (dev loss %s)", adapter, final)
    return adapter
