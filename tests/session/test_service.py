"""Opening a session and keeping what it ends with: the calls the app, the CLI and the eval
suite share."""

from __future__ import annotations

from datetime import date

from coach.goals import GoalStore
from coach.goals.drafts import MilestoneDraft, PlanDraft, StepDraft
from coach.goals.overview import overview
from coach.notes.due_dates import split_dated
from coach.providers import ScriptedProvider
from coach.records import open_records
from coach.session import keep_plan, open_session
from coach.settings import Settings

TODAY = date(2026, 12, 6)


def test_a_session_opened_again_by_id_resumes_its_transcript(settings: Settings) -> None:
    scripted = ScriptedProvider(["What would you say to her first?"])
    first = open_session(scripted, settings, user="ana")
    first.turn("My manager presents my work as hers.")
    again = open_session(scripted, settings, user="ana", session_id=first.session_id)
    assert [r.text for r in again.records] == [r.text for r in first.records]
    assert again.guidance is None and again.mode == "coaching"


def test_the_plan_s_preferences_reach_the_session(settings: Settings) -> None:
    goals = GoalStore(open_records(settings), "ana")
    goals.add_milestone("Lead a project end to end", "It is the next step", [], TODAY)
    preferences = goals.load().preferences.model_copy(update={"more_time_on_options": True})
    goals.save(goals.load().model_copy(update={"preferences": preferences}))
    arc = overview(goals, None, TODAY)
    session = open_session(ScriptedProvider(), settings, user="ana", arc=arc, mode="review")
    assert session.more_time_on_options
    assert session.guidance and "Lead a project end to end" in session.guidance


def test_keeping_a_plan_adds_its_milestones_for_the_session_s_user(settings: Settings) -> None:
    session = open_session(ScriptedProvider(), settings, user="ana", mode="goal_setting")
    draft = PlanDraft(
        milestones=[
            MilestoneDraft(
                title="Speak up in architecture reviews",
                steps=[StepDraft(text="Prepare one question", due=date(2026, 12, 20))],
            )
        ],
        every_days=14,
    )
    added = keep_plan(session, draft, TODAY)
    assert [m.title for m in added] == ["Speak up in architecture reviews"]
    plan = GoalStore(open_records(settings), "ana").load()
    assert [s.text for s in plan.active[0].steps] == ["Prepare one question"]
    assert GoalStore(open_records(settings), "ben").load().active == []


def test_one_reader_for_text_and_date_lines() -> None:
    assert split_dated("Ask Sam for a chat | next Friday") == ("Ask Sam for a chat", "next Friday")
    assert split_dated("Send the recap | due 2026-12-01") == ("Send the recap", "2026-12-01")
    assert split_dated("  Book the room  ") == ("Book the room", "")
    assert split_dated("Due diligence on the vendor | due soon") == (
        "Due diligence on the vendor",
        "soon",
    )
