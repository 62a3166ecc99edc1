"""Flags several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path


def provider_help() -> str:
    """Every registered provider, the default first."""
    from coach.providers import provider_entries

    return "; ".join(
        f"{entry.name}{' (default)' if entry.name == 'local' else ''}: {entry.label}"
        for entry in provider_entries()
    )


def add_model_flags(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    """--provider, --model and --base-url: which chat model to use (they override COACH_*)."""
    parser.add_argument("--provider", help=help_text or provider_help())
    parser.add_argument("--model", help="model name for the openai provider")
    parser.add_argument("--base-url", help="OpenAI-compatible server URL")


def path_arg(text: str) -> Path:
    """An argparse type for file and folder paths: refuses what no file system accepts."""
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a path cannot contain a NUL character")
    if not text.strip():
        raise argparse.ArgumentTypeError("the path is empty")
    encoded = text.encode("utf-8", errors="surrogateescape")
    if len(encoded) > 4096 or any(len(part) > 255 for part in encoded.split(b"/")):
        raise argparse.ArgumentTypeError("the path is longer than the file system allows")
    return Path(text)
