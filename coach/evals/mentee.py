"""The mentee's side of a scenario: scripted messages, or a model playing a persona."""

from __future__ import annotations

from collections.abc import Sequence

from coach.evals.scenario import Scenario, SimulatedMentee
from coach.prompts import render
from coach.providers import ChatMessage, ChatProvider
from coach.text import clean

_SPEAKER_LABELS = ("coach:", "mentor:", "mentee:", "me:", "assistant:", "user:")


def _first_lines(text: str) -> str:
    """The mentee's own words: up to the first blank line or a line that starts a new speaker."""
    kept: list[str] = []
    for line in clean(text).splitlines():
        stripped = line.strip()
        if kept and (not stripped or stripped.lower().startswith(_SPEAKER_LABELS)):
            break
        if stripped:
            kept.append(stripped)
    return " ".join(kept).strip(' "')


class SimulatedMenteeTurns:
    """Asks a model, playing the persona, for the mentee's next message."""

    def __init__(self, scenario: Scenario, spec: SimulatedMentee, provider: ChatProvider) -> None:
        self.spec = spec
        self.provider = provider
        self.system = render(
            "simulated_mentee",
            persona=scenario.persona,
            dilemma=scenario.dilemma,
            prompt=spec.prompt,
        )

    def next_message(self, exchanges: Sequence[tuple[str, str]], coach_said: str) -> str:
        """The next message, given the (coach, mentee) exchanges so far and the coach's last words.

        The roles are swapped: to the mentee model, the coach is the user.
        """
        messages = [ChatMessage(role="system", content=self.system)]
        for coach, mentee in exchanges:
            messages.append(ChatMessage(role="user", content=coach))
            messages.append(ChatMessage(role="assistant", content=mentee))
        messages.append(ChatMessage(role="user", content=coach_said))
        return _first_lines("".join(self.provider.stream(messages)))
