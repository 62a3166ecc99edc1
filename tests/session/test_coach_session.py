"""The turn pipeline, driven by the scripted model."""

from __future__ import annotations

import pytest

from coach.errors import ProviderError
from coach.guard import check_reply
from coach.providers import Capabilities, ScriptedProvider
from coach.records import open_records
from coach.session import CoachSession, Delta, Notice, Retract, TranscriptStore, TurnResult
from coach.settings import Settings
from coach.transcripts import TranscriptRecord

ADVICE = "You should talk to your manager today. Make sure you document everything."
GOOD = "What would you want your manager to understand?"


def run(session: CoachSession, text: str) -> tuple[list[object], TurnResult]:
    events = list(session.stream_turn(text))
    result = events[-1]
    assert isinstance(result, TurnResult)
    return events, result


def shown_text(events: list[object]) -> str:
    """What the mentee saw, honouring retractions."""
    shown = ""
    for event in events:
        if isinstance(event, Delta):
            shown += event.text
        elif isinstance(event, Retract):
            shown = ""
    return shown


def test_a_good_draft_is_streamed_and_saved(session: CoachSession, scripted: ScriptedProvider):
    scripted.enqueue("It sounds like credit matters to you. " + GOOD)
    events, result = run(session, "My manager presents my ideas as his own.")
    deltas = [e.text for e in events if isinstance(e, Delta)]
    assert deltas == ["It sounds like credit matters to you. ", GOOD]
    assert result.outcome == "model"
    saved = TranscriptStore(session.store.records, "alice").load(session.session_id)
    assert [(r.role, r.text) for r in saved] == [
        ("mentee", "My manager presents my ideas as his own."),
        ("coach", "It sounds like credit matters to you. " + GOOD),
    ]
    assert saved[1].reply_to == saved[0].id


def test_advice_never_reaches_the_mentee(session: CoachSession, scripted: ScriptedProvider):
    scripted.enqueue(ADVICE, "I'd recommend leaving. What do you think?")
    events, result = run(session, "My manager takes credit for my work.")
    assert result.outcome == "fallback"
    assert not any(
        "should" in e.text or "recommend" in e.text for e in events if isinstance(e, Delta)
    )
    assert check_reply(shown_text(events)).passed
    assert shown_text(events) == result.reply
    assert len(result.rejected) == 2
    saved = session.store.load(session.session_id)
    assert saved[-1].source == "fallback" and saved[-1].text == result.reply
    assert "tells the mentee what to do" in saved[-1].rejected[0]


def test_a_failed_draft_gets_one_retry_with_its_reasons(
    session: CoachSession, scripted: ScriptedProvider
):
    scripted.enqueue("Do you want to stay?", GOOD)
    _, result = run(session, "I can't decide whether to stay in my team.")
    assert result.outcome == "repaired" and result.reply == GOOD
    repair_prompt = scripted.calls[1][-1].content
    assert "yes or no" in repair_prompt
    assert scripted.calls[1][-2].content == "Do you want to stay?"


