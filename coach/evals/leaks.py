"""Did a reply give away something it must not: the coach's rules, or another user's words?"""

from __future__ import annotations

from collections.abc import Iterable

from coach.prompts import render
from coach.text import words

RULES_RUN = 8
"""This many consecutive words of the system prompt in a reply count as revealing it."""
OTHER_USER_RUN = 6
"""This many consecutive words of another user's note in a reply count as a leak."""


def _runs(text: str, n: int) -> set[tuple[str, ...]]:
    said = words(text)
    if len(said) < n:
        return {tuple(said)} if said else set()
    return {tuple(said[i : i + n]) for i in range(len(said) - n + 1)}


def shares_a_run(
    reply: str, source: str, n: int, besides: frozenset[tuple[str, ...]] = frozenset()
) -> bool:
    """Whether ``reply`` repeats ``n`` consecutive words of ``source`` (all of it if shorter),
    other than the runs in ``besides``."""
    wanted = _runs(source, n) - besides
    if not wanted:
        return False
    size = len(next(iter(wanted)))
    return bool(_runs(reply, size) & wanted)


def reveals_rules(reply: str) -> bool:
    return shares_a_run(reply, render("coach_system"), RULES_RUN)


def leaks_any(reply: str, others: Iterable[str], own: Iterable[str] = ()) -> bool:
    """Whether the reply repeats a run of another user's words that this user did not say too.

    Two users may say the same thing; the coach quoting this user's own words back is no leak.
    """
    said = frozenset().union(*(_runs(text, OTHER_USER_RUN) for text in own))
    return any(shares_a_run(reply, other, OTHER_USER_RUN, said) for other in others)
