"""The safety screen's cost per message, against the all-MiniLM-L6-v2 embedding of the same
message (what the note store computes for recall)."""

from __future__ import annotations

import time
from collections.abc import Callable

from benchmarks.results import Result, percentile, result
from benchmarks.turn import CONVERSATIONS
from coach.memory import minilm_onnx
from coach.safety import SafetyClassifier


def _times(action: Callable[[str, list[str]], object], rounds: int) -> list[float]:
    spent = []
    for _ in range(rounds):
        for conversation in CONVERSATIONS:
            for index, message in enumerate(conversation):
                start = time.perf_counter()
                action(message, conversation[:index])
                spent.append((time.perf_counter() - start) * 1000)
    return spent


def safety_cost(rounds: int = 20) -> list[Result]:
    """Median and p95 per message: the fine-tuned encoder and the words head, each beside the
    embedding of the message alone, timed in the same run."""
    encoder, words = SafetyClassifier(head="encoder"), SafetyClassifier(head="words")
    embed = minilm_onnx.shared().encode
    for warm in (encoder.screen, words.screen):
        warm("warm up", [])
    embed(["warm up"])
    embedding = _times(lambda message, _: embed([message]), rounds)
    screened = {"encoder": _times(encoder.screen, rounds), "words": _times(words.screen, rounds)}
    found = []
    for q in (50, 95):
        base = percentile(embedding, q)
        for name, times in screened.items():
            found.append(
                result(
                    f"safety screen p{q}, {name} head",
                    percentile(times, q),
                    "ms",
                    len(times),
                    f"MiniLM embedding of the message p{q}",
                    base,
                )
            )
    return found


if __name__ == "__main__":
    for row in safety_cost():
        print(row)
