"""Message text as the safety classifier reads it: normalised, and long messages in windows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from coach.text import split_sentences

WINDOW_WORDS = 80  # a window is at most this many words: well inside the embedder's 256 tokens
SHORT_WORDS = 120  # messages up to this long are read whole
MAX_WINDOWS = 64  # beyond about 5,000 words only the floor reads the rest
CONTEXT_MESSAGES = 3

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Compatibility-normalised, straight quotes, no control characters, single spaces."""
    text = text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def recent(context: Sequence[str]) -> list[str]:
    """The last few earlier messages, normalised, empty ones dropped."""
    cleaned = [normalise(message) for message in context if isinstance(message, str)]
    return [message for message in cleaned if message][-CONTEXT_MESSAGES:]


def windows(text: str) -> tuple[list[str], bool]:
    """The message whole if short, else overlapping windows of whole sentences.

    Returns the windows and whether the message was longer than ``MAX_WINDOWS`` of them (the
    floor then reads the rest).
    """
    if len(text.split()) <= SHORT_WORDS:
        return [text], False
    pieces: list[str] = []
    for sentence in split_sentences(text):
        words = sentence.split()
        pieces += [
            " ".join(words[i : i + WINDOW_WORDS]) for i in range(0, len(words), WINDOW_WORDS)
        ]
    found: list[str] = []
    start = 0
    while start < len(pieces) and len(found) < MAX_WINDOWS:
        end, size = start, 0
        while end < len(pieces) and size + len(pieces[end].split()) <= WINDOW_WORDS:
            size += len(pieces[end].split())
            end += 1
        end = max(end, start + 1)
        found.append(" ".join(pieces[start:end]))
        start = end - 1 if end - start > 1 else end  # windows share a sentence
    return found, start < len(pieces)
