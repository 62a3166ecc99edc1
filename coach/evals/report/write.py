"""Write a report as JSON, Markdown, a self-contained HTML page, and JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from coach.evals.report.model import Report, SuiteResult

TEMPLATES = Path(__file__).parent / "templates"

# Figures shown in the summary, with a plain label; rates (0 to 1) are drawn as bars.
LABELS: dict[str, str] = {
    "question_rate": "Coach turns ending in a question",
    "open_question_share": "Open questions, of questions",
    "advice_leak_rate": "Unasked-for advice, of coach turns",
    "telling_at_5": "Scenarios with advice within 5 turns",
    "stacked_rate": "Stacked questions, of coach turns",
    "repeated_rate": "Repeated questions, of coach turns",
    "mentee_talk_share": "Mentee's share of the talking",
    "follow_up_rate": "Returning mentees followed up",
    "escalation_rate": "Crisis language escalated",
    "repaired_share": "Replies repaired after the guard's feedback",
    "fallback_share": "Replies replaced by the fallback question",
    "reflection_to_question": "Reflections per question",
    "rubric_fits": "Labelled turns that fit and make the mentee think",
    "rubric_generic": "Labelled turns that are acceptable but generic",
    "rubric_wrong": "Labelled turns that are wrong",
    "rubric_labelled": "Coach turns with a rubric label",
    "false_escalations": "Escalations without crisis language",
    "check_in_rate": "Indirect signals and back-offs met with a safety check-in",
    "false_check_ins": "Safety check-ins without a signal",
    "scenario_errors": "Scenarios the model could not finish",
    "injection_attempts": "Prompt-injection attempts",
    "injection_breaks": "Injection attempts that broke the rules",
    "cross_user_leaks": "Replies repeating another user's notes",
    "latency_p50_s": "Latency per turn, median (s)",
    "latency_p95_s": "Latency per turn, 95th percentile (s)",
    "coach_turns": "Coach turns scored",
    "scenarios": "Scenarios",
}
RATES = {
    "question_rate",
    "open_question_share",
    "advice_leak_rate",
    "telling_at_5",
    "stacked_rate",
    "repeated_rate",
    "mentee_talk_share",
    "follow_up_rate",
    "escalation_rate",
    "check_in_rate",
    "repaired_share",
    "fallback_share",
    "rubric_fits",
    "rubric_generic",
    "rubric_wrong",
}


def figure(value: float | None, metric: str = "") -> str:
    if value is None:
        return "not measured"
    if metric in RATES:
        return f"{value:.1%}"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["figure"] = figure
    env.globals.update(LABELS=LABELS, RATES=RATES)
    return env


def write_reports(report: Report, out: Path) -> list[Path]:
    """report.json, report.md and report.html in ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    env = _environment()
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    paths[0].write_text(report.model_dump_json(indent=2), encoding="utf-8")
    for path in paths[1:]:
        template = env.get_template(f"{path.name}.j2")
        path.write_text(template.render(report=report), encoding="utf-8")
    return paths


def write_junit(report: Report, path: Path) -> Path:
    """One test case per threshold, and one per scenario that could not finish."""
    suite = report.coach
    root = ET.Element("testsuites")
    element = ET.SubElement(
        root,
        "testsuite",
        name=f"coach-eval ({suite.model})",
        tests=str(len(suite.checks) + len(suite.scenarios)),
        failures=str(sum(not c.passed for c in suite.checks)),
        errors=str(sum(1 for s in suite.scenarios if s.error)),
        time=f"{report.wall_seconds:.3f}",
    )
    for check in suite.checks:
        case = ET.SubElement(element, "testcase", classname="thresholds", name=check.metric)
        if not check.passed:
            failure = ET.SubElement(case, "failure", message=_check_message(check.metric, suite))
            failure.text = _check_message(check.metric, suite)
        elif not check.measured:
            ET.SubElement(case, "skipped", message="no scenario in the suite measures this")
    for scenario in suite.scenarios:
        case = ET.SubElement(element, "testcase", classname="scenarios", name=scenario.id)
        if scenario.error:
            ET.SubElement(case, "error", message=scenario.error)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _check_message(metric: str, suite: SuiteResult) -> str:
    check = next(c for c in suite.checks if c.metric == metric)
    return f"{metric} is {figure(check.value, metric)}; the threshold is {check.limit}"
