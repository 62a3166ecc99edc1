"""Small text helpers shared by the guard and the session."""

from __future__ import annotations

import re
import unicodedata

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[A-Za-z0-9’']+")
_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences at ``.``, ``!`` or ``?`` followed by space."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, with curly apostrophes made straight."""
    return [word.lower().replace("’", "'") for word in _WORD.findall(text)]


def clean(text: str) -> str:
    """Normalise Unicode, drop control characters and unpaired surrogates, keep line breaks."""
    text = text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def shorten(text: str, limit: int) -> str:
    """Keep the start and the end of a text that is over ``limit`` characters."""
    if len(text) <= limit:
        return text
    marker = " [...] "
    head = (limit - len(marker)) * 2 // 3
    tail = limit - len(marker) - head
    return text[:head].rstrip() + marker + text[len(text) - tail :].lstrip()


def markdown_literal(text: str) -> str:
    """Text that Markdown shows exactly as typed: no links, images, HTML, maths or formatting."""
    escaped = _MARKDOWN_SIGNS.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")


# Words a quoted or trimmed phrase should not end on.
_DANGLING = {
    "the",
    "a",
    "an",
    "to",
    "of",
    "and",
    "or",
    "in",
    "on",
    "at",
    "for",
    "with",
    "my",
    "your",
    "his",
    "her",
    "their",
    "as",
    "by",
    "from",
    "that",
    "but",
    "last",
    "about",
    "so",
    "because",
    "when",
    "if",
    "than",
    "our",
    "its",
    "this",
    "these",
    "those",
}
_JOINS = {"and", "or", "but", "so"}
# Words that end a whole clause well ("leading projects before") but not a cut one.
_DANGLING_WHEN_CUT = _DANGLING | {
    "after",
    "before",
    "into",
    "until",
    "while",
    "during",
    "without",
    "over",
    "under",
    "through",
    "between",
    "against",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "would",
    "could",
    "should",
    "will",
    "can",
    "might",
    "must",
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "we",
    "we're",
    "he",
    "she",
    "they",
    "it's",
    "not",
    "actually",
    "really",
    "just",
    "also",
    "even",
    "still",
    "very",
}


def shorten_phrase(phrase: str, max_words: int) -> str:
    """At most ``max_words`` words, not ending on a dangling word like 'and' or 'the'."""
    all_words = phrase.split()
    kept = all_words[:max_words]
    dangling = _DANGLING
    if len(all_words) > max_words:
        dangling = _DANGLING_WHEN_CUT
        # A cut phrase ends best where a part of it ends: before its last "and", "or", "but", "so".
        joins = [i for i, word in enumerate(kept) if word.lower() in _JOINS and i >= 3]
        if joins:
            kept = kept[: joins[-1]]
    while len(kept) > 2 and kept[-1].lower().strip(".,") in dangling:
        kept.pop()
    return " ".join(kept)