def test_a_model_too_small_for_feedback_draws_again_from_the_same_prompt(
    session: CoachSession, scripted: ScriptedProvider, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(scripted, "capabilities", Capabilities(follows_feedback=False))
    scripted.enqueue("Do you want to stay?", GOOD)
    _, result = run(session, "I can't decide whether to stay in my team.")
    assert result.outcome == "repaired" and result.reply == GOOD
    assert scripted.calls[1] == scripted.calls[0]  # no rejected draft, no reasons: a new draw
    assert "yes or no" in result.rejected[0]  # the reason is still kept for the transcript


def test_a_reflection_shown_then_withdrawn_is_replaced(
    session: CoachSession, scripted: ScriptedProvider
):
    scripted.enqueue("It sounds like you feel stuck. Is that right?", GOOD)
    events, _result = run(session, "I feel stuck in my job.")
    assert any(isinstance(e, Retract) for e in events)
    assert shown_text(events) == GOOD


def test_a_failed_provider_leaves_the_message_saved(
    session: CoachSession, scripted: ScriptedProvider
):
    scripted.enqueue(ProviderError("could not reach http://127.0.0.1:9. Is the server running?"))
    _, result = run(session, "Should I tell my cofounder I want out?")
    assert result.outcome == "error" and result.reply is None
    assert result.error and "could not reach" in result.error.lower() and "saved" in result.error
    saved = session.store.load(session.session_id)
    assert [r.text for r in saved] == ["Should I tell my cofounder I want out?"]
    assert session.pending is not None

    scripted.enqueue(GOOD)
    retried = [e for e in session.retry() if isinstance(e, TurnResult)][-1]
    assert retried.reply == GOOD
    assert session.pending is None
    assert [r.role for r in session.store.load(session.session_id)] == ["mentee", "coach"]


def test_a_stream_cut_midway_is_withdrawn(session: CoachSession, scripted: ScriptedProvider):
    class CutStream(ScriptedProvider):
        def stream(self, messages):  # type: ignore[no-untyped-def]
            yield "It sounds like this matters. "
            raise ProviderError("the connection dropped.")

    cut = CutStream()
    session.provider = cut
    events, result = run(session, "I want to ask her to mentor me.")
    assert result.outcome == "error"
    assert shown_text(events) == ""
    assert session.pending is not None


def test_empty_message_asks_for_more_without_a_model_call(
    session: CoachSession, scripted: ScriptedProvider
):
    for text in ["", "   \n\t ", "\x00\x07"]:
        _, result = run(session, text)
        assert result.outcome == "notice" and result.reply
    assert scripted.calls == []
    assert session.store.load(session.session_id) == []


def test_a_long_message_is_kept_whole_and_shortened_for_the_model(
    session: CoachSession, scripted: ScriptedProvider, settings: Settings
):
    long_text = "My team lead. " + "x" * 9000 + " THE END"
    scripted.enqueue(GOOD)
    events, result = run(session, long_text)
    assert any(isinstance(e, Notice) for e in events)
    assert result.reply == GOOD
    assert session.store.load(session.session_id)[0].text == long_text
    sent = [m for m in scripted.calls[0] if m.role == "user"][-1].content
    assert len(sent) <= settings.max_prompt_chars
    assert sent.startswith("My team lead.") and sent.endswith("THE END")


def test_control_characters_and_broken_text_are_cleaned(
    session: CoachSession, scripted: ScriptedProvider
):
    scripted.enqueue(GOOD)
    broken = "My boss\x00 said\x1b[31m no\ud800 again"
    _, result = run(session, broken)
    assert result.reply == GOOD
    saved = session.store.load(session.session_id)[0].text
    assert "\x00" not in saved and "\x1b" not in saved
    assert saved.startswith("My boss said") and "again" in saved


def test_crisis_language_stops_coaching(session: CoachSession, scripted: ScriptedProvider):
    _, result = run(session, "Honestly I want to kill myself over this project.")
    assert result.outcome == "crisis"
    assert "988" in (result.reply or "")
    assert scripted.calls == []
    saved = session.store.load(session.session_id)
    assert (saved[0].safety, saved[0].risk) == ("crisis", "suicide")


def test_stages_move_forward_with_the_mentees_words(
    session: CoachSession, scripted: ScriptedProvider
):
    scripted.enqueue(*[f"What happened at step {n}?" for n in range(6)])
    stages = []
    for text in [
        "My cofounder wants to raise money and I do not.",
        "The decision is whether to agree to a seed round.",
        "We argued last week and nothing changed.",
        "She thinks we will run out of cash.",
        "Maybe I could propose a smaller bridge loan.",
        "I'll write to her by Friday with the numbers.",
    ]:
        stages.append(run(session, text)[1].stage)
    assert stages == ["dilemma", "reality", "reality", "reality", "options", "commitment"]
    assert any("Stage: Options" in m.content for m in scripted.calls[4] if m.role == "system")


def test_a_session_resumes_from_its_transcript(
    session: CoachSession, scripted: ScriptedProvider, settings: Settings
):
    scripted.enqueue(GOOD)
    run(session, "I was passed over for promotion.")
    resumed = CoachSession(scripted, settings, user="alice", session_id=session.session_id)
    assert [r.text for r in resumed.records] == ["I was passed over for promotion.", GOOD]
    scripted.enqueue("What would you ask first?")
    run(resumed, "I want to ask why.")
    assert "I was passed over for promotion." in [m.content for m in scripted.calls[-1]]


def test_users_do_not_see_each_others_transcripts(scripted, settings: Settings):
    alice = CoachSession(scripted, settings, user="alice")
    scripted.enqueue(GOOD)
    alice.turn("Alice's private dilemma.")
    bob_store = TranscriptStore(open_records(settings), "bob")
    assert bob_store.sessions() == []
    assert bob_store.load(alice.session_id) == []


def test_after_two_requests_the_coach_may_offer_one_tentative_idea(
    session: CoachSession, scripted: ScriptedProvider
):
    idea = "One option some people try is a recap email after meetings; it's your call. "
    scripted.enqueue(idea + "What would fit you best?")
    _, first = run(session, "Just tell me what to do about my manager.")
    assert first.outcome != "model"  # one request is not enough
    scripted.clear()
    scripted.enqueue(idea + "What would fit you best?")
    _, second = run(session, "Seriously, what should I do?")
    assert second.outcome == "model" and second.reply == idea + "What would fit you best?"


def test_a_transcript_saved_with_string_flags_still_reads() -> None:
    lines = [
        {
            "role": "coach",
            "text": 'Welcome back. Last time you said: "Book the one-to-one". What happened?',
            "stage": "dilemma",
            "source": "follow_up",
            "flags": ["follow_up:c42"],
        },
        {
            "role": "mentee",
            "text": "Things are dark.",
            "stage": "dilemma",
            "flags": ["check_in", "risk:suicide"],
        },
        {
            "role": "coach",
            "text": "Are you safe?",
            "stage": "dilemma",
            "source": "safety_check",
            "flags": ["risk:suicide", "asked_again"],
        },
        {
            "role": "coach",
            "text": "So it feels stuck. What next?",
            "stage": "reality",
            "source": "model",
            "flags": ["reflection"],
        },
    ]
    opening, marked, asked, reflected = (TranscriptRecord.model_validate(line) for line in lines)
    assert opening.follow_up is not None
    assert (opening.follow_up.commitment_id, opening.follow_up.commitment) == (
        "c42",
        "Book the one-to-one",
    )
    assert (marked.safety, marked.risk) == ("check_in", "suicide")
    assert asked.asked_again and asked.risk == "suicide" and not asked.confirmed
    assert reflected.reflected and reflected.safety is None
