"""CoachSession: one turn = check -> save -> stage -> prompt -> draft -> guard -> save."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from coach.errors import ProviderError
from coach.guard import GuardContext, count_advice_requests, fallback_question
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.safety import crisis_message, is_crisis
from coach.session.drafting import Draft, draft_with_repair
from coach.session.events import Delta, Notice, TurnEvent, TurnResult
from coach.session.prompting import build_messages, repair_messages
from coach.session.stages import first_stage, next_stage
from coach.session.transcript import TranscriptRecord, TranscriptStore, new_id
from coach.settings import Settings
from coach.text import clean


class CoachSession:
    """A mentee's conversation with the coach. Resumes from its transcript if it exists."""

    def __init__(
        self,
        provider: ChatProvider,
        settings: Settings,
        *,
        user: str,
        session_id: str | None = None,
    ) -> None:
        self.provider = provider
        self.settings = settings
        self.store = TranscriptStore(settings.data_dir, user)
        self.session_id = session_id or new_id()
        self.records: list[TranscriptRecord] = self.store.load(self.session_id)

    @property
    def user(self) -> str:
        return self.store.user

    @property
    def stage(self) -> str:
        return self.records[-1].stage if self.records else first_stage()

    @property
    def pending(self) -> TranscriptRecord | None:
        """The mentee's last message, if the coach has not answered it yet."""
        if self.records and self.records[-1].role == "mentee":
            return self.records[-1]
        return None

    def opening(self) -> str:
        return render("opening")

    def turn(self, text: str) -> TurnResult:
        """Run a whole turn and return how it ended."""
        return _last_result(self.stream_turn(text))

    def stream_turn(self, text: str) -> Iterator[TurnEvent]:
        """Answer a mentee message, yielding the reply as it is drafted; ends with TurnResult."""
        message = clean(text)
        if not message:
            yield TurnResult(outcome="notice", stage=self.stage, reply=render("empty_message"))
            return
        crisis = is_crisis(message)
        stage = self.stage if crisis else self._stage_after(message)
        record = TranscriptRecord(
            role="mentee", text=message, stage=stage, flags=["crisis"] if crisis else []
        )
        self._save(record)
        if crisis:
            yield from self._answer_crisis(record)
            return
        notices = []
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

    def _stage_after(self, message: str) -> str:
        current = self.stage
        turns = sum(1 for r in self.records if r.role == "mentee" and r.stage == current)
        return next_stage(current, turns, message)

    def _save(self, record: TranscriptRecord) -> None:
        self.store.append(self.session_id, record)
        self.records.append(record)

    def _answer_crisis(self, record: TranscriptRecord) -> Iterator[TurnEvent]:
        reply = crisis_message()
        self._save(
            TranscriptRecord(
                role="coach", text=reply, stage=record.stage, reply_to=record.id, source="crisis"
            )
        )
        yield Delta(reply)
        yield TurnResult(outcome="crisis", stage=record.stage, reply=reply)

    def _answer(self, record: TranscriptRecord, notices: list[str]) -> Iterator[TurnEvent]:
        messages = build_messages(record.stage, self.records, self.settings.max_prompt_chars)
        asked = [r.text for r in self.records if r.role == "coach"]
        context = GuardContext(
            earlier=asked,
            advice_requests=count_advice_requests(
                [r.text for r in self.records if r.role == "mentee"]
            ),
        )
        try:
            reply, outcome, rejected = yield from draft_with_repair(
                self.provider, messages, _repair_for, context
            )
        except ProviderError as exc:
            problem = render("provider_error", problem=_sentence(str(exc)))
            yield TurnResult(outcome="error", stage=record.stage, error=problem, notices=notices)
            return
        if reply is None:
            reply = fallback_question(record.stage, record.text, asked)
            yield Delta(reply)
        self._save(
            TranscriptRecord(
                role="coach",
                text=reply,
                stage=record.stage,
                reply_to=record.id,
                source=outcome,
                rejected=rejected,
            )
        )
        yield TurnResult(
            outcome=outcome,
            stage=record.stage,
            reply=reply,
            notices=notices,
            rejected=rejected,
        )


def _repair_for(messages: Sequence[ChatMessage], draft: Draft) -> list[ChatMessage]:
    return repair_messages(messages, draft.text, draft.verdict.explain())


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
