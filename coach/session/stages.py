"""Where the conversation is in its arc: dilemma, reality, options, commitment."""

from __future__ import annotations

from coach.knowledge import SessionMode, stage_book


def first_stage(mode: SessionMode = "coaching") -> str:
    return stage_book().arc(mode)[0].id


def next_stage(current: str, mentee_turns_in_stage: int, mentee_text: str) -> str:
    """The stage after the mentee's latest message.

    A stage ends when it has had its minimum turns and the mentee's words cue the next one, or
    when it has had its maximum turns.
    """
    book = stage_book()
    stage = book.get(current)
    following = book.next_after(current)
    if following is None or mentee_turns_in_stage < stage.advance.min_turns:
        return current
    lowered = mentee_text.lower().replace("’", "'")
    cued = any(cue in lowered for cue in stage.advance.cues)
    if cued or mentee_turns_in_stage >= stage.advance.max_turns:
        return following.id
    return current
