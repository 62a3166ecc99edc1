"""Cues found in one sentence: is it a question, a reflection, advice, information?"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.acts.lexicon import ActLexicon
from coach.acts.talk_act import QuestionType
from coach.text import split_sentences

_TOKEN = re.compile(r"[a-z0-9']+")
_TRAILING = re.compile(r"[\s\-–—.,;:!\"')\]]+$")
# A false start that the next word completes ("wh-what", "ho-how", "I-I"): keep the word.
_FALSE_START = re.compile(r"\b([a-z']{1,6})-(?=\1)")
# Echoing at least this share of the client's content words (or half the sentence's) counts.
ECHO_SHARE = 0.5


def normalise(text: str) -> str:
    """Lower-case with straight apostrophes, single spaces and false starts removed."""
    plain = " ".join(text.lower().replace("’", "'").replace("‘", "'").split())
    return _FALSE_START.sub("", plain) if "-" in plain else plain


def sentences(text: str) -> list[str]:
    return [part for part in split_sentences(normalise(text), at_dashes=True) if part.strip(" .,-")]


def tokens_of(text: str) -> list[str]:
    """Words, with stutters ("what-what", "I-I") collapsed to one."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if not tokens or tokens[-1] != token:
            tokens.append(token)
    return tokens


def content_words(tokens: list[str], lexicon: ActLexicon) -> set[str]:
    return {token for token in tokens if token not in lexicon.stopwords and len(token) > 2}


@dataclass
class SentenceCues:
    """What one sentence does."""

    question: bool = False
    question_type: QuestionType | None = None
    declarative_question: bool = False
    reflection: bool = False
    advice: bool = False
    information: bool = False
    social: bool = False
    words: int = 0
    you: bool = False
    first_person: bool = False


_CLAUSE = re.compile(r",|;|--|\bbut\b|\band\b|\bso\b")


def _question_form(
    body: str, tokens: list[str], asks: bool, lexicon: ActLexicon
) -> QuestionType | None:
    """The type of question the sentence's form asks, or None when its form is not a question.

    A question may follow a lead-in ("So, knowing this, what will you do?"), so each clause is
    read, and the last clause with a question form decides.
    """
    if not asks:  # without a "?", only an interrogative opening makes a question
        return _clause_form(body, tokens, asks, lexicon)
    found = None
    for clause in _CLAUSE.split(body):
        clause = lexicon.leading_fillers.sub("", clause.strip())
        clause_tokens = tokens_of(clause)
        if clause_tokens:
            found = _clause_form(clause, clause_tokens, asks, lexicon) or found
    if found != "open" and lexicon.open_when_asked.search(body):
        return "open"  # "I mean, what do you think?", "Anything else?"
    return found


def _clause_form(
    body: str, tokens: list[str], asks: bool, lexicon: ActLexicon
) -> QuestionType | None:
    if lexicon.closed_request.search(body):
        return "closed"
    if lexicon.open_request.search(body):
        return "open"
    first = tokens[0].split("'")[0]  # "what's" asks like "what"
    second = tokens[1] if len(tokens) > 1 else ""
    if first in lexicon.wh_words:
        if second in {"a", "an"} and first in {"what", "how"}:
            return None  # "What a day." is an exclamation
        if first in {"when", "where", "if"} and second not in lexicon.aux_words:
            return None  # "When you drink, ..." opens a statement
        cleft = " is " in f" {body} " and second not in lexicon.aux_words and second != "about"
        if cleft and not asks:
            return None  # "What some people do is ..." is a statement
        return "open"
    if tokens[0] in lexicon.aux_words and (second in lexicon.question_subjects or second == "not"):
        return "closed"
    return None


def sentence_cues(sentence: str, context_words: set[str], lexicon: ActLexicon) -> SentenceCues:
    asks = "?" in sentence
    body = _TRAILING.sub("", lexicon.leading_fillers.sub("", sentence.replace("?", " ").strip()))
    tokens = tokens_of(body)
    cues = SentenceCues(
        words=len(tokens),
        you="you" in tokens or "your" in tokens,
        first_person=bool(tokens) and tokens[0] in {"i", "i'm", "i'll", "i've", "i'd", "we'll"},
    )
    if not tokens:
        return cues if asks else SentenceCues(social=True)
    if all(token in lexicon.social_words for token in tokens) or (
        not asks and (lexicon.greeting.match(body) or lexicon.affirmation.search(body))
    ):
        cues.social = True
        return cues
    form = _question_form(body, tokens, asks, lexicon)
    reflective = bool(lexicon.reflection_opener.search(body))
    if asks and lexicon.tag_question.search(sentence.rstrip("? ") + "?") and form is None:
        asks = False  # "..., right?" checks a statement; the statement is the act
    if form is not None and (asks or len(tokens) > 2):
        cues.question, cues.question_type = True, form
    elif asks and reflective:
        # "So you feel stuck?": experts mostly code a question that also reflects.
        cues.declarative_question = True
        cues.question, cues.question_type = True, "closed"
    elif asks:
        cues.question, cues.question_type = True, "closed"
    cues.advice = bool(lexicon.advice.search(body)) or (
        not cues.question
        and (
            lexicon.advice_in_statements.search(body)
            or (
                tokens[0] in lexicon.imperative_openers
                and not body.startswith(lexicon.imperative_exceptions)
            )
        )
    )
    if not cues.question or cues.declarative_question:
        mine = content_words(tokens, lexicon)
        echoed = mine & context_words
        echo = bool(echoed) and (
            len(echoed) >= ECHO_SHARE * len(mine) or len(echoed) >= ECHO_SHARE * len(context_words)
        )
        cues.reflection = (
            reflective or echo or bool(lexicon.reflection_anywhere.search(body))
        ) and not cues.advice
        cues.information = (
            not cues.question and not reflective and bool(lexicon.information.search(body))
        )
    return cues
