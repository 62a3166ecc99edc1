"""The debrief: questions about what the mentee said, in their own words, never advice."""

from __future__ import annotations

from collections.abc import Sequence

from coach.acts import classify
from coach.roleplay.book import RolePlayScenario, roleplay_book
from coach.text import split_sentences

QUOTE_WORDS = 14


def _quote(sentence: str) -> str:
    words = sentence.split()
    quoted = " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")
    return quoted.replace('"', "'")


def debrief(scenario: RolePlayScenario, said: Sequence[str]) -> list[str]:
    """Four questions about the rehearsal, each quoting the mentee. Empty if they said nothing."""
    if not said:
        return []
    book = roleplay_book()
    questions = book.debrief
    name = scenario.counterpart.name
    sentences = [s for text in said for s in split_sentences(text)]
    acts = {s: classify(s) for s in sentences}
    asked = sorted(  # open questions first, in the order they were asked
        (s for s in sentences if acts[s].question), key=lambda s: acts[s].question_type != "open"
    )
    requests = [s for s in sentences if book.is_request(s) and s not in asked[:1]]
    first = split_sentences(said[0])[0] if split_sentences(said[0]) else said[0]
    result = [questions.opening.format(name=name, quote=_quote(first))]
    result.append(
        questions.asked.format(name=name, quote=_quote(asked[0]))
        if asked
        else questions.did_not_ask.format(name=name)
    )
    result.append(
        questions.request.format(name=name, quote=_quote(requests[0]))
        if requests
        else questions.no_request.format(name=name)
    )
    result.append(questions.closing.format(turns=len(said)))
    return result
