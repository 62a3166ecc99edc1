"""Does a question stay with the mentee? For models that tend to wander off the conversation.

A question is grounded when every content word in it is one the mentee used, one any coaching
question uses, or one of the coach's own question stems and examples, compared by stem, and when
it does not speak of the coach ("What would you ask me?"). Words in ``knowledge/grounding.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import snowballstemmer

from coach.knowledge import grounding_words, stage_book
from coach.prompts import load_examples
from coach.text import words


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def stems(text: str) -> frozenset[str]:
    """The stems of a text's words, with possessives and contractions cut off."""
    return frozenset(_stemmer().stemWords([_bare(word) for word in words(text)]))


def _bare(word: str) -> str:
    """The word without quotes, a possessive or a contraction: "team's" -> "team"."""
    return word.strip("'").split("'")[0]


@cache
def _coaching_stems() -> frozenset[str]:
    """The coaching words, and every word of the coach's own question stems and examples."""
    lexicon = grounding_words()
    own_questions = [stem.replace("{quote}", "") for stem in stage_book().questions]
    own_questions += [example.coach for example in load_examples()]
    return stems(" ".join(lexicon.coaching_words + lexicon.function_words + own_questions))


@cache
def _no_content() -> frozenset[str]:
    """Words never counted as straying: function words, and the coach's own "I" and "me",
    which ``speaks_of_itself`` judges."""
    lexicon = grounding_words()
    return frozenset(lexicon.function_words + lexicon.self_words)


@dataclass(frozen=True)
class Grounding:
    """What the mentee has said so far, as stems."""

    mentee_stems: frozenset[str]

    @classmethod
    def from_messages(cls, messages: Iterable[str]) -> Grounding:
        return cls(stems(" ".join(messages)))

    def strays(self, question: str) -> list[str]:
        """The question's words that neither the mentee nor coaching practice would use."""
        stray = []
        for word in words(question):
            if word in _no_content() or word in stray:
                continue
            stem = _stemmer().stemWord(_bare(word))
            if stem and stem not in self.mentee_stems and stem not in _coaching_stems():
                stray.append(word)
        return stray


def speaks_of_itself(question: str) -> str | None:
    """The first word in which the coach speaks of itself, or None."""
    self_words = grounding_words().self_words
    return next((word for word in words(question) if word in self_words), None)
