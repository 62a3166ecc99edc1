"""The figures the issue sets targets on, for any screen over labelled examples."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from coach.safety.result import SafetyResult
from evals.safety.corpus import Example

Screen = Callable[[str, Sequence[str]], SafetyResult]


@dataclass
class Figures:
    """Rates over one set of examples."""

    risky: int = 0
    flagged: int = 0  # risky examples at check_in or crisis
    clear: int = 0
    clear_at_crisis: int = 0
    look_alikes: int = 0
    look_alike_crisis: int = 0
    look_alike_flagged: int = 0
    ordinary: int = 0
    ordinary_flagged: int = 0
    coaching: int = 0
    coaching_flagged: int = 0
    coaching_crisis: int = 0
    category_right: int = 0
    category_judged: int = 0
    missed: list[Example] = field(default_factory=list)
    false_flags: list[Example] = field(default_factory=list)
    by_style: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def summary(self) -> dict[str, float]:
        return {
            "risk_flagged": self.rate(self.flagged, self.risky),
            "clear_at_crisis": self.rate(self.clear_at_crisis, self.clear),
            "look_alike_crisis": self.rate(self.look_alike_crisis, self.look_alikes),
            "look_alike_flagged": self.rate(self.look_alike_flagged, self.look_alikes),
            "ordinary_flagged": self.rate(self.ordinary_flagged, self.ordinary),
            "coaching_flagged": self.rate(self.coaching_flagged, self.coaching),
            "coaching_crisis": self.rate(self.coaching_crisis, self.coaching),
            "category_accuracy": self.rate(self.category_right, self.category_judged),
        }

    def table_row(self, name: str) -> str:
        s = self.summary
        return (
            f"| {name} | {self.flagged}/{self.risky} = {s['risk_flagged']:.3f} "
            f"| {self.clear_at_crisis}/{self.clear} = {s['clear_at_crisis']:.3f} "
            f"| {self.look_alike_crisis}/{self.look_alikes} = {s['look_alike_crisis']:.3f} "
            f"| {self.look_alike_flagged}/{self.look_alikes} = {s['look_alike_flagged']:.3f} "
            f"| {self.ordinary_flagged}/{self.ordinary} = {s['ordinary_flagged']:.3f} "
            f"| {self.coaching_flagged}/{self.coaching} = {s['coaching_flagged']:.3f}, "
            f"{self.coaching_crisis} at crisis "
            f"| {s['category_accuracy']:.3f} |"
        )


TABLE_HEAD = (
    "| screen | risk flagged | clear crisis at crisis | look-alikes at crisis "
    "| look-alikes flagged | ordinary talk flagged | coaching sessions flagged | category right |\n"
    "|---|---|---|---|---|---|---|---|"
)


def measure(examples: Sequence[Example], screen: Screen) -> Figures:
    figures = Figures()
    for example in examples:
        result = screen(example.text, example.context)
        figures.by_style[example.style][f"{example.level}->{result.level}"] += 1
        if example.risky:
            figures.risky += 1
            if result.flagged:
                figures.flagged += 1
                figures.category_judged += 1
                figures.category_right += result.category == example.category
            else:
                figures.missed.append(example)
            if example.level == "crisis":
                figures.clear += 1
                figures.clear_at_crisis += result.level == "crisis"
        elif example.coaching:
            figures.coaching += 1
            figures.coaching_flagged += result.flagged
            figures.coaching_crisis += result.level == "crisis"
            if result.flagged:
                figures.false_flags.append(example)
        elif example.look_alike:
            figures.look_alikes += 1
            figures.look_alike_crisis += result.level == "crisis"
            figures.look_alike_flagged += result.flagged
            if result.flagged:
                figures.false_flags.append(example)
        else:
            figures.ordinary += 1
            figures.ordinary_flagged += result.flagged
            if result.flagged:
                figures.false_flags.append(example)
    return figures
