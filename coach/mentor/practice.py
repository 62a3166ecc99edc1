"""Practice: the mentor asks, a persona from the eval scenarios answers, then a scorecard.

The scorecard reads the mentor's turns with the same metrics as the eval suite.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from coach.errors import ConfigError
from coach.evals.mentee import SimulatedMenteeTurns
from coach.evals.metrics import TurnScore, score_scenario
from coach.evals.records import EvalTurn, ScenarioRun
from coach.evals.scenario import Scenario
from coach.mentor.critique import find_flaws
from coach.mentor.rewrite import rule_rewrites
from coach.providers import ChatProvider
from coach.text import clean


class PracticeMentee:
    """The persona's side: scripted messages in order, or a model playing the persona."""

    def __init__(self, scenario: Scenario, provider: ChatProvider | None = None) -> None:
        if scenario.simulated is not None and provider is None:
            raise ConfigError(
                f"The scenario {scenario.id} has a simulated mentee, which needs a model: "
                "add --provider, or choose a scenario with scripted turns."
            )
        self.scenario = scenario
        self._simulated = (
            SimulatedMenteeTurns(scenario, scenario.simulated, provider)
            if scenario.simulated is not None and provider is not None
            else None
        )
        self.exchanges: list[tuple[str, str]] = []  # (mentee, mentor)
        self.current = self.first_message

    @property
    def first_message(self) -> str:
        if self.scenario.simulated is not None:
            return self.scenario.simulated.opening
        return self.scenario.turns[0]

    @property
    def finished(self) -> bool:
        return len(self.exchanges) >= self.scenario.max_turns

    def reply(self, mentor_said: str) -> str | None:
        """Record the mentor's turn and return the mentee's next message (None at the end)."""
        self.exchanges.append((self.current, clean(mentor_said)))
        if self.finished:
            return None
        if self._simulated is not None:
            # To the persona model, the mentor is the coach: (coach, mentee) pairs so far.
            pairs = [
                (mentor, self.exchanges[i + 1][0])
                for i, (_, mentor) in enumerate(self.exchanges[:-1])
            ]
            message = self._simulated.next_message(pairs, self.exchanges[-1][1]) or None
        else:
            message = self.scenario.turns[len(self.exchanges)]
        if message:
            self.current = message
        return message


class WorstTurn(BaseModel):
    mentee: str
    mentor: str
    problems: list[str]
    better: str


class Scorecard(BaseModel):
    """The mentor's turns, measured as the eval suite measures the coach."""

    turns: int
    open_question_share: float | None
    reflection_to_question: float | None
    advice_turns: int
    stacked_turns: int
    mentee_talk_share: float | None
    worst: WorstTurn | None


def _problems(score: TurnScore, mentor: str) -> list[str]:
    problems = list(score.flags)
    if "?" in mentor:
        extra = ("leading", "why", "long", "vague")  # the rest are already in the score's flags
        problems += [kind for kind in find_flaws(mentor) if kind in extra]
    return list(dict.fromkeys(problems))


def scorecard(scenario: Scenario, exchanges: Sequence[tuple[str, str]]) -> Scorecard:
    """Score (mentee, mentor) exchanges: open questions, reflections, advice, talk share."""
    turns = [
        EvalTurn(index=i, mentee=mentee, coach=mentor, outcome="model")
        for i, (mentee, mentor) in enumerate(exchanges, start=1)
    ]
    run = ScenarioRun(scenario=scenario, turns=turns)
    score = score_scenario(run, embed=None)
    scores = [score.turns[turn.index] for turn in turns]
    asked = [s for s in scores if s.ends_with_question]
    questions = sum(s.questions for s in scores)
    worst = None
    if turns:
        ranked = sorted(
            zip(turns, scores, strict=True),
            key=lambda pair: len(_problems(pair[1], pair[0].coach or "")),
            reverse=True,
        )
        turn, turn_score = ranked[0]
        problems = _problems(turn_score, turn.coach or "")
        if problems:
            flaws = find_flaws(turn.coach or "") if "?" in (turn.coach or "") else ["advice"]
            better = rule_rewrites(turn.coach or "", turn.mentee, flaws)[0]
            worst = WorstTurn(
                mentee=turn.mentee or "", mentor=turn.coach or "", problems=problems, better=better
            )
    return Scorecard(
        turns=len(turns),
        open_question_share=sum(s.open_question for s in asked) / len(asked) if asked else None,
        reflection_to_question=(
            sum(s.reflections for s in scores) / questions if questions else None
        ),
        advice_turns=sum(s.advice_leak for s in scores),
        stacked_turns=sum(s.stacked for s in scores),
        mentee_talk_share=score.mentee_talk_share,
        worst=worst,
    )
