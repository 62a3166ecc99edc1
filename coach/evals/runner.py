"""Run scenarios through the coach (or the plain baseline), live, recording, or replaying."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Literal, Protocol

from tqdm import tqdm

from coach.errors import CoachError, ProviderError
from coach.evals.cassette import Cassette, Channel, RecordingProvider, ReplayProvider
from coach.evals.mentee import SimulatedMenteeTurns
from coach.evals.plain import PlainCoach
from coach.evals.records import EvalTurn, ScenarioRun
from coach.evals.scenario import Scenario, SeededStep
from coach.goals.models import Step
from coach.goals.overview import Overview
from coach.memory import Embedder, NoteStore
from coach.memory.recall import SessionMemory
from coach.notes import Commitment, SessionNote
from coach.providers import ChatProvider, unconstrained
from coach.records import open_records
from coach.session import CoachSession, open_session
from coach.session.events import TurnResult
from coach.settings import Settings

RunMode = Literal["live", "record", "replay"]


class Coach(Protocol):
    def opening(self) -> str: ...

    def turn(self, text: str) -> TurnResult: ...


@dataclass
class SuiteRun:
    """How to run a suite: which models, which mode, and where scratch data goes."""

    settings: Settings
    work_dir: Path
    providers: Sequence[ChatProvider] = ()
    """One coach model per parallel worker; none when replaying."""
    cassette: Cassette | None = None
    mode: RunMode = "live"
    baseline: bool = False
    embedder: Embedder | None = None
    """Needed for returning-mentee scenarios (their notes are kept in Chroma)."""
    _store: NoteStore | None = field(default=None, init=False, repr=False)
    _store_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def jobs(self) -> int:
        return max(1, len(self.providers))

    def channel(
        self, model: ChatProvider | None, scenario: str, channel: Channel, label: str
    ) -> ChatProvider:
        """The provider for one scenario and channel, wrapped to record or replay."""
        if self.mode == "replay":
            assert self.cassette is not None
            return ReplayProvider(self.cassette, f"{label}{scenario}", channel)
        if model is None:
            raise CoachError("No model is configured for the suite.")
        # The simulated mentee and the plain baseline write free text, not one guarded question.
        free = channel == "mentee" or self.baseline
        inner = unconstrained(model) if free else model
        if self.mode == "record":
            assert self.cassette is not None
            return RecordingProvider(inner, self.cassette, f"{label}{scenario}", channel)
        return inner

    def store(self) -> NoteStore:
        """One note store for the whole run, in the scratch folder."""
        with self._store_lock:
            if self._store is None:
                if self.embedder is None:
                    raise CoachError("Returning-mentee scenarios need the embedder.")
                settings = self.settings.model_copy(
                    update={"data_dir": self.work_dir, "chroma_url": None, "database_url": None}
                )
                self._store = NoteStore.open(settings, self.embedder)
            return self._store


def _seed_memory(run: SuiteRun, scenario: Scenario, user: str, today: date) -> SessionMemory:
    assert scenario.memory is not None
    store = run.store()
    store.delete_user(user)
    earlier = f"earlier-{scenario.id}"
    commitments = [
        Commitment(text=c.text, due=c.due(today), session=earlier)
        for c in scenario.memory.commitments
    ]
    note = SessionNote(
        user=user,
        session=earlier,
        date=today - timedelta(days=7),
        dilemma=scenario.memory.dilemma,
        commitments=commitments,
    )
    store.add_note(user, note)
    return SessionMemory(store, user, run.settings.recall_threshold)


def _coach_for(run: SuiteRun, scenario: Scenario, provider: ChatProvider) -> Coach:
    if run.baseline:
        return PlainCoach(provider)
    user = f"eval-{scenario.id}"[:64]
    memory = _seed_memory(run, scenario, user, date.today()) if scenario.memory else None
    settings = run.settings.model_copy(
        update={"data_dir": run.work_dir / "transcripts", "database_url": None}
    )
    arc = None
    if scenario.mode != "coaching":
        arc = _seed_plan(settings, scenario, user, date.today())
    return open_session(provider, settings, user=user, mode=scenario.mode, memory=memory, arc=arc)


def _step(seeded: SeededStep, today: date) -> Step:
    due = None if seeded.due_in_days is None else today + timedelta(days=seeded.due_in_days)
    return Step(text=seeded.text, status=seeded.status, due=due)


def _seed_plan(settings: Settings, scenario: Scenario, user: str, today: date) -> Overview:
    """Write the scenario's plan for its user; return where it stands."""
    from coach.goals import GoalStore
    from coach.goals.models import Cadence, GoalPlan, Milestone
    from coach.goals.overview import overview

    goals = GoalStore(open_records(settings), user)
    plan = GoalPlan()
    if scenario.plan is not None:
        started = today - timedelta(days=scenario.plan.started_days_ago)
        plan.cadence = Cadence(every_days=scenario.plan.every_days, since=started)
        plan.milestones = [
            Milestone(
                title=m.title, why=m.why, created=started, steps=[_step(s, today) for s in m.steps]
            )
            for m in scenario.plan.milestones
        ]
    goals.save(plan)
    return overview(goals, None, today)


