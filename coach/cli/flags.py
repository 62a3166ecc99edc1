"""Flags several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

PROVIDER_HELP = "local (default), openai or scripted"


def add_model_flags(parser: argparse.ArgumentParser, provider_help: str = PROVIDER_HELP) -> None:
    """--provider, --model and --base-url: which chat model to use (they override COACH_*)."""
    parser.add_argument("--provider", help=provider_help)
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
