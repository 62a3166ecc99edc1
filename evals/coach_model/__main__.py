"""``python -m evals.coach_model train|stats``: train the coaching adapter, or describe the corpus.

- ``train``: LoRA on the train split (dev loss after each epoch), converted to GGUF and written
  to ``coach/providers/adapter`` with what it was trained on. Resumes from ``--work``.
  ``--tiny`` runs the whole pipeline on four conversations for a few steps, into ``--work``
  only (the test suite does this).
- ``stats``: size and diversity of each split.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from pathlib import Path

from evals.coach_model.convert import to_gguf
from evals.coach_model.corpus import corpus_digest, diversity, load_corpus, of_split
from evals.coach_model.train import SEED, Recipe, train

OUT = Path(__file__).parent / "out"


def run_training(work: Path, tiny: bool, epochs: int | None) -> Path:
    from coach.providers.coaching_adapter import (
        ADAPTER_DIR,
        adapter_meta_path,
        base_identity,
        digest,
    )
    from coach.providers.embedded_model import shipped_model_path

    corpus = load_corpus()
    train_set, dev_set = of_split(corpus, "train"), of_split(corpus, "dev")
    recipe = Recipe()
    if tiny:
        train_set, dev_set = train_set[:4], dev_set[:1]
        recipe = Recipe(max_steps=3, batch_tokens=1024, max_tokens=384)
    elif epochs:
        recipe = Recipe(epochs=epochs)
    started = time.monotonic()
    model_file = shipped_model_path()
    adapter = train(train_set, dev_set, model_file, work, recipe, SEED, corpus_digest())
    target = work / "coach.lora.gguf"
    to_gguf(adapter, work / "base", target)
    meta = {
        "file": "coach.lora.gguf",
        "sha256": digest(target.read_bytes()),
        "base": base_identity(model_file),
        "trained_on": {
            "corpus": corpus_digest(),
            "train_conversations": len(train_set),
            "dev_conversations": len(dev_set),
            "seed": SEED,
            "recipe": recipe.as_json(),
            "command": "make train-model",
            "minutes": round((time.monotonic() - started) / 60, 1),
        },
        "trained": json.loads((work / "trained.json").read_text()),
    }
    (work / "adapter.json").write_text(json.dumps(meta, indent=2) + "\n")
    logging.info("adapter: %s (%.1f MB)", target, target.stat().st_size / 1e6)
    if not tiny:
        ADAPTER_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, ADAPTER_DIR / target.name)
        shutil.copy(work / "adapter.json", adapter_meta_path())
        logging.info("installed in %s", ADAPTER_DIR)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["train", "stats"])
    parser.add_argument("--work", type=Path, help="default: out/training, or out/tiny")
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--epochs", type=int)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    if args.command == "stats":
        corpus = load_corpus()
        for split in ("train", "dev", "test"):
            print(split, json.dumps(diversity(of_split(corpus, split))))
        print("all", json.dumps(diversity(corpus)))
        return 0
    work = args.work or OUT / ("tiny" if args.tiny else "training")
    run_training(work, args.tiny, args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
