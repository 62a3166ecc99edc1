"""CoachSession: one turn = screen -> save -> stage -> prompt -> draft -> guard -> save."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from coach.errors import ProviderError
from coach.guard import Grounding, GuardContext, count_advice_requests, fallback_question
from coach.knowledge import SessionMode, stage_book
from coach.memory.recall import SessionMemory, follow_up_question, memory_prompt
from coach.notes import SessionNote, summarise
from coach.notes.extract import reported_status
from coach.notes.models import Commitment
from coach.prompts import render
from coach.providers import ChatProvider
from coach.safety import SafetyStep, crisis_message, decide, default_classifier, screen
from coach.safety.floor import floor_screen
from coach.safety.flow import AGAIN, CONFIRMED, Screen, step_reply
from coach.session.drafting import draft_with_repair, led_by
from coach.session.events import Delta, Notice, Outcome, TurnEvent, TurnResult
from coach.session.prompting import turn_messages
from coach.session.reflecting import REFLECTED, lead_reflection
from coach.session.retry import retry_for
from coach.session.stages import first_stage, next_stage
from coach.settings import Settings
from coach.text import clean
from coach.transcripts import TranscriptRecord, TranscriptStore, is_safety_record, new_id

EXTRA_OPTIONS_TURNS = 2


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
        self.store = TranscriptStore(settings.data_dir, user)
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
        self._memory_off_told = False

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
            return first.text if first.source == "follow_up" else self._plain_opening()
        if self.mode != "coaching":
            return self._plain_opening()
        commitment = self.memory.commitment_to_follow_up() if self.memory else None
        if commitment is None:
            return self._plain_opening()
        record = TranscriptRecord(
            role="coach",
            text=follow_up_question(commitment),
            stage=first_stage(self.mode),
            source="follow_up",
            flags=[f"follow_up:{commitment.id}"],
        )
        self._save(record)
        return record.text

    def _plain_opening(self) -> str:
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
        return _last_result(self.stream_turn(text))

    def stream_turn(self, text: str) -> Iterator[TurnEvent]:
        """Answer a mentee message, yielding the reply as it is drafted; ends with TurnResult."""
        message = clean(text)
        if not message:
            yield TurnResult(outcome="notice", stage=self.stage, reply=render("empty_message"))
            return
        step = decide(self.records, message, self.screen)
        if step.action != "coach":
            yield from self._answer_safely(message, step)
            return
        record = TranscriptRecord(role="mentee", text=message, stage=self._stage_after(message))
        self._save(record)
        notices = []
        marked = self._record_follow_up_answer(message)
        if marked:
            notices.append(marked)
            yield Notice(marked)
        if len(message) > self.settings.max_prompt_chars:
            notices.append(
                render("long_message", shown=self.settings.max_prompt_chars, total=len(message))
            )
            yield Notice(notices[-1])
        yield from self._answer(record, notices)

    def retry(self) -> Iterator[TurnEvent]:
        """Answer the saved mentee message that has no reply yet (after a provider failure)."""
        record = self.pending
        if record is None:
            yield TurnResult(outcome="notice", stage=self.stage, reply=render("empty_message"))
            return
        yield from self._answer(record, [])

    def _record_follow_up_answer(self, message: str) -> str | None:
        """Mark the followed-up commitment done or dropped if the mentee's answer says so."""
        asked = self.records[-2] if len(self.records) >= 2 else None
        if self.memory is None or asked is None or asked.source != "follow_up":
            return None
        status = reported_status(message)
        commitment_id = asked.flags[0].removeprefix("follow_up:") if asked.flags else ""
        if status is None or not self.memory.mark(commitment_id, status):
            return None
        text = asked.text.split('"')[1] if asked.text.count('"') >= 2 else "that"
        return render("commitment_marked", commitment=text, status=status)

    def _memory_prompt(self) -> str | None:
        if self.memory is None:
            return None
        said = [r.text for r in self.coaching_records if r.role == "mentee"][-2:]
        notes = self.memory.relevant(said, exclude_session=self.session_id)
        self.recalled = [n for n in notes if n.session not in self.hidden]
        first_turn = sum(1 for r in self.coaching_records if r.role == "mentee") == 1
        commitments = self.memory.open_commitments() if first_turn else []
        commitments = [c for c in commitments if c.id not in self.hidden]
        return memory_prompt(self.recalled, commitments)

    def _memory_notice(self) -> str | None:
        if self.memory is None or self.memory.available or self._memory_off_told:
            return None
        self._memory_off_told = True
        return render("memory_off", problem=(self.memory.off_reason or "").rstrip("."))

    def _stage_after(self, message: str) -> str:
        current = self.stage
        turns = sum(1 for r in self.coaching_records if r.role == "mentee" and r.stage == current)
        if current == "options" and self.more_time_on_options:
            turns -= EXTRA_OPTIONS_TURNS  # the mentee asked for more time on options
        return next_stage(current, turns, message)

    def _save(self, record: TranscriptRecord) -> None:
        self.store.append(self.session_id, record)
        self.records.append(record)

    def _answer_safely(self, message: str, step: SafetyStep) -> Iterator[TurnEvent]:
        """Save the message with its safety flag, then answer with the step's fixed words."""
        risk = [f"risk:{step.category}"] if step.category else []
        flag = [step.flag] if step.flag else []
        stage = self.stage
        record = TranscriptRecord(role="mentee", text=message, stage=stage, flags=flag + risk)
        self._save(record)
        outcomes: dict[str, Outcome] = {
            "crisis": "crisis",
            "hold": "crisis",
            "check_in": "check_in",
        }
        outcome = outcomes.get(step.action, "safety")
        marks = [*([AGAIN] if step.again else []), *([CONFIRMED] if step.confirmed else [])]
        resources = crisis_message(self.settings.crisis_message_file)
        reply = step_reply(step, self.records, self._plain_opening(), resources)
        self._save(
            TranscriptRecord(
                role="coach",
                text=reply,
                stage=record.stage,
                reply_to=record.id,
                source=step.source,
                flags=risk + marks,
            )
        )
        yield Delta(reply)
        yield TurnResult(outcome=outcome, stage=record.stage, reply=reply)

    def _answer(self, record: TranscriptRecord, notices: list[str]) -> Iterator[TurnEvent]:
        coaching = self.coaching_records
        messages = turn_messages(
            self.provider,
            record.stage,
            coaching,
            self.settings.max_prompt_chars,
            memory=self._memory_prompt(),
            guidance=self.guidance,
        )
        memory_off = self._memory_notice()
        if memory_off:
            notices.append(memory_off)
            yield Notice(memory_off)
        asked = [r.text for r in coaching if r.role == "coach"]
        said = [r.text for r in coaching if r.role == "mentee"]
        context = GuardContext(
            earlier=asked,
            advice_requests=count_advice_requests(said),
            grounding=None
            if self.provider.capabilities.stays_on_topic
            else Grounding.from_messages(said),
        )
        lead = lead_reflection(self.provider, coaching, record.text)
        drafting = draft_with_repair(self.provider, messages, retry_for(self.provider), context)
        if lead:
            drafting = led_by(lead + " ", drafting)
        try:
            reply, outcome, rejected = yield from drafting
        except ProviderError as exc:
            problem = render("provider_error", problem=_sentence(str(exc)))
            yield TurnResult(outcome="error", stage=record.stage, error=problem, notices=notices)
            return
        if reply is None:
            reply = fallback_question(record.stage, record.text, asked, after_reflection=bool(lead))
            yield Delta(reply)
        reply = f"{lead} {reply}" if lead else reply
        self._save(
            TranscriptRecord(
                role="coach",
                text=reply,
                stage=record.stage,
                reply_to=record.id,
                source=outcome,
                rejected=rejected,
                flags=[REFLECTED] if lead else [],
            )
        )
        yield TurnResult(
            outcome=outcome,
            stage=record.stage,
            reply=reply,
            notices=notices,
            rejected=rejected,
        )
        if self.memory is not None:
            self.memory.warm_up()  # after the answer, so loading never delays it


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _last_result(events: Iterator[TurnEvent]) -> TurnResult:
    result = None
    for event in events:
        if isinstance(event, TurnResult):
            result = event
    if result is None:  # pragma: no cover - every path ends with a TurnResult
        raise RuntimeError("turn ended without a result")
    return result
