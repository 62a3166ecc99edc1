"""Record a suite's model responses, then re-score them with no model, deterministically."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.evals.cassette import Cassette
from coach.evals.scenario import Scenario
from coach.evals.suite import EvalPlan, run_eval
from coach.evals.thresholds import load_thresholds
from coach.memory import get_embedder
from coach.providers import Capabilities, ScriptedProvider
from coach.settings import load_settings
from tests.evals.conftest import scenario

CREDIT = scenario(
    id="a-credit",
    turns=[
        "My manager presented my churn analysis to the directors as his own last week.",
        "I felt invisible, and angry with myself for saying nothing in the meeting.",
    ],
)
RETURNING = scenario(
    id="b-returning",
    behaviours=["returning"],
    turns=["I did book it, and we talk on Thursday about the churn analysis."],
    memory={"dilemma": "Credit.", "commitments": [{"text": "Book a one-to-one with my manager"}]},
)
REPLIES = [
    "What went through your mind as they congratulated him?",
    "You should just tell the directors yourself.",  # rejected by the guard...
    "What would you want the directors to know?",  # ...and repaired
    "What do you hope Thursday will change?",
]


def plan(mode: str, scenarios: list[Scenario], **fields: object) -> EvalPlan:
    settings = load_settings(provider="scripted")
    return EvalPlan(
        scenarios=scenarios,
        thresholds=load_thresholds(),
        settings=settings,
        embedder=get_embedder(settings),
        mode=mode,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def without_latency(report_part: dict) -> dict:
    for scenario_report in report_part["scenarios"]:
        for turn in scenario_report["turns"]:
            turn.pop("seconds")
    for key in ("latency_p50_s", "latency_p95_s"):
        report_part["metrics"].pop(key)
    return report_part


def test_replay_rescores_the_recording_without_a_model(tmp_path: Path) -> None:
    cassette = Cassette("scripted replies (for tests)")
    provider = ScriptedProvider(REPLIES)
    both = [CREDIT, RETURNING]
    recorded = run_eval(plan("record", both, providers=[provider], cassette=cassette))
    path = tmp_path / "suite.jsonl"
    cassette.save(path)

    first = run_eval(plan("replay", [CREDIT, RETURNING], cassette=Cassette.load(path)))
    second = run_eval(plan("replay", [CREDIT, RETURNING], cassette=Cassette.load(path)))

    assert first.coach.model_dump() == second.coach.model_dump()  # deterministic, latency too
    assert without_latency(first.coach.model_dump()) == without_latency(recorded.coach.model_dump())
    credit = first.coach.scenarios[0]
    assert [t.outcome for t in credit.turns] == ["opening", "model", "repaired"]
    assert credit.turns[2].rejected and "tells the mentee what to do" in credit.turns[2].rejected[0]
    assert first.coach.scenarios[1].followed_up is True
    recorded_seconds = sum(call.seconds for call in Cassette.load(path).calls())
    replayed_seconds = sum(t.seconds for s in first.coach.scenarios for t in s.turns)
    assert replayed_seconds == pytest.approx(recorded_seconds, abs=1e-3)


def test_a_cassette_out_of_step_with_the_suite_says_to_record_again(tmp_path: Path) -> None:
    cassette = Cassette("scripted replies")
    run_eval(
        plan("record", [CREDIT], providers=[ScriptedProvider(REPLIES[:1] * 3)], cassette=cassette)
    )
    longer = CREDIT.model_copy(update={"turns": [*CREDIT.turns, "And then what?"]})
    report = run_eval(plan("replay", [longer], cassette=cassette))
    error = report.coach.scenarios[0].error or ""
    assert "Record it again with --record" in error
    assert not report.passed  # scenario_errors fails


def test_a_failing_model_ends_its_scenario_with_an_error_not_a_crash(tmp_path: Path) -> None:
    from coach.errors import ProviderError

    provider = ScriptedProvider(["What matters most here?", ProviderError("server down")])
    report = run_eval(plan("live", [CREDIT], providers=[provider]))
    scenario_report = report.coach.scenarios[0]
    assert "server down" in (scenario_report.error or "").lower()
    assert report.coach.metrics["scenario_errors"] == 1 and not report.passed


def test_the_baseline_runs_the_plain_prompt_without_guard_or_memory() -> None:
    coach_replies = ["What matters most here?", "What else is on your mind?"]
    baseline_replies = ["You should tell the directors.", "You need to speak up."]
    provider = ScriptedProvider(coach_replies + baseline_replies)
    report = run_eval(plan("live", [CREDIT], providers=[provider], baseline=True))
    assert report.baseline is not None
    assert report.coach.metrics["advice_leak_rate"] == 0.0
    assert report.baseline.metrics["advice_leak_rate"] == 1.0
    assert not report.baseline.passed
    assert report.passed == report.coach.passed  # the baseline is for comparison only
    plain_prompt = provider.calls[2]
    assert plain_prompt[0].content.startswith("You are a helpful mentor")
    assert all("Stage:" not in m.content for m in plain_prompt)


class _Constrained(ScriptedProvider):
    """A model with a decoding constraint, like the embedded one, and a free-text twin."""

    def __init__(self, replies: list[str], free_replies: list[str]) -> None:
        super().__init__(replies)
        self.free = ScriptedProvider(free_replies)

    def unconstrained(self) -> ScriptedProvider:
        return self.free


@pytest.mark.parametrize("mode", ["live", "record"])
def test_the_baseline_and_simulated_mentee_write_free_text(mode: str) -> None:
    simulated = scenario(
        id="simulated",
        turns=[],
        simulated={"prompt": "Terse.", "opening": "My manager took credit.", "max_turns": 2},
    )
    model = _Constrained(
        ["What happened next?", "What matters most?"],
        [
            "He presented my slides as his again today.",
            "You should complain.",
            "He did it again.",
            "Tell HR.",
        ],
    )
    cassette = Cassette("constrained") if mode == "record" else None
    report = run_eval(plan(mode, [simulated], providers=[model], cassette=cassette, baseline=True))
    coach_turns = report.coach.scenarios[0].turns
    said = [t.mentee for t in coach_turns[1:]]
    assert said == ["My manager took credit.", "He presented my slides as his again today."]
    assert report.baseline is not None and report.baseline.scenarios[0].error is None
    baseline_turns = report.baseline.scenarios[0].turns
    assert [t.coach for t in baseline_turns[1:]] == ["You should complain.", "Tell HR."]
    assert model.pending == 0 and model.free.pending == 0


def test_a_cassette_keeps_what_the_recorded_model_could_do(tmp_path: Path) -> None:
    from coach.evals.cassette import ReplayProvider

    path = tmp_path / "embedded.jsonl"
    small = Capabilities(structured_output=False, follows_feedback=False, reflects=False)
    Cassette("a small local model", capabilities=small).save(path)
    replay = ReplayProvider(Cassette.load(path), "a-credit", "coach")
    assert replay.capabilities == small
    two_flags = tmp_path / "two-flags.jsonl"
    two_flags.write_text('{"cassette": 1, "provider": "p", "reflects": false}\n')
    kept = ReplayProvider(Cassette.load(two_flags), "a-credit", "coach").capabilities
    assert not kept.reflects and kept.stays_on_topic and kept.structured_output
    older = tmp_path / "older.jsonl"
    older.write_text('{"cassette": 1, "provider": "before the flags"}\n')
    replay = ReplayProvider(Cassette.load(older), "a-credit", "coach")
    assert replay.capabilities == Capabilities()


def test_a_reply_read_only_in_part_is_recorded_as_far_as_it_was_read() -> None:
    """The guard stops reading a draft at a sentence with advice; the replay must give back
    the same words, or it falls out of step with the recording."""
    from coach.evals.cassette import RecordingProvider
    from coach.providers import ChatMessage

    cassette = Cassette("scripted")
    recording = RecordingProvider(
        ScriptedProvider(["You should quit. What do you think?"]), cassette, "s", "coach"
    )
    stream = recording.stream([ChatMessage(role="user", content="hello")])
    read = "".join(next(stream) for _ in range(3))
    assert read == "You should quit."
    stream.close()  # the reader stops here
    call = cassette.get("s", "coach", 0)
    assert call is not None and call.reply == read and call.error is None
