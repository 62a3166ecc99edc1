"""Checking drawn tokens against the grammar: the same greedy replies as applying the grammar to
every token, and every sampled reply inside the grammar."""

from __future__ import annotations

import re

import pytest

from coach.prompts import load_grammar
from coach.providers.embedded_model import embedded_model_path

pytestmark = pytest.mark.slow

DILEMMAS = [
    "My manager keeps presenting my ideas in meetings as if they were his.",
    "I have an offer from a startup but I'm scared to leave my stable job.",
    "I want to ask a senior engineer to mentor me but I don't know how.",
]
_RULES = load_grammar("one_question")
OPENERS = [
    *re.findall(r'"([^"]+)"', _RULES.split("opener ::=")[1].split("most   ::=")[0]),
    "What is most ",
]


def _messages(dilemma: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You are a coach. Ask one open question."},
        {"role": "user", "content": dilemma},
    ]


@pytest.fixture(scope="module")
def models():  # type: ignore[no-untyped-def]
    from llama_cpp import Llama, LlamaGrammar

    from coach.providers.checked_grammar import CheckedGrammarLlama

    path = str(embedded_model_path())
    plain = Llama(model_path=path, n_ctx=1024, n_threads=2, seed=7, verbose=False)
    checked = CheckedGrammarLlama(model_path=path, n_ctx=1024, n_threads=2, seed=7, verbose=False)
    return plain, checked, LlamaGrammar.from_string(load_grammar("one_question"), verbose=False)


@pytest.mark.parametrize("dilemma", DILEMMAS)
def test_greedy_replies_are_the_same_as_with_the_grammar_on_every_token(  # type: ignore[no-untyped-def]
    models, dilemma: str
) -> None:
    plain, checked, grammar = models
    replies = [
        llm.create_chat_completion(
            messages=_messages(dilemma), grammar=grammar, max_tokens=48, temperature=0.0
        )["choices"][0]["message"]["content"]
        for llm in (plain, checked)
    ]
    assert replies[0] == replies[1]


def test_sampled_replies_stay_inside_the_grammar(models) -> None:  # type: ignore[no-untyped-def]
    _, checked, grammar = models
    # A hot temperature makes the unconstrained draw leave the grammar often, so the fallback
    # that applies the grammar to every token is exercised too.
    for temperature in (0.7, 1.5):
        for dilemma in DILEMMAS * 2:
            reply = checked.create_chat_completion(
                messages=_messages(dilemma),
                grammar=grammar,
                max_tokens=48,
                temperature=temperature,
            )["choices"][0]["message"]["content"]
            assert reply.startswith(tuple(OPENERS)), reply
            assert reply.endswith("?") and reply.count("?") == 1, reply
            assert 5 <= len(reply.split()) <= 16, reply
            assert not reply.endswith(",?"), reply
            assert not reply.startswith(("What is most of", "What is most the")), reply
            assert max(len(word.strip(",?")) for word in reply.split()) <= 15, reply


def test_replies_without_a_grammar_are_unchanged(models) -> None:  # type: ignore[no-untyped-def]
    plain, checked, _ = models
    replies = [
        llm.create_chat_completion(messages=_messages(DILEMMAS[0]), max_tokens=20, temperature=0.0)
        for llm in (plain, checked)
    ]
    assert replies[0]["choices"][0]["message"] == replies[1]["choices"][0]["message"]
