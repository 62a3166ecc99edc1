"""Critique a question a mentor plans to ask: what weakens it, why, and better versions."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coach.acts import classify
from coach.acts.cues import normalise
from coach.acts.lexicon import act_lexicon
from coach.errors import CoachError
from coach.guard.rules import asks_permission, judgmental_why
from coach.mentor.lexicon import FLAW_KINDS, FlawKind, flaw_regex, lexicon_regex, mentor_lexicon
from coach.text import clean, split_sentences, words

MAX_QUESTION_CHARS = 2000


class InputProblem(CoachError):
    """The text cannot be critiqued as it is; the message says what to send instead."""


class Finding(BaseModel):
    kind: FlawKind
    explanation: str


class Critique(BaseModel):
    """Findings (none for a good question) and open rewrites that pass the guard."""

    findings: list[Finding] = Field(default_factory=list)
    rewrites: list[str] = Field(default_factory=list)

    @property
    def good(self) -> bool:
        return not self.findings

    def as_json(self) -> dict[str, object]:
        """The published shape: {"findings": [{"kind", "explanation"}], "rewrites": [...]}."""
        return {
            "findings": [finding.model_dump() for finding in self.findings],
            "rewrites": list(self.rewrites),
        }


def checked_question(text: str) -> str:
    """The question, cleaned; raises InputProblem for empty, huge or question-less text."""
    question = clean(text)
    if not question:
        raise InputProblem("There is no question to critique. Write the question you plan to ask.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputProblem(
            f"That is {len(question):,} characters; a question to critique should be at most "
            f"{MAX_QUESTION_CHARS:,}. Paste the one question you plan to ask."
        )
    if "?" not in question and not any(classify(s).question for s in split_sentences(question)):
        reads_as = mentor_lexicon().reads_as.get(classify(question).act, "a remark")
        raise InputProblem(
            f"That reads as {reads_as}, not a question. Write the question you plan to ask the "
            "mentee, ending with '?'."
        )
    return question


def content_words(text: str) -> set[str]:
    stopwords = act_lexicon().stopwords
    return {word for word in words(text) if word not in stopwords and len(word) > 2}


def _is_vague(question: str, context: str | None, open_single: bool) -> bool:
    """Generic ("How does that make you feel?"), or, given the situation, an open question
    that shares no word with it and points at nothing in it."""
    generic = flaw_regex("vague", "generic_patterns")
    if generic is not None and generic.search(normalise(question)):
        return True
    if not context or not open_single:
        return False
    entry = mentor_lexicon().findings["vague"]
    if set(words(question)) & set(entry.referents):
        return False
    mine = content_words(question)
    return not (mine & content_words(context)) and len(mine) <= (entry.max_unanchored_words or 0)


def find_flaws(question: str, context: str | None = None) -> list[FlawKind]:
    """Every flaw kind the question has, in the order of FLAW_KINDS."""
    sentences = split_sentences(question)
    acts = [classify(sentence, context=context) for sentence in sentences]
    asked = [s for s, act in zip(sentences, acts, strict=True) if act.question or "?" in s]
    last = asked[-1] if asked else question
    text = normalise(question)
    found: set[FlawKind] = set()
    leading = flaw_regex("leading")
    if leading is not None and leading.search(text):
        found.add("leading")
    advice = flaw_regex("advice")
    permission = asks_permission(last)
    advises = (advice is not None and advice.search(text)) or any(act.advice for act in acts)
    if advises and not permission:
        found.add("advice")
    last_act = classify(last, context=context)
    closed = last_act.question_type == "closed" or ("leading" in found and not last_act.question)
    if closed and not permission:
        found.add("closed")
    if any(judgmental_why(s) or normalise(s).lstrip().startswith("why") for s in asked):
        found.add("why")
    joined = lexicon_regex("joined_question")
    if question.count("?") > 1 or len(asked) > 1 or joined.search(last):
        found.add("stacked")
    if len(words(question)) > (mentor_lexicon().findings["long"].max_words or 25):
        found.add("long")
    # Judged against the situation only when nothing else is wrong: vagueness is the flaw of a
    # question that is otherwise fine but would fit anyone.
    open_single = not found and last_act.question_type == "open"
    if _is_vague(question, context, open_single):
        found.add("vague")
    return [kind for kind in FLAW_KINDS if kind in found]


def findings_for(question: str, context: str | None = None) -> list[Finding]:
    book = mentor_lexicon().findings
    return [
        Finding(kind=kind, explanation=book[kind].explanation)
        for kind in find_flaws(question, context)
    ]
