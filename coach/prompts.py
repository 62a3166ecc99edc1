"""Prompt templates, stored as files in ``prompts/`` and loaded by name."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel

from coach.paths import PROMPTS_DIR

if TYPE_CHECKING:
    from langchain_core.prompts import PromptTemplate


class Example(BaseModel):
    """One few-shot exchange."""

    mentee: str
    coach: str


def template_names(prompts_dir: Path = PROMPTS_DIR) -> list[str]:
    """Names of every Markdown template, without the extension."""
    return sorted(path.stem for path in prompts_dir.glob("*.md"))


@cache
def load_template(name: str, prompts_dir: Path = PROMPTS_DIR) -> PromptTemplate:
    """The template ``prompts/<name>.md``; its ``{placeholders}`` are its inputs."""
    path = prompts_dir / f"{name}.md"
    if not path.is_file():
        raise FileNotFoundError(f"No prompt named {name!r} in {prompts_dir}")
    from langchain_core.prompts import PromptTemplate  # imported on first use: it takes ~1 s

    return PromptTemplate.from_template(path.read_text(encoding="utf-8").strip())


def render(name: str, **values: object) -> str:
    """Render the named template with the given values."""
    return load_template(name).format(**values)


@cache
def load_examples(prompts_dir: Path = PROMPTS_DIR) -> tuple[Example, ...]:
    """The few-shot exchanges in ``prompts/examples.yaml``."""
    raw = yaml.safe_load((prompts_dir / "examples.yaml").read_text(encoding="utf-8"))
    return tuple(Example.model_validate(item) for item in raw)


@cache
def load_grammar(name: str = "one_question", prompts_dir: Path = PROMPTS_DIR) -> str:
    """A GBNF grammar from ``prompts/<name>.gbnf``."""
    return (prompts_dir / f"{name}.gbnf").read_text(encoding="utf-8")
