"""The coaching adapter writes only the mentee's words and the corpus's coaching words: facts,
names and "I" or "we" reach a reply only from the mentee, and a missing word list leaves the
fixed grammar in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.guard.grounding import Grounding
from coach.knowledge import reply_words
from coach.providers.local import LocalProvider
from coach.providers.word_grammar import (
    WORDS_FILE,
    corpus_words,
    grounded_grammar,
    mentee_words,
    question_content_words,
    reply_tokens,
)
from coach.session.prompting import turn_messages
from coach.transcripts import TranscriptRecord

OPENERS = {"what", "how", "which", "who", "when", "where"}


def test_the_mentee_s_facts_are_kept_and_their_i_and_we_left_out() -> None:
    said = mentee_words(
        ["I've saved £220, and we're 3 weeks behind; Colin's rota is 8.40 an hour."]
    )
    assert {"£220", "3", "weeks", "colin", "rota", "8.40", "saved"} <= said
    assert not said & {"i've", "we're", "i", "we"}


def test_a_rejected_question_s_content_words_are_named_for_the_next_draw() -> None:
    reply = "Eight months at £4.50, and a dry run. What would you need to do to make it happen?"
    assert question_content_words(reply) == {"need", "make", "happen"}
    assert question_content_words("A reflection that asks nothing.") == frozenset()


def test_a_reflection_never_opens_as_a_question_and_avoided_words_leave_the_question() -> None:
    corpus = corpus_words()
    assert corpus is not None
    grammar = grounded_grammar(["I could ask Priya."], corpus, avoid={"need", "happen"})
    rules = _rules(grammar)
    assert "rfirst" in rules["sentence"]
    assert not _matches(rules, "rfirst", "which") and _matches(rules, "rw", "which")
    assert not _matches(rules, "rfirst", "would") and _matches(rules, "rfirst", "you're")
    assert not _matches(rules, "qw", "happen") and _matches(rules, "rw", "happen")
    assert not _matches(rules, "qw", "needing") and not _matches(rules, "qw", "happens")
    assert _matches(rules, "qw", "priya") and _matches(rules, "rfirst", "priya")


def _rules(grammar: str) -> dict[str, str]:
    pairs = (line.split("::=", 1) for line in grammar.splitlines() if "::=" in line)
    return {name.strip(): body.strip() for name, body in pairs}


def _matches(rules: dict[str, str], name: str, word: str) -> bool:
    """Whether the letter tree ``name`` holds ``word`` (a small reader for these rules only)."""
    import re

    token = re.compile(r'\[(\w)\w\]|"((?:[^"\\]|\\.)*)"|([\w-]+)|(\()|(\))\??|(\|)')

    def parse(text: str) -> list:
        alternatives, sequence, stack = [], [], []
        for match in token.finditer(text):
            letter, literal, rule, opened, closed, bar = match.groups()
            if letter or literal is not None:
                sequence.append(("c", (letter or json.loads(f'"{literal}"')).lower()))
            elif rule:
                sequence.append(("r", rule))
            elif opened:
                stack.append((alternatives, sequence))
                alternatives, sequence = [], []
            elif closed is not None or match.group(0).startswith(")"):
                alternatives.append(sequence)
                group = ("g", alternatives, match.group(0).endswith("?"))
                alternatives, sequence = stack.pop()
                sequence.append(group)
            elif bar:
                alternatives.append(sequence)
                sequence = []
        alternatives.append(sequence)
        return alternatives

    def ends(alternatives: list, rest: str) -> set[str]:
        left: set[str] = set()
        for sequence in alternatives:
            left |= along(sequence, rest)
        return left

    def along(sequence: list, rest: str) -> set[str]:
        states = {rest}
        for kind, *item in sequence:
            after: set[str] = set()
            for state in states:
                if kind == "c":
                    if state.startswith(item[0]):
                        after.add(state[len(item[0]) :])
                elif kind == "r":
                    after |= ends(parse(rules[item[0]]), state)
                else:
                    after |= ends(item[0], state) | ({state} if item[1] else set())
            states = after
        return states

    return "" in ends(parse(rules[name]), word)


def test_the_shipped_word_list_leaves_facts_names_and_first_person_to_the_mentee() -> None:
    corpus = corpus_words()
    assert corpus is not None
    lists = reply_words()
    for word in corpus.reflection:
        assert not any(c.isdigit() for c in word), word
        assert word not in lists.facts and word not in lists.first_person, word
    assert {"friday", "twenty", "colin", "we'll"}.isdisjoint(corpus.reflection)
    assert {"decision", "matters", "sounds", "you're", "and"} <= corpus.reflection
    assert corpus.question <= corpus.reflection
    assert not Grounding(frozenset()).strays(" ".join(sorted(corpus.question)))


@pytest.mark.parametrize(
    "content", ["", "{not json", '{"reflection": []}', '{"reflection": [1], "question": []}']
)
def test_a_missing_or_damaged_word_list_is_not_used(tmp_path: Path, content: str) -> None:
    path = tmp_path / "words.json"
    if content:
        path.write_text(content, encoding="utf-8")
    assert corpus_words(path) is None


def test_the_grammar_holds_the_corpus_s_words_and_the_mentee_s_and_no_others() -> None:
    corpus = corpus_words()
    assert corpus is not None
    grammar = grounded_grammar(["Gwendolyn wants the Rotherham job on Fridays."], corpus)
    rules = _rules(grammar)
    # the mentee's rare words are in both trees: a reflection and a question may use them
    for tree in ("rw", "qw"):
        assert _matches(rules, tree, "gwendolyn") and _matches(rules, tree, "rotherham")
        assert _matches(rules, tree, "fridays") and not _matches(rules, tree, "friday")
        assert not _matches(rules, tree, "gwendoly") and not _matches(rules, tree, "we")
    assert _matches(rules, "rw", "decision") and not _matches(rules, "rw", "thursday")
    assert len(grammar) < 400_000


@pytest.mark.slow
def test_an_adapter_reply_uses_only_the_mentee_s_words_and_the_corpus_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert WORDS_FILE.is_file()
    monkeypatch.setenv("COACH_ADAPTER", "on")
    provider = LocalProvider(threads=1)
    corpus = corpus_words()
    assert corpus is not None and provider.adapter is not None
    messages = [
        "My manager has asked me to cover Tuesdays and Thursdays until March, on top of my desk.",
        "Honestly I'm worn out, and we're already two people short on the team.",
    ]
    try:
        records = [TranscriptRecord(role="mentee", text=text, stage="reality") for text in messages]
        for shown in (records[:1], records):
            prompt = turn_messages(provider, "reality", shown, 4000)
            reply = "".join(provider.stream(prompt)).strip()
            allowed = corpus.reflection | mentee_words(r.text for r in shown) | OPENERS
            strays = [w for w in reply_tokens(reply) if w not in allowed]
            assert not strays, reply
            assert reply.endswith("?") and reply.count("?") == 1, reply
    finally:
        provider.close()


@pytest.mark.slow
def test_a_fresh_draw_for_the_same_prompt_asks_something_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_ADAPTER", "on")
    provider = LocalProvider(threads=1)
    records = [
        TranscriptRecord(
            role="mentee",
            text="I could ask for one Saturday in two, or swap Saturdays for a weekday off.",
            stage="options",
        )
    ]
    try:
        prompt = turn_messages(provider, "options", records, 4000)
        first = "".join(provider.stream(prompt)).strip()
        second = "".join(provider.stream(prompt)).strip()
        assert question_content_words(first), first
        assert not question_content_words(first) & question_content_words(second), (first, second)
        assert second.endswith("?") and second.count("?") == 1, second
    finally:
        provider.close()
