"""One Settings model, resolved in one documented order.

Each later source overrides the earlier ones:

1. built-in defaults (the embedded local model, no key, no network);
2. a ``.env`` file in the working directory;
3. ``COACH_*`` environment variables (``OPENAI_API_KEY`` also works for the key);
4. command-line flags, passed in as keyword arguments.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from coach.errors import ConfigError


def default_data_dir() -> Path:
    return Path.home() / ".coach"


def default_threads() -> int:
    """Half the cores this process may run on, at least one: the model's threads then never
    fight the app (embedder, web server) or another session for a core. On 2 cores, one thread
    answered as fast as two when the machine was quiet and held up far better beside another
    busy process (benchmarks/builds.py)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores // 2)


class Settings(BaseSettings):
    """Everything the coach can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    provider: str = "local"
    model: str | None = Field(default=None, description="Model name for the openai provider.")
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint URL.")
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("COACH_API_KEY", "OPENAI_API_KEY", "api_key")
    )
    model_path: Path | None = Field(
        default=None, description="A GGUF file for the local provider; defaults to SmolLM2-135M."
    )
    threads: int = Field(
        default_factory=default_threads,
        ge=1,
        description="CPU threads for the local model; default: half the cores, at least 1.",
    )
    timeout_s: float = Field(default=60.0, gt=0, description="Seconds to wait for the model.")
    data_dir: Path = Field(default_factory=default_data_dir)
    user: str = "default"
    max_prompt_chars: int = Field(
        default=4000,
        ge=200,
        description="Longer messages are kept whole but shortened for the model.",
    )
    database_url: str | None = Field(
        default=None,
        description="A PostgreSQL server for the records, e.g. "
        "postgresql+psycopg://coach:secret@127.0.0.1:5432/coach; default: SQLite in data_dir.",
    )
    chroma_url: str | None = Field(
        default=None, description="A shared Chroma server, e.g. http://127.0.0.1:8000."
    )
    embedder: Literal["local", "openai"] = "local"
    embedding_model: str | None = Field(
        default=None, description="Embeddings model for the openai embedder."
    )
    recall_threshold: float = Field(
        # Chosen on the memory benchmark's dev halves (python -m evals.memory, "recall_gate").
        default=0.35,
        ge=0,
        le=1,
        description="Notes less similar than this stay out of prompts.",
    )
    memory: bool = Field(default=True, description="Remember sessions in notes.")
    crisis_message_file: Path | None = Field(
        default=None,
        description="Your organisation's crisis message and resources, replacing the built-in one.",
    )
    safety_screen: Literal["learned", "floor"] = Field(
        default="learned",
        description="How mentee messages are screened for risk: the learned classifier with its "
        "graded response, or only the floor of expressions in knowledge/safety.yaml.",
    )
    script_file: Path | None = Field(
        default=None, description="Replies for the scripted provider, one JSON string per line."
    )

    @field_validator("provider")
    @classmethod
    def _registered(cls, value: str) -> str:
        if value not in registered_providers():
            raise ValueError(f"there is no provider named {value!r}")
        return value


def registered_providers() -> list[str]:
    """The provider names the registry knows (``coach.providers`` registers them)."""
    from coach.providers.registry import provider_names

    return provider_names()


_FIX_HINTS = {
    "threads": "Set COACH_THREADS to a whole number of at least 1.",
    "timeout_s": "Set COACH_TIMEOUT_S to a number of seconds above 0.",
    "max_prompt_chars": "Set COACH_MAX_PROMPT_CHARS to at least 200.",
    "embedder": "Choose local or openai: set COACH_EMBEDDER.",
    "recall_threshold": "Set COACH_RECALL_THRESHOLD to a number from 0 to 1.",
}


def _fix_hint(field: str) -> str:
    if field == "provider":
        return (
            f"Choose one of: {', '.join(registered_providers())}. Set COACH_PROVIDER in .env or "
            "the environment, or pass --provider."
        )
    return _FIX_HINTS.get(field, f"Check COACH_{field.upper()}.")


def load_settings(**overrides: Any) -> Settings:
    """Resolve settings; flags given as keyword arguments win. Raises ConfigError on bad input."""
    flags = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**flags)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "settings"
            given = error.get("input")
            hint = _fix_hint(field)
            problems.append(f"{field}={given!r} is not valid: {error['msg']}. {hint}")
        raise ConfigError("Settings problem: " + " ".join(problems)) from None
