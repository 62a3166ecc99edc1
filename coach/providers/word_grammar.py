"""A grammar made for each reply of the coaching adapter, so that it writes only words it may.

Left free, the adapter's reflections invent what the mentee never said: a day, an amount, a
name, "we'll" for the mentee's team. Here every word of a reply must be one the mentee has
written in this conversation, or one the coaching corpus's coach uses whatever the mentee says
(``adapter/words.json``, made by ``python -m evals.coach_model words``). Facts (amounts, days,
names) and "I" and "we" are never among the corpus's words (``knowledge/reply_words.yaml``), so
they reach a reply only from the mentee's own messages, and "I" and "we" not at all. The
question's corpus words are also those the guard accepts from a model that tends to wander.

The shape is that of ``prompts/reflect_question.gbnf``: at most two reflecting sentences, then
one open question. A reflecting sentence never opens as a question does ("Which of those would
you try first."). A fresh draw after a rejected reply may be told which words to ``avoid`` in
its question, so that it asks something else. Words are matched without regard to case, through
a letter tree, so llama.cpp follows a handful of branches at each character rather than
thousands of words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coach.guard.grounding import stems
from coach.knowledge import grounding_words, reply_words

WORDS_FILE = Path(__file__).parent / "adapter" / "words.json"
_MENTEE_WORD = re.compile(r"[A-Za-z0-9£$€%&'’-]+(?:[.,:][0-9]+)*")
_EDGE = "'-&"
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
MAX_WORD = 24

_SHAPE = r"""
root       ::= (reflection " ")? question
reflection ::= sentence (" " sentence)?
sentence   ::= "\""? rfirst ("'s")? "\""? (sep rword){1,29} "."
question   ::= opener (sep qword){2,14} "?"
opener     ::= "What" | "How" | "Which" | "Who" | "When" | "Where" | "What's"
sep        ::= " " | ", " | "; " | " - "
rword      ::= "\""? rw ("'s")? "\""?
qword      ::= "\""? qw ("'s")? "\""?
"""


@dataclass(frozen=True)
class CorpusWords:
    """The coaching corpus's words a reply may use whatever the mentee said."""

    reflection: frozenset[str]
    question: frozenset[str]


def reply_tokens(text: str) -> list[str]:
    """A text's words as a reply may write them, lower-cased, without a possessive "'s"
    ("£220", "8.40", "co-founder", "colin")."""
    found = []
    for match in _MENTEE_WORD.findall(text):
        word = match.lower().replace("’", "'").strip(_EDGE)
        if word.endswith("'s"):
            word = word[:-2]
        if word and len(word) <= MAX_WORD:
            found.append(word)
    return found


def mentee_words(texts: Iterable[str]) -> set[str]:
    """The mentee's words, less "I" and "we"."""
    said = {word for text in texts for word in reply_tokens(text)}
    return said - set(reply_words().first_person)


def question_content_words(reply: str) -> frozenset[str]:
    """The words of a reply's last question that carry its content ("What would you need to do
    to make it happen?": need, make, happen)."""
    sentences = _SENTENCE_BREAK.split(reply.strip())
    question = sentences[-1] if sentences[-1].endswith("?") else ""
    function = set(grounding_words().function_words)
    return frozenset(w for w in reply_tokens(question) if w not in function)


@cache
def corpus_words(path: Path = WORDS_FILE) -> CorpusWords | None:
    """The corpus's words from ``words.json``, or None if it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        reflection, question = data["reflection"], data["question"]
        if not all(isinstance(w, str) for w in [*reflection, *question]):
            return None
        return CorpusWords(frozenset(reflection), frozenset(question))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def grounded_grammar(
    mentee_texts: Iterable[str], corpus: CorpusWords, avoid: Iterable[str] = ()
) -> str:
    """The GBNF grammar for one reply: the corpus's words and the mentee's, nothing else; its
    question without the words in ``avoid``, in any form."""
    said = mentee_words(mentee_texts)
    reflection = corpus.reflection | said
    rules = [_SHAPE.strip()]
    rules += _tree_rules("rfirst", reflection - set(reply_words().question_starts))
    rules += _tree_rules("rw", reflection)
    avoided = stems(" ".join(avoid))  # "know" goes with "knowing" and "knows"
    question = {w for w in corpus.question | said if not stems(w) & avoided}
    rules += _tree_rules("qw", question)
    return "\n".join(rules) + "\n"


def _tree_rules(name: str, vocabulary: Iterable[str]) -> list[str]:
    """Rules matching exactly the words of ``vocabulary``, in any case, as a letter tree."""
    tree: dict[str, dict] = {}
    for word in sorted(vocabulary):
        if not word or len(word) > MAX_WORD or not all(c.isprintable() for c in word):
            continue
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    rules: list[str] = []
    rules.append(f"{name} ::= {_alternatives(tree, name, rules)}")
    return rules


def _alternatives(node: dict[str, dict], prefix: str, rules: list[str]) -> str:
    """An expression for the branches below ``node``; branching children get their own rule."""
    ends = "" in node
    branches = []
    for index, char in enumerate(sorted(c for c in node if c)):
        child = node[char]
        branches.append(f"{_char(char)} {_continuation(child, f'{prefix}-{index}', rules)}".strip())
    if not branches:
        return '""'
    body = " | ".join(branches)
    return f"({body})?" if ends else (body if len(branches) == 1 else f"({body})")


def _continuation(node: dict[str, dict], name: str, rules: list[str]) -> str:
    """What may follow a character: nothing at a leaf, a chain inline, else a rule of its own."""
    chain = []
    while len(node) == 1 and "" not in node:
        (char, node), *_ = node.items()
        chain.append(_char(char))
    if set(node) <= {""}:
        return " ".join(chain)
    rules.append(f"{name} ::= {_alternatives(node, name, rules)}")
    return " ".join([*chain, name])


def _char(char: str) -> str:
    if char.isalpha() and char.lower() != char.upper():
        return f"[{char.lower()}{char.upper()}]"
    return json.dumps(char, ensure_ascii=False)
