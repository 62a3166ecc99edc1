"""Turn latency: the coach's own overhead, and a full turn on the embedded model."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.results import Result, percentile, result
from coach.providers import ScriptedProvider
from coach.session import CoachSession
from coach.session.prompting import build_messages
from coach.session.transcript import TranscriptRecord
from coach.settings import load_settings

DILEMMAS = [
    "My manager keeps presenting my ideas in meetings as if they were his.",
    "I have an offer from a startup but I'm scared to leave my stable job.",
    "I want to ask a senior engineer to mentor me but I don't know how.",
    "I'm leading my first project and one teammate keeps missing deadlines.",
    "My cofounder wants to raise money and I want to stay small.",
    "I got harsh feedback in my review and I don't agree with it.",
    "I keep working weekends and my partner is unhappy about it.",
    "I can't decide whether to go back to school for a master's degree.",
]
REPLY = "It sounds like that matters to you. What would a good outcome look like?"


def _ms(seconds: float) -> float:
    return seconds * 1000


def overhead(turns: int) -> list[Result]:
    """Everything but the model call, against the bare scripted-model call."""
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(provider="scripted", data_dir=Path(data_dir))
        provider = ScriptedProvider()
        session = CoachSession(provider, settings, user="bench")
        bare, full = [], []
        for index in range(turns):
            messages = build_messages("reality", session.records[-6:], 4000)
            provider.enqueue(REPLY)
            start = time.perf_counter()
            "".join(provider.stream(messages))
            bare.append(time.perf_counter() - start)
            provider.enqueue(REPLY)
            start = time.perf_counter()
            session.turn(DILEMMAS[index % len(DILEMMAS)])
            full.append(time.perf_counter() - start)
    own = [f - b for f, b in zip(full, bare, strict=True)]
    return [
        result(
            "turn overhead p50",
            _ms(percentile(own, 50)),
            "ms",
            turns,
            "scripted model call p50",
            _ms(percentile(bare, 50)),
        ),
        result(
            "turn overhead p95",
            _ms(percentile(own, 95)),
            "ms",
            turns,
            "scripted model call p95",
            _ms(percentile(bare, 95)),
        ),
    ]


def embedded(turns: int) -> list[Result]:
    """A full coach turn on SmolLM2 against raw llama-cpp-python on the same prompt."""
    from coach.prompts import load_grammar
    from coach.providers import get_provider
    from coach.providers.local import LocalProvider

    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(provider="local", data_dir=Path(data_dir))
        provider = get_provider(settings)
        assert isinstance(provider, LocalProvider)
        llm = provider._llm
        from llama_cpp import LlamaGrammar

        grammar = LlamaGrammar.from_string(load_grammar(), verbose=False)
        raw, full, tokens_per_s, outcomes = [], [], [], []
        for index in range(turns):
            dilemma = DILEMMAS[index % len(DILEMMAS)]
            record = TranscriptRecord(role="mentee", text=dilemma, stage="dilemma")
            messages = [m.model_dump() for m in build_messages("dilemma", [record], 4000)]
            start = time.perf_counter()
            answer = llm.create_chat_completion(
                messages=messages, grammar=grammar, max_tokens=48, temperature=0.3, seed=7
            )
            elapsed = time.perf_counter() - start
            raw.append(elapsed)
            tokens_per_s.append(answer["usage"]["completion_tokens"] / elapsed)
            session = CoachSession(provider, settings, user="bench")
            start = time.perf_counter()
            outcomes.append(session.turn(dilemma).outcome)
            full.append(time.perf_counter() - start)
    model_share = sum(1 for o in outcomes if o == "model") / len(outcomes)
    return [
        result(
            "embedded turn p50",
            percentile(full, 50),
            "s",
            turns,
            "raw llama-cpp call p50",
            percentile(raw, 50),
        ),
        result(
            "embedded turn p95",
            percentile(full, 95),
            "s",
            turns,
            "raw llama-cpp call p95",
            percentile(raw, 95),
        ),
        result(
            "embedded tokens per second (median)", percentile(tokens_per_s, 50), "tokens/s", turns
        ),
        result("embedded turns answered by the model (not fallback)", model_share, "share", turns),
    ]
