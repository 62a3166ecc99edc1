"""Eval reports: metrics against thresholds, scenarios with flagged turns, two runs compared."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from parts.profile import visited
from pydantic import ValidationError

from coach.evals.report.model import Report
from coach.evals.report.write import LABELS, figure

st.set_page_config(page_title="Eval reports", page_icon="📊")
visited("evals")
st.title("Eval reports")
st.caption("Open a folder written by `coach eval --out DIR`.")


def load_report(folder: str) -> Report | None:
    path = Path(folder).expanduser() / "report.json"
    if not folder.strip():
        return None
    try:
        return Report.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError:
        st.warning(f"There is no report.json in {folder}. Run `coach eval --out {folder}` first.")
    except ValidationError:
        st.warning(f"{path} is not a report written by coach eval.")
    return None


folder = st.text_input("Report folder", key="folder")
other_folder = st.text_input("Compare with another report folder (optional)", key="other")
report = load_report(folder)
if report is None:
    st.stop()
other = load_report(other_folder) if other_folder.strip() else None

suite = report.coach
verdict = "passed" if report.passed else "failed"
(st.success if report.passed else st.error)(
    f"{verdict.capitalize()}: {suite.model}, {len(suite.scenarios)} scenarios, {report.mode}."
)

rows = []
for check in suite.checks:
    row = {
        "figure": LABELS.get(check.metric, check.metric),
        "value": figure(check.value, check.metric),
        "threshold": check.limit,
        "result": ("pass" if check.measured else "not measured") if check.passed else "FAIL",
    }
    if report.baseline is not None:
        row["baseline"] = figure(report.baseline.metrics[check.metric], check.metric)
    if other is not None:
        row["other run"] = figure(other.coach.metrics.get(check.metric), check.metric)
    rows.append(row)
st.subheader("Thresholds")
st.dataframe(rows, hide_index=True, width="stretch")

with st.expander("All figures"):
    st.dataframe(
        [
            {
                "figure": LABELS.get(metric, metric),
                "value": figure(value, metric),
                **({"other run": figure(other.coach.metrics.get(metric), metric)} if other else {}),
            }
            for metric, value in suite.metrics.items()
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader("Scenarios")
flagged_only = st.toggle("Only scenarios with flagged turns", value=False)
choices = [s for s in suite.scenarios if s.flagged or s.error or not flagged_only]
if not choices:
    st.info("No scenario has a flagged turn.")
    st.stop()
labels = {f"{s.id} ({len(s.flagged)} flagged)": s for s in choices}
picked = labels[st.selectbox("Scenario", list(labels))]
st.caption(f"{picked.domain} · {', '.join(picked.behaviours)} · {picked.dilemma}")
if picked.error:
    st.error(f"Did not finish: {picked.error}")
for turn in picked.turns:
    box = st.container(border=True)
    if turn.mentee:
        box.markdown("**Mentee**")
        box.text(turn.mentee)
    box.markdown("**Coach**")
    box.text(turn.coach or "(no reply)")
    details = [turn.outcome, f"{turn.seconds:.2f} s"]
    if turn.flags:
        box.error("Flagged: " + "; ".join(turn.flags))
    if turn.score and turn.score.reasons:
        box.caption("Guard: " + "; ".join(turn.score.reasons))
    if turn.rejected:
        box.caption("Drafts rejected: " + " | ".join(turn.rejected))
    box.caption(" · ".join(details))
