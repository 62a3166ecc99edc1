"""What every labelled corpus of the project shares: the split by family, and a digest of its
files that a trained model records.

A family (a phrasing and its variants, or a conversation and its turns) always lands in one
split, decided by a hash of its id, so adding families never moves an existing one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

Split = Literal["train", "dev", "test"]
Item = TypeVar("Item")


def split_of(family: str, train_share: int, dev_share: int) -> Split:
    """``train_share`` percent of families to train, ``dev_share`` to dev, the rest to test."""
    bucket = int(hashlib.sha256(family.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < train_share:
        return "train"
    return "dev" if bucket < train_share + dev_share else "test"


def corpus_digest(folder: Path) -> str:
    """A short hash of every ``*.jsonl`` file in ``folder``, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def read_jsonl(folder: Path, parse: Callable[[dict[str, Any], Path, int], Item]) -> list[Item]:
    """``parse(fields, path, line number)`` of every line of every ``*.jsonl`` file in
    ``folder``, in file order; a line that does not parse names its file and line."""
    found: list[Item] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                found.append(parse(json.loads(line), path, number))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path.name}:{number}: {exc}") from exc
    return found
