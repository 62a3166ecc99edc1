"""The relationship check-in: is the coaching helping, and what should change?

The mentee's answer moves settings they can see (more challenge, shorter questions, more time
on options); they can change those settings directly at any time as well.
"""

from __future__ import annotations

from datetime import date

from coach.goals.models import CheckIn, Preferences
from coach.knowledge import goal_rules


def adjusted(preferences: Preferences, answer: str) -> tuple[Preferences, list[str]]:
    """The preferences after the mentee's answer, and the changes in words."""
    lowered = " ".join(answer.lower().replace("’", "'").split())
    updates: dict[str, object] = {}
    for setting, values in goal_rules().check_in_cues.items():
        for value, cues in values.items():
            if any(cue in lowered for cue in cues):
                updates[setting] = value == "true" if setting == "more_time_on_options" else value
                break
    changed = Preferences.model_validate({**preferences.model_dump(), **updates})
    said = [
        wish.text
        for wish in goal_rules().wishes
        if getattr(changed, wish.preference) == wish.value
        and getattr(preferences, wish.preference) != wish.value
    ]
    return changed, said


def check_in_record(answer: str, session: str, today: date, changed: list[str]) -> CheckIn:
    return CheckIn(on=today, session=session, answer=" ".join(answer.split()), changed=changed)