def _model_seconds(provider: ChatProvider) -> float:
    return float(getattr(provider, "model_seconds", 0.0))


def run_scenario(
    run: SuiteRun, scenario: Scenario, model: ChatProvider | None = None
) -> ScenarioRun:
    """Play one scenario to its end; a provider failure ends it with an error, never a crash."""
    label = "baseline/" if run.baseline else ""
    coach_model = run.channel(model, scenario.id, "coach", label)
    models = [coach_model]
    result = ScenarioRun(scenario=scenario)
    try:
        coach = _coach_for(run, scenario, coach_model)
        opening = coach.opening()
        follow_up = (
            isinstance(coach, CoachSession)
            and coach.records[:1] != []
            and (coach.records[0].source == "follow_up")
        )
        outcome: Literal["follow_up", "opening"] = "follow_up" if follow_up else "opening"
        result.turns.append(EvalTurn(index=0, coach=opening, outcome=outcome))
        simulated = None
        if scenario.simulated is not None:
            mentee_model = run.channel(model, scenario.id, "mentee", label)
            models.append(mentee_model)
            simulated = SimulatedMenteeTurns(scenario, scenario.simulated, mentee_model)
        message = scenario.simulated.opening if scenario.simulated else scenario.turns[0]
        for index in range(1, scenario.max_turns + 1):
            turn = _play_turn(run, coach, coach_model, index, message)
            result.turns.append(turn)
            if turn.outcome == "error" or index == scenario.max_turns:
                break
            if turn.outcome == "crisis" and (scenario.check_in_turn or 0) <= index:
                break  # coaching stopped; only a scripted back-off is played after it
            if simulated is not None:
                assert scenario.simulated is not None
                if scenario.simulated.stops_at(message):
                    break
                exchanges = _exchanges(result.turns)
                message = simulated.next_message(exchanges, turn.coach or "")
                if not message:
                    break
            else:
                message = scenario.turns[index]
        errors = [t.error for t in result.turns if t.error]
        result.error = errors[0] if errors else None
    except (CoachError, ProviderError) as exc:
        result.error = str(exc)
    out_of_step = [getattr(m, "out_of_step", None) for m in models]
    if any(out_of_step):
        result.error = next(reason for reason in out_of_step if reason)
    return result


def _exchanges(turns: Sequence[EvalTurn]) -> list[tuple[str, str]]:
    return [(before.coach or "", after.mentee or "") for before, after in pairwise(turns)]


def _play_turn(
    run: SuiteRun, coach: Coach, model: ChatProvider, index: int, message: str
) -> EvalTurn:
    started, model_before = time.perf_counter(), _model_seconds(model)
    result = coach.turn(message)
    wall = time.perf_counter() - started
    seconds = _model_seconds(model) - model_before if run.mode == "replay" else wall
    return EvalTurn(
        index=index,
        mentee=message,
        coach=result.reply,
        outcome=result.outcome,
        rejected=result.rejected,
        notices=result.notices,
        seconds=round(seconds, 4),
        error=result.error,
    )


def run_suite(
    run: SuiteRun,
    scenarios: Sequence[Scenario],
    progress: Callable[[int, str], tqdm] | None = None,
) -> list[ScenarioRun]:
    """Every scenario, ``run.jobs`` at a time (one model each), in scenario order.

    Shows a progress bar on stderr.
    """
    idle: queue.SimpleQueue[ChatProvider | None] = queue.SimpleQueue()
    for provider in run.providers:
        idle.put(provider)
    if not run.providers:
        idle.put(None)

    def play(scenario: Scenario) -> ScenarioRun:
        model = idle.get()
        try:
            return run_scenario(run, scenario, model)
        finally:
            idle.put(model)

    title = "baseline" if run.baseline else "coach"
    bar = (progress or _bar)(len(scenarios), title)
    results: dict[str, ScenarioRun] = {}
    with ThreadPoolExecutor(max_workers=run.jobs, thread_name_prefix="scenario") as pool:
        futures = {pool.submit(play, scenario): scenario for scenario in scenarios}
        for future in as_completed(futures):
            finished = future.result()
            results[finished.scenario.id] = finished
            bar.set_postfix_str(finished.scenario.id)
            bar.update()
    bar.close()
    return [results[scenario.id] for scenario in scenarios]


def _bar(total: int, title: str) -> tqdm:
    return tqdm(total=total, desc=f"{title} scenarios", unit="scenario", leave=True)
