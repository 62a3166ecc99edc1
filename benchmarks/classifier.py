"""Talk-act classifier throughput on one core (the rules, the default, and the learned heads),
against a one-line "?" rule."""

from __future__ import annotations

import time
from collections.abc import Callable

from benchmarks.results import Result, percentile, result
from coach.acts.classifier import classify_learned
from coach.acts.rules import classify_by_rules

UTTERANCES = [
    ("What would you like to get out of today?", None),
    ("Mm-hmm.", None),
    ("It sounds like you feel invisible when he presents your work.", "He presents my work."),
    ("You should talk to HR about it before it gets worse.", None),
    ("So, knowing all that, what will you do next?", "I could ask for a transfer."),
    ("Research shows that most people overestimate how much others notice mistakes.", None),
    ("Do you want the promotion, or is it what others expect of you?", None),
    ("Yeah. Okay. So on one hand the money matters, and on the other you want freedom.", None),
    ("Have you considered just quitting?", "I hate this job."),
    ("Hi Sam, thanks for coming in today.", None),
]


def question_mark_rule(text: str) -> bool:
    return "?" in text


def _rate(
    function: Callable[..., object], items: list[tuple[str, str | None]], rounds: int
) -> list[float]:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text, context in items:
            function(text, context)
        rates.append(len(items) / (time.perf_counter() - start))
    return rates


def throughput(utterances: int) -> list[Result]:
    items = (UTTERANCES * (utterances // len(UTTERANCES) + 1))[:utterances]
    classify_by_rules(*items[0])  # load the lexicon and the heads outside the timing
    classify_learned(*items[0])
    rules = _rate(classify_by_rules, items, 5)
    learned = _rate(classify_learned, items, 5)
    baseline = _rate(lambda text, context: question_mark_rule(text), items, 5)
    return [
        result(
            f"classifier throughput, {name} (median of 5)",
            percentile(rates, 50),
            "utterances/s",
            utterances,
            "'?' rule",
            percentile(baseline, 50),
        )
        for name, rates in (("rules", rules), ("learned heads", learned))
    ]
