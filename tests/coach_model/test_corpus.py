"""The coaching corpus the adapter is trained on: whole, varied, split by conversation, and
kept apart from the eval suite's scenarios."""

from __future__ import annotations

import re
from collections import Counter

import yaml

from coach.paths import SCENARIOS_DIR
from evals.coach_model.chat import encode
from evals.coach_model.corpus import (
    diversity,
    load_corpus,
    of_split,
    question_of,
    reflection_of,
    split_of,
)
from evals.coach_model.train import batches

OPENERS = ("What", "How", "Which", "Who", "When", "Where")


def test_the_corpus_is_large_enough_and_every_conversation_ends_with_the_coach() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 400
    assert sum(len(c.coach_turns) for c in corpus) >= 3000
    assert len({c.family for c in corpus}) == len(corpus)
    assert all(c.turns[-1].role == "coach" for c in corpus)


def test_every_coach_turn_reflects_then_asks_one_open_question() -> None:
    for conversation in load_corpus():
        for turn in conversation.coach_turns:
            question = question_of(turn.text)
            assert turn.text.count("?") == 1 and question.startswith(OPENERS), turn.text
            assert 5 <= len(question.split()) <= 16, turn.text
            assert reflection_of(turn.text) or turn.permission, turn.text


def test_the_turns_are_varied() -> None:
    figures = diversity(load_corpus())
    assert figures["turns_with_question_used_over_3_times"] <= 0.02
    assert figures["most_used_question_opening"] <= 0.10 * figures["coach_turns"]
    assert figures["distinct_reflection_openings"] >= 0.8


def test_a_conversation_stays_in_one_split_and_the_splits_are_roughly_80_10_10() -> None:
    corpus = load_corpus()
    shares = Counter(c.split for c in corpus)
    assert shares["train"] > 0.7 * len(corpus)
    assert shares["dev"] > 0.05 * len(corpus) and shares["test"] > 0.05 * len(corpus)
    assert all(split_of(c.family) == c.split for c in corpus)
    assert not {c.family for c in of_split(corpus, "train")} & {
        c.family for c in of_split(corpus, "test")
    }


def test_no_eval_or_graded_scenario_is_in_the_corpus() -> None:
    def shingles(text: str) -> set[str]:
        words = re.findall(r"[a-z']+", text.lower())
        return {" ".join(words[i : i + 12]) for i in range(len(words) - 11)}

    corpus_text = set()
    for conversation in load_corpus():
        for turn in conversation.turns:
            corpus_text |= shingles(turn.text)
    graded = SCENARIOS_DIR.parent / "rubric"  # the sets kept for grading replies
    paths = [*SCENARIOS_DIR.glob("*.yaml"), *graded.glob("scenarios*/*.yaml")]
    assert len(paths) >= 46 + 60
    for path in paths:
        scenario = yaml.safe_load(path.read_text())
        for turn in scenario.get("turns", []) or []:
            assert not shingles(str(turn)) & corpus_text, (path.name, turn)


class WordTokenizer:
    """Whitespace tokens with ids, enough to check which tokens are learned."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}

    def __call__(self, text: str, add_special_tokens: bool = False) -> dict[str, list[int]]:
        return {"input_ids": [self.vocab.setdefault(w, len(self.vocab)) for w in text.split()]}


def test_only_the_coachs_own_words_are_learned() -> None:
    conversation = next(c for c in load_corpus() if c.turns[0].source == "follow_up")
    tokenizer = WordTokenizer()
    example = encode(conversation, tokenizer, 100_000)
    names = {v: k for k, v in tokenizer.vocab.items()}
    pairs = zip(example.ids, example.labels, strict=True)
    learned = " ".join(names[token] for token, label in pairs if label != -100)
    for turn in conversation.coach_turns:
        assert " ".join(turn.text.split()) in learned
    assert "Welcome back." not in learned  # the fixed follow-up opening is read, not learned
    for turn in conversation.turns:
        if turn.role == "mentee":
            assert " ".join(turn.text.split()) not in learned


def test_batches_cover_every_conversation_once_within_the_token_budget() -> None:
    import random

    tokenizer = WordTokenizer()
    examples = [encode(c, tokenizer, 1024) for c in load_corpus()[:50]]
    groups = batches(examples, 2048, random.Random(1))
    assert sorted(i for g in groups for i in g) == list(range(len(examples)))
    for group in groups:
        widest = max(len(examples[i].ids) for i in group)
        assert len(group) == 1 or widest * len(group) <= 2048


# prompts/reflect_question.gbnf, written as a regular expression.
_TOKEN = r"[a-zA-Z0-9'’\"%£$€&-]{1,17}(?:[.,][0-9]{1,3})?"
_SENTENCE = r"[A-Z0-9\"'£$](?:[^.?!\n]|\.[0-9]){8,140}\."
_GRAMMAR = re.compile(
    rf"(?:{_SENTENCE}(?: {_SENTENCE})? )?(?:What|How|Which|Who|When|Where|What's)"
    rf"(?: {_TOKEN},?){{3,14}} {_TOKEN}\?"
)


def test_the_replies_grammar_admits_what_the_model_is_trained_to_write() -> None:
    turns = [t.text for c in load_corpus() for t in c.coach_turns]
    refused = [text for text in turns if not _GRAMMAR.fullmatch(text)]
    assert len(refused) <= 0.01 * len(turns), refused[:10]
