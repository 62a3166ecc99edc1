"""The rule classifier: combine sentence cues into one TalkAct, in the order expert coders
resolve overlaps. It is the learned classifier's fallback and the baseline it is measured
against; its cues are also features of the learned heads.

Advice outranks everything (telling is what a coach must notice); then a real question; then
information over a weak reflection; then reflection. Bare acknowledgements are "other".
"""

from __future__ import annotations

from coach.acts.cues import (
    SentenceCues,
    content_words,
    normalise,
    sentence_cues,
    sentences,
    tokens_of,
)
from coach.acts.lexicon import act_lexicon
from coach.acts.talk_act import Act, TalkAct, talk_act

# A declarative with this many words and no cue is informing, not acknowledging.
INFORMING_WORDS = 12
SUBSTANTIVE_WORDS = 3


def classify_by_rules(text: str, context: str | None = None) -> TalkAct:
    """What ``text`` does, given the other person's previous words as ``context``."""
    lexicon = act_lexicon()
    context_words = content_words(_tokens(context), lexicon) if context else set()
    cues = [sentence_cues(s, context_words, lexicon) for s in sentences(text)]
    questions = [c for c in cues if c.question]
    question = bool(questions)
    reflection = any(c.reflection or c.declarative_question for c in cues)
    advice = any(c.advice for c in cues)
    act = _main_act(cues, question, reflection, advice)
    question_type = questions[-1].question_type if questions else None
    return talk_act(act, question, question_type, reflection or act == "reflection", advice)


def _tokens(text: str | None) -> list[str]:
    return tokens_of(normalise(text or ""))


def _main_act(cues: list[SentenceCues], question: bool, reflection: bool, advice: bool) -> Act:
    if any(c.advice and not c.question for c in cues):
        return "advice"
    if question:
        return "question"  # advice inside a question ("Have you considered...?") stays flagged
    informing = sum(1 for c in cues if c.information)
    reflecting = sum(1 for c in cues if c.reflection or c.declarative_question)
    if informing and informing >= reflecting:
        return "information"
    if reflection:
        return "reflection"
    substantive = [
        c for c in cues if not c.social and c.words >= SUBSTANTIVE_WORDS and not c.first_person
    ]
    if not substantive:
        return "other"  # acknowledgements, courtesies, the speaker's own asides
    if sum(c.words for c in substantive) >= INFORMING_WORDS and not any(c.you for c in substantive):
        return "information"
    # A short statement with no other cue most often restates what the person said.
    return "reflection"
