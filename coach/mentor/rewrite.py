"""Better versions of a question: open, one at a time, no advice, anchored in the situation."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from coach.acts import classify
from coach.errors import ProviderError
from coach.guard import check_reply
from coach.guard.fallback import mentee_phrase
from coach.mentor.critique import find_flaws
from coach.mentor.lexicon import lexicon_regex, mentor_lexicon
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.providers.structured import ask_for
from coach.text import shorten_phrase, words

MIN_REWRITES = 2
MAX_REWRITES = 3
MAX_TOPIC_WORDS = 8


class _ModelRewrites(BaseModel):
    rewrites: list[str] = Field(min_length=1)


def topic_of(question: str, context: str | None, flaws: Sequence[str] = ()) -> str | None:
    """A short phrase the rewrites are about: from the situation if given, else the question.

    A question that advises, leads or could be asked of anyone carries the mentor's idea, not
    the mentee's topic, so without a situation its rewrites stay general.
    """
    if context:
        phrase = mentee_phrase(context)
        if phrase:
            return trim_phrase(phrase)
    if set(flaws) & {"advice", "leading", "vague"}:
        return None
    first = re.split(r"[?,;]| and | or ", question)[0]
    remainder = lexicon_regex("flawed_opener").sub("", first).strip(" .?!\"'")
    if len(words(remainder)) < 2 or lexicon_regex("open_start").match(remainder):
        return None  # nothing to lift out of an open question: it is its own best phrasing
    return trim_phrase(remainder)


def trim_phrase(phrase: str) -> str:
    """At most eight words, not ending on a dangling word like 'and' or 'the'."""
    return shorten_phrase(phrase, MAX_TOPIC_WORDS).replace('"', "'")


def acceptable(question: str) -> bool:
    """An open question the guard passes and the critique finds nothing wrong with."""
    act = classify(question)
    return act.question_type == "open" and check_reply(question).passed and not find_flaws(question)


def rule_rewrites(
    question: str, context: str | None = None, flaws: Sequence[str] = ()
) -> list[str]:
    """At least two acceptable rewrites, built from stems around the topic; always works."""
    lexicon = mentor_lexicon()
    topic = topic_of(question, context, flaws)
    stems = lexicon.rewrite_stems if topic else []
    candidates = [stem.format(topic=f'"{topic}"') for stem in stems]
    candidates += lexicon.plain_rewrites
    chosen: list[str] = []
    for candidate in candidates:
        if candidate not in chosen and acceptable(candidate):
            chosen.append(candidate)
        if len(chosen) == MAX_REWRITES:
            break
    return chosen


def model_rewrites(
    provider: ChatProvider, question: str, context: str | None, problems: list[str]
) -> list[str]:
    """Rewrites from a capable model, kept only if they pass the guard; [] if it fails."""
    prompt = render(
        "mentor_rewrite",
        question=json.dumps(question, ensure_ascii=False),
        context=json.dumps(context or "not given", ensure_ascii=False),
        problems="; ".join(problems) or "none",
    )
    try:
        reply = ask_for(
            provider,
            [ChatMessage(role="user", content=prompt)],
            _ModelRewrites,
            "mentor_rewrite_fix",
        )
    except (ValueError, ProviderError):
        return []
    return [text.strip() for text in reply.rewrites if acceptable(text.strip())][:MAX_REWRITES]
