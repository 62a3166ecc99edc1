"""Features of an utterance for the learned talk-act heads.

Each utterance becomes a short list of active columns: hashed words, word pairs and sentence
openings (the first words of a sentence say most about whether and how it asks), the words that
echo the other person's previous turn, and the rule cues (``cues.py``) as columns of their own,
so the heads learn when to trust a cue and when a phrasing the cue lists miss means the same.
Hashing needs no vocabulary: the same text gives the same columns in training and in every
install.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass

from coach.acts.cues import SentenceCues, content_words, sentence_cues, sentences, tokens_of
from coach.acts.lexicon import ActLexicon

HASH_BITS = 16
OPENING_WORDS = 3
CUES = (
    "question",
    "open",
    "closed",
    "declarative_question",
    "reflection",
    "advice",
    "advice_in_statement",
    "information",
    "social",
    "you",
    "first_person",
    "question_mark",
    "ends_with_question",
    "echo",
    "one_word",
    "short",
    "long",
    "many_sentences",
)
WIDTH = 2**HASH_BITS + len(CUES)


@dataclass(frozen=True)
class Active:
    """The active columns of one utterance and their values (the hashed part scaled to unit
    length, the cues at one)."""

    columns: tuple[int, ...]
    values: tuple[float, ...]


MASK = 2**HASH_BITS - 1
CUE_COLUMN = {name: 2**HASH_BITS + index for index, name in enumerate(CUES)}


def _cue_columns(found: list[SentenceCues], raw: str, echoed: bool, word_count: int) -> list[int]:
    on: set[str] = set()
    for c in found:
        if c.question:
            on.add("question")
            on.add("open" if c.question_type == "open" else "closed")
        if c.declarative_question:
            on.add("declarative_question")
        if c.reflection:
            on.add("reflection")
        if c.advice:
            on.add("advice")
            if not c.question:
                on.add("advice_in_statement")
        if c.information:
            on.add("information")
        if c.you:
            on.add("you")
        if c.first_person:
            on.add("first_person")
    if found and all(c.social for c in found):
        on.add("social")
    if "?" in raw:
        on.add("question_mark")
        if raw.rstrip(" \"')").endswith("?"):
            on.add("ends_with_question")
    if echoed:
        on.add("echo")
    if word_count <= 4:
        on.add("short")
        if word_count <= 1:
            on.add("one_word")
    elif word_count >= 30:
        on.add("long")
    if len(found) >= 3:
        on.add("many_sentences")
    return sorted(CUE_COLUMN[name] for name in on)


def active(text: str, context: str | None, lexicon: ActLexicon) -> Active:
    """The columns ``text`` turns on, read after the other person's ``context``."""
    parts = sentences(text)
    context_words = content_words(tokens_of(sentences_text(context)), lexicon) if context else set()
    hashed: list[str] = []
    found: list[SentenceCues] = []
    all_tokens: list[str] = []
    for number, sentence in enumerate(parts):
        found.append(sentence_cues(sentence, context_words, lexicon))
        body = lexicon.leading_fillers.sub("", sentence.strip())
        tokens = tokens_of(body)
        all_tokens.extend(tokens)
        last = number == len(parts) - 1
        asks = "?" in sentence
        for size in range(1, OPENING_WORDS + 1):
            if len(tokens) >= size:
                opening = " ".join(tokens[:size])
                hashed.append(f"o:{opening}")
                hashed.append(f"o{'?' if asks else '.'}:{opening}")
                if last:
                    hashed.append(f"l:{opening}")
        hashed.extend(f"w:{token}" for token in tokens)
        hashed.extend(f"b:{a} {b}" for a, b in itertools.pairwise(tokens))
        if tokens:
            hashed.append(f"e:{tokens[-1]}{'?' if asks else ''}")
    mine = content_words(all_tokens, lexicon)
    echoed_words = mine & context_words
    hashed.extend(f"x:{word}" for word in sorted(echoed_words))
    echoed = bool(echoed_words) and len(echoed_words) >= 0.3 * max(1, len(mine))
    counts: dict[int, float] = {}
    crc32 = zlib.crc32
    for feature in hashed:
        column = crc32(feature.encode("utf-8")) & MASK
        counts[column] = counts.get(column, 0.0) + 1.0
    norm = sum(v * v for v in counts.values()) ** 0.5 or 1.0
    columns = list(counts)
    values = [v / norm for v in counts.values()]
    for column in _cue_columns(found, text, echoed, len(all_tokens)):
        columns.append(column)
        values.append(1.0)
    return Active(tuple(columns), tuple(values))


def sentences_text(text: str | None) -> str:
    """The other person's words as one lower-case run of text."""
    return " ".join(sentences(text or ""))
