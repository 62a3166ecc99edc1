"""Turn latency: the coach's own overhead, and a full turn on the embedded model."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.results import Result, percentile, result
from coach.memory import NoteStore, get_embedder
from coach.memory.recall import SessionMemory
from coach.providers import Provider, ScriptedProvider
from coach.session import CoachSession
from coach.session.prompting import build_messages
from coach.settings import load_settings


def _ms(seconds: float) -> float:
    return seconds * 1000


# Replies that pass the guard first time, so no repair call hides in the overhead.
REPLIES = [
    "It sounds like that matters to you. What would a good outcome look like?",
    "That stung. What did you notice in yourself right then?",
    "You're carrying a lot here. What feels most pressing?",
    "There's a possibility taking shape. How might it land with the people involved?",
    "You've named a next step. What could get in its way?",
]


def overhead(
    conversations: int, stored_notes: int = 10_000, database_url: str | None = None
) -> list[Result]:
    """Everything but the model call (guard, memory recall over ``stored_notes`` notes of the
    user's, commitments, transcripts in the records database: SQLite in a temporary folder, or
    ``database_url``), against the bare scripted-model call.

    Each conversation is a new session, so first turns (which also read the commitments to
    follow up) count as well as later ones. One unmeasured conversation first loads the embedder
    and opens the index, as the app's warm-up does before the mentee's first words.
    """
    from benchmarks.search import _fill, _texts

    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(
            provider="scripted", data_dir=Path(data_dir), database_url=database_url
        )
        provider = ScriptedProvider()
        embedder = get_embedder(settings)
        store = NoteStore.open(settings, embedder)
        texts = _texts(stored_notes, random.Random(3))
        _fill(store, texts, np.asarray(embedder.embed(texts), dtype=np.float32), user="bench")
        bare: list[float] = []
        full: list[float] = []
        for index in range(conversations + 1):
            memory = SessionMemory(store, "bench", settings.recall_threshold)
            session = CoachSession(provider, settings, user="bench", memory=memory)
            for turn, said in enumerate(CONVERSATIONS[index % len(CONVERSATIONS)]):
                reply = REPLIES[turn % len(REPLIES)]
                messages = build_messages("reality", session.records[-6:], 4000)
                provider.enqueue(reply)
                start = time.perf_counter()
                "".join(provider.stream(messages))
                spent = time.perf_counter() - start
                provider.enqueue(reply)
                start = time.perf_counter()
                outcome = session.turn(said).outcome
                took = time.perf_counter() - start
                if outcome != "model":
                    raise RuntimeError(f"a benchmark reply did not pass the guard: {reply!r}")
                if index:  # the first conversation is the warm-up
                    bare.append(spent)
                    full.append(took)
    own = [f - b for f, b in zip(full, bare, strict=True)]
    return [
        result(
            f"turn overhead p{q}, {stored_notes} notes stored",
            _ms(percentile(own, q)),
            "ms",
            len(own),
            f"scripted model call p{q}",
            _ms(percentile(bare, q)),
        )
        for q in (50, 95)
    ]


def overhead_on_postgres(
    conversations: int, stored_notes: int, on_sqlite: list[Result]
) -> list[Result]:
    """The same overhead with the records on a local PostgreSQL server (started for the run,
    every commit synced to disk), against the SQLite figures of the same run; nothing where
    PostgreSQL is not installed."""
    from tests.servers import postgres_bin, postgres_server

    if postgres_bin() is None:
        return []
    with postgres_server(durable=True) as url:
        found = overhead(conversations, stored_notes, database_url=url)
    return [
        result(
            f"{row.name}, records on PostgreSQL",
            row.value,
            row.unit,
            row.n,
            f"{sqlite.name}, records on SQLite",
            sqlite.value,
        )
        for row, sqlite in zip(found, on_sqlite, strict=True)
    ]


CONVERSATIONS = [
    [
        "My manager keeps presenting my ideas in meetings as if they were his.",
        "It happened again on Monday with the pricing proposal.",
        "I feel invisible and angry.",
        "Maybe I could send a recap email after meetings.",
        "I'll draft the recap template by Friday.",
    ],
    [
        "Should I quit my job to start a business?",
        "I have savings for a year.",
        "I'm scared of failing in front of my family.",
        "I could start it on weekends first.",
    ],
    [
        "I want to ask a senior engineer to mentor me but I don't know how.",
        "She is very busy and I barely know her.",
        "Maybe I could ask for one coffee chat first.",
    ],
    [
        "I'm leading my first project and one teammate keeps missing deadlines.",
        "He is more senior than me and I don't want to look bossy.",
        "I will talk to him on Thursday.",
    ],
]


def embedded(conversations: int) -> list[Result]:
    """Full coach turns on SmolLM2 (in its own process), each against raw llama-cpp-python in
    this process on the exact messages the turn sent first.

    Both keep their own prompt cache and see the same sequence of prompts, so neither starts
    warmer; the difference is the coach's own work, the process boundary and any repair.
    """
    from llama_cpp import Llama, LlamaGrammar

    from coach.prompts import load_grammar
    from coach.providers import ChatMessage, get_provider
    from coach.providers.local import (
        ADAPTER_SAMPLING,
        MAX_REFLECTING_TOKENS,
        MAX_REPLY_TOKENS,
        SAMPLING,
        LocalProvider,
    )
    from coach.providers.model_worker import CONTEXT_TOKENS, SEED

    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(provider="local", data_dir=Path(data_dir))
        local = get_provider(settings)
        assert isinstance(local, LocalProvider)
        adapter = local.adapter  # with the coaching adapter, the raw call loads it too
        grammar = LlamaGrammar.from_string(
            load_grammar("reflect_question" if adapter else "one_question"), verbose=False
        )
        max_tokens = MAX_REFLECTING_TOKENS if adapter else MAX_REPLY_TOKENS
        sampling = ADAPTER_SAMPLING if adapter else SAMPLING
        llm: Any = Llama(
            model_path=str(local.model_path),
            n_ctx=CONTEXT_TOKENS,
            n_threads=local.threads,
            seed=SEED,
            verbose=False,
            lora_path=str(adapter) if adapter else None,
        )
        sent: list[list[ChatMessage]] = []

        class Recording(Provider):
            name = "local"
            capabilities = local.capabilities

            def describe(self) -> str:
                return local.describe()

            def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
                sent.append(list(messages))
                return local.stream(messages)

        raw, full, tokens_per_s, outcomes = [], [], [], []
        CoachSession(Recording(), settings, user="warm").turn("Warming up the model.")
        for index in range(conversations):
            session = CoachSession(Recording(), settings, user="bench")
            for text in CONVERSATIONS[index % len(CONVERSATIONS)]:
                sent.clear()
                start = time.perf_counter()
                outcomes.append(session.turn(text).outcome)
                full.append(time.perf_counter() - start)
                messages = [m.model_dump() for m in sent[0]]
                start = time.perf_counter()
                answer = llm.create_chat_completion(
                    messages=messages, grammar=grammar, max_tokens=max_tokens, **sampling
                )
                elapsed = time.perf_counter() - start
                raw.append(elapsed)
                tokens_per_s.append(answer["usage"]["completion_tokens"] / elapsed)
    turns = len(full)
    share = {name: sum(1 for o in outcomes if o == name) / turns for name in set(outcomes)}
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
            "embedded tokens per second incl. prompt (median)",
            percentile(tokens_per_s, 50),
            "tokens/s",
            turns,
        ),
        *[
            result(f"embedded turns ending in {name}", value, "share", turns)
            for name, value in sorted(share.items())
        ],
    ]


def overhead_share(overheads: list[Result], embedded_turns: list[Result]) -> list[Result]:
    """The overhead against a whole embedded-model turn at the same percentile: the ratio is
    the share of the turn that is the coach's own work."""
    shares = []
    for q in (50, 95):
        own = next(r for r in overheads if r.name.startswith(f"turn overhead p{q},"))
        whole = next(r for r in embedded_turns if r.name == f"embedded turn p{q}")
        shares.append(
            result(
                f"turn overhead p{q} against an embedded turn",
                own.value,
                "ms",
                min(own.n, whole.n),
                f"embedded turn p{q}",
                whole.value * 1000,
            )
        )
    return shares
