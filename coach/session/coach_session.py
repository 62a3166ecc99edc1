"""CoachSession: a mentee's conversation with the coach, resumed from its transcript.

A turn's steps are in ``coach.session.turn``; the session holds what they share.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from coach.knowledge import SessionMode, stage_book
from coach.memory.recall import SessionMemory, follow_up_question
from coach.notes import SessionNote, summarise
from coach.notes.models import Commitment
from coach.prompts import render
from coach.providers import ChatProvider
from coach.records import open_records
from coach.safety import default_classifier, screen
from coach.safety.floor import floor_screen
from coach.safety.flow import Screen
from coach.session.events import TurnEvent, TurnResult
from coach.session.prompting import turn_messages
from coach.session.results import last_result, with_notices, with_records_kept
from coach.session.stages import first_stage
from coach.session.turn import retry_turn, run_turn
from coach.settings import Settings
from coach.transcripts import (
    FollowUp,
    TranscriptRecord,
    TranscriptStore,
    is_safety_record,
    new_id,
)


class CoachSession:
    """A mentee's conversation with the coach. Resumes from its transcript if it exists."""

    def __init__(
        self,
        provider: ChatProvider,
        settings: Settings,
        *,
        user: str,
        session_id: str | None = None,
        memory: SessionMemory | None = None,
        mode: SessionMode = "coaching",
        guidance: str | None = None,
        more_time_on_options: bool = False,
    ) -> None:
        self.provider = provider
        self.settings = settings
        self.store = TranscriptStore(open_records(settings), user)
        self.session_id = session_id or new_id()
        self.records: list[TranscriptRecord] = self.store.load(self.session_id)
        self.memory = memory
        # A resumed session keeps the kind it was started as.
        self.mode: SessionMode = (
            stage_book().mode_of(self.records[0].stage) if self.records else mode
        )
        self.guidance = guidance
        self.more_time_on_options = more_time_on_options
        self.hidden: set[str] = set()
        self.recalled: list[SessionNote] = []
        if settings.safety_screen == "floor":
            self.screen: Screen = floor_screen
        else:
            self.screen = screen
            default_classifier().warm_up()  # loaded before the first message, not on it
        self.memory_off_told = False

    @property
    def user(self) -> str:
        return self.store.user

    @property
    def stage(self) -> str:
        return self.records[-1].stage if self.records else first_stage(self.mode)

    @property
    def coaching_records(self) -> list[TranscriptRecord]:
        """The conversation without its safety exchanges, which stay out of prompts and memory."""
        return [record for record in self.records if not is_safety_record(record)]

    @property
    def pending(self) -> TranscriptRecord | None:
        """The mentee's last message, if the coach has not answered it yet."""
        if self.records and self.records[-1].role == "mentee":
            return self.records[-1]
        return None

    def opening(self) -> str:
        """The coach's first words: a follow-up on an open commitment if there is one."""
        if self.records:
            first = self.records[0]
            return first.text if first.source == "follow_up" else self.plain_opening()
        if self.mode != "coaching":
            return self.plain_opening()
        commitment = self.memory.commitment_to_follow_up() if self.memory else None
        if commitment is None:
            return self.plain_opening()
        record = TranscriptRecord(
            role="coach",
            text=follow_up_question(commitment),
            stage=first_stage(self.mode),
            source="follow_up",
            follow_up=FollowUp(commitment_id=commitment.id, commitment=commitment.text.rstrip(".")),
        )
        self.save(record)
        return record.text

    def plain_opening(self) -> str:
        return render("opening" if self.mode == "coaching" else f"opening_{self.mode}")

    def warm_up(self) -> None:
        """Let a model that supports it read the rules, the examples and the conversation so far
        before the next message, which then only needs its own words read."""
        self.provider.prefill(
            turn_messages(
                self.provider,
                self.stage,
                self.coaching_records,
                self.settings.max_prompt_chars,
                guidance=self.guidance,
            )
        )

    def remembered(self) -> tuple[list[SessionNote], list[Commitment]]:
        """From earlier sessions: the notes recalled last turn, and open commitments."""
        commitments = self.memory.open_commitments() if self.memory is not None else []
        return (
            [n for n in self.recalled if n.session not in self.hidden],
            [c for c in commitments if c.id not in self.hidden and c.session != self.session_id],
        )

    def hide(self, item_id: str) -> None:
        """Keep a note (by its session id) or a commitment (by id) out of this session's prompts."""
        self.hidden.add(item_id)
        self.recalled = [n for n in self.recalled if n.session != item_id]

    def draft_note(self) -> SessionNote | None:
        """The session's note, not yet kept. None if the mentee said nothing."""
        if not any(r.role == "mentee" for r in self.records):
            return None
        return summarise(
            self.provider, self.records, user=self.user, session=self.session_id, on=date.today()
        )

    def keep_note(self, note: SessionNote) -> bool:
        """Keep a (possibly edited) note in memory; False if memory is off or failed."""
        return self.memory.save(note) if self.memory is not None else False

    def close(self) -> SessionNote | None:
        """Write the session's note and keep it in memory. None if the mentee said nothing."""
        note = self.draft_note()
        if note is not None:
            self.keep_note(note)
        return note

    def turn(self, text: str) -> TurnResult:
        """Run a whole turn and return how it ended."""
        return last_result(self.stream_turn(text))

    def stream_turn(self, text: str) -> Iterator[TurnEvent]:
        """Answer a mentee message, yielding the reply as it is drafted; ends with TurnResult
        (``coach.session.turn`` has the steps)."""
        return with_notices(with_records_kept(self, run_turn(self, text), text))

    def retry(self) -> Iterator[TurnEvent]:
        """Answer the saved mentee message that has no reply yet (after a provider failure)."""
        said = self.pending
        if said is None:
            return iter([TurnResult("notice", self.stage, reply=render("empty_message"))])
        return with_notices(with_records_kept(self, retry_turn(self, said), said.text))

    def save(self, record: TranscriptRecord) -> None:
        """Append a record to the transcript on disk, then to the session."""
        self.store.append(self.session_id, record)
        self.records.append(record)
