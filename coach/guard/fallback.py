"""The question asked when the model cannot produce an acceptable one.

It is built from the current stage's stems and a short phrase in the mentee's own words, and it
always passes the guard: each candidate is checked, and the last resort is known to pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from coach.acts.lexicon import act_lexicon
from coach.guard.rules import GuardContext, check_reply
from coach.knowledge import PatternEntry, Stage, any_of, guard_lexicon, stage_book
from coach.text import clean, shorten_phrase, split_sentences, words


@cache
def _lexicon_pattern(field: str) -> re.Pattern[str]:
    """One regex for a pattern, or a list of them, in ``knowledge/guard.yaml``."""
    entries = getattr(guard_lexicon(), field)
    return any_of([entries] if isinstance(entries, PatternEntry) else entries)


def _states_intention(phrase: str) -> bool:
    return bool(_lexicon_pattern("intention_patterns").search(phrase))


def _trimmed(clause: str) -> str:
    """The clause without quotes, end marks, linking words and lead-ins ("The real thing is")."""
    clause = clause.strip(" .!?\"'“”‘’")
    lead_in = _lexicon_pattern("quote_lead_ins")
    leading_link = _lexicon_pattern("leading_link")
    while (start := leading_link.match(clause) or lead_in.match(clause)) and start.end():
        clause = clause[start.end() :]
    return clause


def mentee_phrase(text: str) -> str | None:
    """A short phrase from the mentee's words that carries the most content, or None.

    Sentences that ask, speak to the coach, push back or try to instruct it are never quoted.
    A clause that fits whole is preferred to one that has to be cut, and a clause that only
    introduces what follows ("Here is the email my lead sent") is skipped.
    """
    clauses = [
        _trimmed(part)
        for sentence in split_sentences(text)
        if not _lexicon_pattern("unquotable_patterns").search(sentence)
        for part in _lexicon_pattern("clause_break").split(sentence)
    ]
    stopwords = act_lexicon().stopwords
    limit = guard_lexicon().max_quote_words
    best, best_score = None, 0.0
    for clause in clauses:
        if _lexicon_pattern("unquotable_clause_patterns").search(clause):
            continue
        cut = shorten_phrase(clause, limit)
        score = sum(1.0 for word in words(cut) if word not in stopwords)
        if cut != clause:
            score -= 1.5  # a cut phrase reads worse than a whole one with a little less in it
        if score > best_score:
            best, best_score = cut, score
    if best is None or best_score < 1.5:
        return None
    return best.replace('"', "'").replace("?", "")


def _candidates(
    stage: Stage, phrase: str | None, after_reflection: bool
) -> Iterable[tuple[str, str]]:
    """(stem, question) pairs: after a reflection, those building on it first; otherwise those
    quoting the mentee first."""
    if after_reflection:
        for stem in stage.follow_ons:
            yield stem, stem
    elif phrase:
        for stem in stage.stems_for_quote(_states_intention(phrase)):
            yield stem, stem.format(quote=phrase)
    for stem in stage.plain_stems:
        yield stem, stem


def _was_asked(stem: str, asked: set[str]) -> bool:
    before, _, after = stem.lower().partition("{quote}")
    return any(q.startswith(before) and q.endswith(after) for q in asked)


def fallback_question(
    stage_id: str,
    mentee_text: str,
    already_asked: Sequence[str] = (),
    after_reflection: bool = False,
) -> str:
    """An open question for this stage, using the mentee's words, not asked before if possible.

    ``after_reflection`` when the reply already tells the mentee's words back: the question then
    builds on the reflection instead of quoting the same words again.
    """
    book = stage_book()
    stage = book.get(stage_id)
    # The question is the last sentence of each earlier reply; a reflection may lead it.
    asked = {split_sentences(q)[-1].strip().lower() for q in already_asked if q.strip()}
    phrase = None if after_reflection else mentee_phrase(clean(mentee_text))
    candidates = [
        (stem, question)
        for stem, question in _candidates(stage, phrase, after_reflection)
        if check_reply(question, GuardContext(earlier=already_asked)).passed
    ]
    fresh = [question for stem, question in candidates if not _was_asked(stem, asked)]
    if fresh:
        return fresh[0]
    return candidates[0][1] if candidates else book.last_resort
