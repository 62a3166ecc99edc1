"""A mentee's request for advice, checked before it goes to a prospective mentor."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from coach.acts.cues import normalise
from coach.mentor.critique import InputProblem, content_words
from coach.mentor.lexicon import mentor_lexicon
from coach.text import clean, split_sentences

RequestQuality = Literal["specific", "manageable", "genuine"]
MAX_REQUEST_CHARS = 4000


class RequestFinding(BaseModel):
    quality: RequestQuality
    met: bool
    advice: str


class RequestCritique(BaseModel):
    findings: list[RequestFinding]
    tighter: str

    @property
    def ready(self) -> bool:
        return all(finding.met for finding in self.findings)


DEFAULT_ASK = "how would you approach it in my place?"
PLACEHOLDER = "[Say in one sentence what you are deciding, and what is at stake.]"


def _their_question(text: str) -> str:
    asked = [s for s in split_sentences(text) if s.endswith("?")]
    if not asked:
        return DEFAULT_ASK
    question = asked[-1].rsplit(":", 1)[-1].strip()
    return question[:1].lower() + question[1:]


def _situation(text: str) -> str:
    """The first statement that says something about the situation, or a placeholder."""
    book = mentor_lexicon().advice_request
    for sentence in split_sentences(text):
        statement = not sentence.endswith("?") and len(content_words(sentence)) >= 3
        if statement and not book.matches("generic_patterns", normalise(sentence)):
            return sentence if sentence.endswith((".", "!")) else sentence + "."
    return PLACEHOLDER


def critique_request(draft: str) -> RequestCritique:
    """Whether the request is specific, manageable and genuine, and a tighter version."""
    text = clean(draft)
    if not text:
        raise InputProblem("There is no request to check. Paste the message you plan to send.")
    if len(text) > MAX_REQUEST_CHARS:
        raise InputProblem(
            f"That is {len(text):,} characters; a request should fit in {MAX_REQUEST_CHARS:,}. "
            "Shorter requests get more replies."
        )
    book = mentor_lexicon().advice_request
    lowered = normalise(text)
    specific = len(content_words(text)) >= book.min_specific_words and not book.matches(
        "generic_patterns", lowered
    )
    questions = text.count("?")
    manageable = questions <= 2 and (
        not book.matches("open_ended_patterns", lowered)
        or book.matches("bounded_patterns", lowered)
    )
    genuine = book.matches("genuine_patterns", lowered) and not book.matches(
        "validation_patterns", lowered
    )
    met: dict[RequestQuality, bool] = {
        "specific": specific,
        "manageable": manageable,
        "genuine": genuine,
    }
    findings = [
        RequestFinding(quality=quality, met=ok, advice=book.findings[quality])
        for quality, ok in met.items()
    ]
    ask = _their_question(text) if genuine else DEFAULT_ASK
    tighter = book.tighter.format(situation=_situation(text), ask=ask)
    return RequestCritique(findings=findings, tighter=tighter)
