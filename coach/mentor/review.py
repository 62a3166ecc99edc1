"""A planned question reviewed: what is wrong with it, and open rewrites that pass the guard."""

from __future__ import annotations

from coach.mentor.critique import Critique, checked_question, findings_for
from coach.mentor.rewrite import MAX_REWRITES, model_rewrites, rule_rewrites
from coach.providers import ChatProvider
from coach.text import clean


def critique(
    question: str, context: str | None = None, provider: ChatProvider | None = None
) -> Critique:
    """Findings with explanations, and at least two open rewrites that pass the guard.

    Raises InputProblem for text that cannot be critiqued. A capable model (one that writes
    structured output) adds its own rewrites, filtered by the guard; rule rewrites always
    follow, so a failing model changes nothing.
    """
    text = checked_question(question)
    situation = clean(context or "") or None
    findings = findings_for(text, situation)
    kinds = [finding.kind for finding in findings]
    rewrites: list[str] = []
    if provider is not None and provider.capabilities.structured_output:
        rewrites += model_rewrites(provider, text, situation, [f.explanation for f in findings])
    for rewrite in rule_rewrites(text, situation, kinds):
        if rewrite not in rewrites and rewrite.strip().lower() != text.strip().lower():
            rewrites.append(rewrite)
    return Critique(findings=findings, rewrites=rewrites[: max(MAX_REWRITES, 2)])
