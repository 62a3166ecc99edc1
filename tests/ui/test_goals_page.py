"""The Goals page and goal sessions in the app, driven by AppTest with the scripted model."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.goals import GoalStore
from coach.providers import ScriptedProvider, get_provider
from coach.records import records_at
from coach.settings import load_settings
from tests.ui.helpers import chat_texts, click, opened, seen


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedProvider:
    monkeypatch.setenv("COACH_PROVIDER", "scripted")
    monkeypatch.setenv("COACH_USER", "erin")
    monkeypatch.setenv("COACH_MEMORY", "false")  # the plan needs no note store
    provider = get_provider(load_settings())
    assert isinstance(provider, ScriptedProvider)
    return provider


def goals(data_dir: Path) -> GoalStore:
    return GoalStore(records_at(data_dir), "erin")


def test_milestones_show_progress_and_overdue_steps_in_red(
    scripted: ScriptedProvider, isolated_env: Path
) -> None:
    store = goals(isolated_env)
    old = date.today() - timedelta(days=10)
    milestone = store.add_milestone(
        "Lead a project", "To be trusted", [("Ask Sam", None), ("Write the plan", None)], old
    )
    plan = store.load()
    plan.milestones[0].steps[1].due = date.today() - timedelta(days=2)  # now overdue
    store.save(plan)
    store.set_step_status(milestone.id, milestone.steps[0].id, "done")
    app = opened("pages/6_Goals.py")
    assert app.get("progress")[0].value == 50
    assert any("Overdue step:** Write the plan" in e.value for e in app.error)
    assert any(m.value.startswith(":red[**Overdue:** Write the plan") for m in app.markdown)
    assert any("Why it matters: To be trusted" in c.value for c in app.caption)


def test_a_fourth_milestone_is_refused_and_the_typed_words_stay(
    scripted: ScriptedProvider, isolated_env: Path
) -> None:
    for title in ["One", "Two", "Three"]:
        goals(isolated_env).add_milestone(title)
    app = opened("pages/6_Goals.py")
    field = next(t for t in app.text_input if t.label == "Milestone")
    field.set_value("Four, in my words")
    next(b for b in app.button if b.label == "Add milestone").click().run()
    assert not app.exception
    assert any("already have 3 active milestones" in w.value for w in app.warning)
    assert next(t for t in app.text_input if t.label == "Milestone").value == "Four, in my words"
    assert [m.title for m in goals(isolated_env).load().active] == ["One", "Two", "Three"]
    assert any(b.label == "Review my three milestones" for b in app.button)


def test_a_bad_step_date_gets_a_message_and_keeps_what_was_saved(
    scripted: ScriptedProvider, isolated_env: Path
) -> None:
    goals(isolated_env).add_milestone("Speak up", "", [("Prepare a question", None)])
    app = opened("pages/6_Goals.py")
    before = goals(isolated_env).load().milestones
    next(t for t in app.text_input if t.label == "A step you will take").set_value("Ask first")
    next(t for t in app.text_input if t.label == "By when (optional)").set_value("last Tuesday")
    click(app, "Add step")
    assert any("in the past" in w.value for w in app.warning)
    assert goals(isolated_env).load().milestones == before


def test_a_goal_setting_session_in_the_app_ends_with_the_mentees_plan(
    scripted: ScriptedProvider, isolated_env: Path
) -> None:
    app = opened("Rehearse.py", requested_mode="goal_setting")
    assert "Aspiration" in seen(app.markdown[0].value)
    scripted.enqueue("Leading a project. Why does that matter to you?")
    app.chat_input[0].set_value("My goal is to lead a project end to end by March.").run()
    scripted.enqueue("Trusted with hard problems. What is your first step, and when?")
    app.chat_input[0].set_value("Because I want to be trusted with the hard problems.").run()
    scripted.enqueue("Asking Sam. How often would you like to come back to this?")
    app.chat_input[0].set_value("I'll ask Sam for the next project by next Friday.").run()
    assert chat_texts(app)[-1].endswith("How often would you like to come back to this?")
    scripted.enqueue("no JSON here", "none here either")  # the plan comes from the mentee's words
    click(app, "End and write my plan", sidebar=True)
    assert app.sidebar.text_input[0].value == "My goal is to lead a project end to end by March."
    next(b for b in app.sidebar.button if b.label == "Save my plan").click().run()
    assert not app.exception
    [milestone] = goals(isolated_env).load().active
    assert milestone.why == "Because I want to be trusted with the hard problems."
    assert milestone.steps[0].text == "I'll ask Sam for the next project by next Friday."


def test_the_first_screen_says_when_the_next_session_is_due_and_what_is_overdue(
    scripted: ScriptedProvider, isolated_env: Path
) -> None:
    store = goals(isolated_env)
    store.add_milestone(
        "Speak up", "", [("Prepare a question", None)], date.today() - timedelta(days=40)
    )
    plan = store.load()
    plan.milestones[0].steps[0].due = date.today() - timedelta(days=1)
    store.save(plan)
    store.set_cadence(7)
    app = opened("Rehearse.py")
    [reminder] = app.warning
    assert "Next session due" in reminder.value
    assert "1 overdue: Prepare a question" in reminder.value
    assert "A review of your milestones is due" in reminder.value


def test_every_third_session_ends_with_the_check_in_and_its_answer_moves_the_settings(
    monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    from coach.memory import NoteStore, get_embedder
    from coach.notes.models import SessionNote

    monkeypatch.setenv("COACH_PROVIDER", "scripted")
    monkeypatch.setenv("COACH_USER", "erin")
    settings = load_settings()
    store = NoteStore.open(settings, get_embedder(settings))
    for days in (21, 14, 7):
        store.add_note(
            "erin",
            SessionNote(
                user="erin",
                session=f"s{days}",
                dilemma="A dilemma.",
                date=date.today() - timedelta(days=days),
            ),
        )
    scripted = get_provider(settings)
    assert isinstance(scripted, ScriptedProvider)
    scripted.enqueue("What makes it hard?")
    app = opened("Rehearse.py")
    app.chat_input[0].set_value("I keep saying yes to every request.").run()
    click(app, "End session", sidebar=True)
    scripted.enqueue("not a note")  # the note comes from the mentee's words
    click(app, "Save note", sidebar=True)
    [question] = [t for t in app.sidebar.text_area if "how is this coaching helping" in t.label]
    question.set_value("It helps, but push me harder and keep the questions shorter.")
    click(app, "Answer", sidebar=True)
    assert "more challenge" in app.sidebar.success[-1].value
    preferences = goals(isolated_env).load().preferences
    assert (preferences.challenge, preferences.question_length) == ("more", "short")
