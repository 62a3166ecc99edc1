"""Text helpers: sentences, words and phrases. The one place text is split into sentences."""

from __future__ import annotations

import re
import unicodedata

from coach.knowledge import language_rules

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_SENTENCE_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+")
_DASH_BREAK = re.compile(r"\s+(?:--|—)\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[A-Za-z0-9’']+")
_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def split_sentences(text: str, *, at_dashes: bool = False) -> list[str]:
    """The sentences of ``text``: split after end marks (and any closing quote or bracket), and
    also at spoken dashes (" -- ", " — ") when ``at_dashes``. The one sentence splitter."""
    parts = _SENTENCE_END.split(text.strip())
    if at_dashes:
        parts = [piece for part in parts for piece in _DASH_BREAK.split(part)]
    return [part.strip() for part in parts if part.strip()]


def sentence_groups(text: str, max_words: int) -> list[str]:
    """``text`` in consecutive groups of whole sentences of at most ``max_words`` words each (a
    longer sentence is cut at that many words). Line breaks end a sentence too."""
    groups: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        for sentence in split_sentences(line):
            said = sentence.split()
            for start in range(0, len(said), max_words):
                chunk = said[start : start + max_words]
                if current and len(current) + len(chunk) > max_words:
                    groups.append(" ".join(current))
                    current = []
                current += chunk
    if current:
        groups.append(" ".join(current))
    return groups


def sentence_ends(text: str) -> list[int]:
    """Where each complete sentence of ``text`` ends (after the space that follows it): what a
    streamed reply can release so far."""
    return [match.end() for match in _SENTENCE_BOUNDARY.finditer(text)]


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


def shorten_phrase(phrase: str, max_words: int) -> str:
    """At most ``max_words`` words, not ending on a dangling word like 'and' or 'the'."""
    all_words = phrase.split()
    kept = all_words[:max_words]
    rules = language_rules()
    dangling = rules.dangling
    if len(all_words) > max_words:
        dangling = rules.dangling_after_cut
        # A cut phrase ends best where a part of it ends: before its last "and", "or", "but", "so".
        joins = [i for i, word in enumerate(kept) if word.lower() in rules.joins and i >= 3]
        if joins:
            kept = kept[: joins[-1]]
    while len(kept) > 2 and kept[-1].lower().strip(".,") in dangling:
        kept.pop()
    return " ".join(kept)
