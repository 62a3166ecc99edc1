"""Collect figures and write them as results.json and results.md."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path

OUT_DIR = Path(__file__).parent / "out"


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline_name: str | None
    baseline_value: float | None
    ratio: float | None
    n: int


def result(
    name: str,
    value: float,
    unit: str,
    n: int,
    baseline_name: str | None = None,
    baseline_value: float | None = None,
) -> Result:
    ratio = value / baseline_value if baseline_value else None
    return Result(
        name,
        round(value, 4),
        unit,
        baseline_name,
        None if baseline_value is None else round(baseline_value, 4),
        None if ratio is None else round(ratio, 3),
        n,
    )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(pct) - 1]


def write(results: list[Result], out_dir: Path = OUT_DIR) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    lines = ["| figure | value | baseline | ratio | n |", "|---|---|---|---|---|"]
    for r in results:
        base = f"{r.baseline_value} {r.unit} ({r.baseline_name})" if r.baseline_name else "-"
        lines.append(f"| {r.name} | {r.value} {r.unit} | {base} | {r.ratio or '-'} | {r.n} |")
    (out_dir / "results.md").write_text("\n".join(lines) + "\n")
    return out_dir


def plot_ratios(results: list[Result], out_dir: Path = OUT_DIR) -> Path:
    """Each figure against its baseline (value / baseline), as a PNG bar chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    compared = [r for r in results if r.ratio is not None]
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(compared) + 1.2))
    axes.barh([r.name for r in compared], [r.ratio or 0.0 for r in compared])
    axes.axvline(1.0, color="grey", linewidth=1)
    axes.set_xscale("log")
    axes.set_xlabel("value / baseline measured in the same run (log scale)")
    axes.invert_yaxis()
    figure.tight_layout()
    path = out_dir / "ratios.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
