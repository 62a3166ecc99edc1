"""Tell the mentee's words back: "I'm afraid it'll stall my career" → "So you're afraid it'll
stall your career."

A simple reflection shows the mentee they were heard and lets them hear their own words. It is
built only from a sentence in which they speak of themselves and name a feeling, a want or a
struggle (``knowledge/reflections.yaml``), and only if the classifier reads the result as a
statement that neither asks nor advises.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from coach.acts import classify
from coach.knowledge import ReflectionRules, reflection_rules
from coach.text import split_sentences

_TOKEN = re.compile(r"[A-Za-z']+|[^A-Za-z'\s]+|\s+")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = reflection_rules()
    fields = [
        "subject_pattern",
        "addressed_pattern",
        "inner_state_pattern",
        "leading_fillers",
        "clause_breaks",
        "skip_pattern",
    ]
    return {name: re.compile(getattr(rules, name).pattern, re.IGNORECASE) for name in fields}


def simple_reflection(message: str) -> str | None:
    """A one-sentence reflection of ``message``, or None when nothing in it should be told back."""
    rules = reflection_rules()
    patterns = _patterns()
    message = message.replace("’", "'")
    if patterns["skip_pattern"].search(message):
        return None
    told = [_told_back(s, rules, patterns) for s in split_sentences(message)]
    candidates = [body for body in told if body]
    if not candidates:
        return None
    body = candidates[-1]  # the latest thing they said about themselves
    digest = int(hashlib.sha256(body.encode()).hexdigest(), 16)
    opener = rules.openers[digest % len(rules.openers)]
    text = opener + body
    text = text[0].upper() + text[1:] + "."
    act = classify(text)
    return None if act.advice or act.question else text


def _told_back(
    sentence: str, rules: ReflectionRules, patterns: dict[str, re.Pattern[str]]
) -> str | None:
    body = patterns["leading_fillers"].sub("", sentence).rstrip(".!… ").strip()
    if not patterns["subject_pattern"].match(body) or patterns["addressed_pattern"].search(body):
        return None
    if len(body.split()) > rules.max_words:  # keep the part that names the inner state
        parts = [p for p in patterns["clause_breaks"].split(body) if p]
        body = next((p for p in parts if patterns["inner_state_pattern"].search(p)), "")
        if not patterns["subject_pattern"].match(body):
            return None
    if not rules.min_words <= len(body.split()) <= rules.max_words:
        return None
    if not patterns["inner_state_pattern"].search(body):
        return None
    return _swap_pronouns(body, rules)


def _swap_pronouns(text: str, rules: ReflectionRules) -> str:
    out: list[str] = []
    previous = ""
    for token in _TOKEN.findall(text):
        lowered = token.lower()
        if lowered in rules.pronoun_swaps:
            token = rules.pronoun_swaps[lowered]
        elif previous == "you" and lowered in rules.after_you:
            token = rules.after_you[lowered]
        out.append(token)
        if token.strip():
            previous = token.lower()
    return "".join(out)
