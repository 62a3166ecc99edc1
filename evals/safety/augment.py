"""Clear risk after everyday talk: copies of the train split's clear crises read after a coaching
session's earlier messages.

In the corpus, a message with context is far more often safe than one without (most context is
coaching talk, and all of that is safe), so a screen can learn to read any everyday context as a
sign of safety and miss "i want to die" said after two messages about rotas. A clear crisis is a
crisis whatever came before it, so each one with no context is also learned after the messages
of a coaching session of the train split. Only clear crises are copied: a check-in's ambiguity
can depend on what came before ("I'm done" after a deadline), and the corpus's safe twins say so.
Both heads learn from the copies. Since both weigh the levels equally, the crises that came with
context of their own weigh about half as much as before.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from coach.safety.text import CONTEXT_MESSAGES
from evals.safety.corpus import Example


def everyday_contexts(examples: Sequence[Example]) -> list[tuple[str, ...]]:
    """Each coaching-session message with the ones before it (the last three): the session so
    far, as the screen would see it one message later."""
    return [(*e.context, e.text)[-CONTEXT_MESSAGES:] for e in examples if e.coaching]


def with_everyday_context(train: Sequence[Example], seed: int) -> list[Example]:
    """``train`` and, for each clear crisis without context, a copy after everyday talk."""
    contexts = everyday_contexts(train)
    if not contexts:
        return list(train)
    pick = random.Random(seed)
    copies = [
        e.model_copy(update={"context": pick.choice(contexts)})
        for e in train
        if e.level == "crisis" and not e.context
    ]
    return [*train, *copies]
