"""One rehearsal: the mentee speaks, the counterpart answers in character."""

from __future__ import annotations

from collections.abc import Iterator

from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider, unconstrained
from coach.providers.base import Role
from coach.roleplay.book import RolePlayScenario
from coach.safety import screen
from coach.safety.flow import check_in_question
from coach.text import clean, split_sentences

MAX_SENTENCES = 3
WITHHELD = "withheld"  # a mentee message the safety check paused on
MAX_MESSAGE_CHARS = 2000


class Rehearsal:
    """A conversation between the mentee and a simulated counterpart."""

    def __init__(self, scenario: RolePlayScenario, provider: ChatProvider) -> None:
        self.scenario = scenario
        self.provider = unconstrained(provider)  # the counterpart talks freely, not in questions
        self.turns: list[tuple[str, str]] = [("counterpart", scenario.counterpart.opening)]
        self.stopped_for_safety = False
        self.safety_question: str | None = None  # asked out of role; the rehearsal waits

    @property
    def said(self) -> list[str]:
        """What the mentee said, in order."""
        return [text for role, text in self.turns if role == "mentee"]

    def answer(self, text: str) -> Iterator[str]:
        """Record the mentee's words and stream the counterpart's reply.

        Raises ProviderError when the model fails; the mentee's words are kept, and
        ``retry`` asks again. Clear risk ends the rehearsal (see ``stopped_for_safety``); an
        indirect signal pauses it with one direct question (``safety_question``), answered by
        ``carry_on`` or ``stop_for_safety``.
        """
        message = clean(text)
        if not message:
            return
        earlier = self.said[-3:]
        self.turns.append(("mentee", message))
        result = screen(message, earlier)
        if result.level == "crisis":
            self.stopped_for_safety = True
            return
        if result.level == "check_in":
            self.safety_question = check_in_question(result.category)
            self.turns[-1] = (WITHHELD, message)
            return
        yield from self.retry()

    def carry_on(self) -> None:
        """The mentee says they are safe: the rehearsal goes on from their next words. The
        paused message stays on the page but is not sent to the counterpart or debriefed."""
        self.safety_question = None

    def stop_for_safety(self) -> None:
        self.safety_question = None
        self.stopped_for_safety = True

    def retry(self) -> Iterator[str]:
        """Stream the counterpart's answer to the mentee's last, unanswered message."""
        if not self.turns or self.turns[-1][0] != "mentee" or self.stopped_for_safety:
            return
        if self.safety_question is not None:
            return
        pieces: list[str] = []
        for piece in self.provider.stream(self._messages()):
            pieces.append(piece)
            yield piece
        reply = " ".join(split_sentences("".join(pieces))[:MAX_SENTENCES]).strip()
        name = self.scenario.counterpart.name
        self.turns.append(("counterpart", reply or render("roleplay_silence", person=name)))

    @property
    def last_reply(self) -> str:
        role, text = self.turns[-1]
        return text if role == "counterpart" else ""

    def _messages(self) -> list[ChatMessage]:
        person = self.scenario.counterpart
        system = render(
            "roleplay_counterpart",
            person=person.name,
            role=person.role,
            manner=person.manner,
            goal=self.scenario.goal,
        )
        messages = [ChatMessage(role="system", content=system)]
        for role, text in self.turns:
            if role == WITHHELD:
                continue
            speaker: Role = "assistant" if role == "counterpart" else "user"
            messages.append(ChatMessage(role=speaker, content=text[:MAX_MESSAGE_CHARS]))
        return messages
