"""The workbench and eval pages, driven by AppTest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).parents[2] / "ui" / "pages"
ROOT = Path(__file__).parents[2]


def page(name: str) -> AppTest:
    app = AppTest.from_file(str(PAGES / name), default_timeout=30)
    app.run()
    assert not app.exception
    return app


def test_the_workbench_critiques_a_question() -> None:
    app = page("4_Mentor_workbench.py")
    app.text_area[0].set_value("Have you considered asking HR?")
    app.text_input[0].set_value("My manager takes credit for my work.")
    app.button[0].click().run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "**closed**" in text and "**advice**" in text
    assert len(app.text) >= 2 and all(t.value.endswith("?") for t in app.text)


def test_the_workbench_says_why_it_cannot_critique() -> None:
    app = page("4_Mentor_workbench.py")
    app.text_area[0].set_value("You should quit.")
    app.button[0].click().run()
    assert not app.exception
    assert "not a question" in app.warning[0].value


def test_the_workbench_plans_and_checks_a_request() -> None:
    app = page("4_Mentor_workbench.py")
    app.text_area[1].set_value("I was passed over for a team lead role.")
    app.button[1].click().run()
    assert [h.value for h in app.subheader] == ["Dilemma", "Reality", "Options", "Commitment"]
    app.text_area[2].set_value("Could I pick your brain? Would you be my mentor?")
    app.button[2].click().run()
    assert not app.exception
    assert any("Specific: not yet" in w.value for w in app.warning)


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report with a flagged turn: a scripted coach with a reply for the first turn only."""
    out = tmp_path_factory.mktemp("report")
    (out / "scenario.yaml").write_text(
        "id: asks-twice\ndomain: manager takes credit\nbehaviours: [cooperative]\n"
        "persona: A data analyst.\ndilemma: Credit for my work.\n"
        "turns: [My manager presents my work as his., It happened again on Monday.]\n"
    )
    replies = ["What matters most to you about this?"]
    (out / "replies.jsonl").write_text("\n".join(json.dumps(r) for r in replies) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "coach",
            "eval",
            "--provider",
            "scripted",
            "--out",
            str(out),
            "--scenarios",
            str(out / "scenario.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={**os.environ, "COACH_SCRIPT_FILE": str(out / "replies.jsonl")},
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return out


def test_the_eval_page_shows_thresholds_and_flagged_turns(report_folder: Path) -> None:
    app = page("5_Evals.py")
    app.text_input(key="folder").set_value(str(report_folder)).run()
    assert not app.exception
    report = json.loads((report_folder / "report.json").read_text())
    assert app.dataframe[0].value.shape[0] == len(report["coach"]["checks"])
    app.toggle[0].set_value(True).run()
    flagged = [s for s in report["coach"]["scenarios"] if any(t["flags"] for t in s["turns"])]
    assert len(app.selectbox[0].options) == len(flagged)
    assert any(e.value.startswith("Flagged:") for e in app.error)


def test_the_eval_page_compares_two_runs(report_folder: Path) -> None:
    app = page("5_Evals.py")
    app.text_input(key="folder").set_value(str(report_folder))
    app.text_input(key="other").set_value(str(report_folder)).run()
    assert not app.exception
    assert "other run" in app.dataframe[0].value.columns


def test_the_eval_page_explains_a_missing_report(tmp_path: Path) -> None:
    app = page("5_Evals.py")
    app.text_input(key="folder").set_value(str(tmp_path)).run()
    assert not app.exception
    assert "no report.json" in app.warning[0].value


def test_the_workbench_practice_ends_in_a_scorecard_with_a_better_turn() -> None:
    app = page("4_Mentor_workbench.py")
    app.selectbox[0].set_value("credit-manager-presents-work")
    next(b for b in app.button if b.label == "Start practising").click().run()
    assert "churn analysis" in app.chat_message[0].markdown[0].value
    app.text_area[3].set_value("You should tell the directors it was your work.")
    next(b for b in app.button if b.label == "Send").click().run()
    assert not app.exception
    app.text_area[3].set_value("What did that feel like for you?")
    next(b for b in app.button if b.label == "Send").click().run()
    next(b for b in app.button if b.label == "Finish and score").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Turns with advice"] == "1" and metrics["Your turns"] == "2"
    assert metrics["Open questions, of your questions"] == "100%"
    weakest = " ".join(m.value for m in app.markdown if "weakest" in m.value)
    assert "advice" in weakest and "tell the directors" in weakest
    assert any(
        m.value.startswith("**A better one:**") and m.value.endswith("?") for m in app.markdown
    )


def test_an_empty_practice_turn_gets_a_message() -> None:
    app = page("4_Mentor_workbench.py")
    next(b for b in app.button if b.label == "Start practising").click().run()
    next(b for b in app.button if b.label == "Send").click().run()
    assert "Type your reply first" in app.warning[0].value
