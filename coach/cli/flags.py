"""Flags several commands share."""

from __future__ import annotations

import argparse

PROVIDER_HELP = "local (default), openai or scripted"


def add_model_flags(parser: argparse.ArgumentParser, provider_help: str = PROVIDER_HELP) -> None:
    """--provider, --model and --base-url: which chat model to use (they override COACH_*)."""
    parser.add_argument("--provider", help=provider_help)
    parser.add_argument("--model", help="model name for the openai provider")
    parser.add_argument("--base-url", help="OpenAI-compatible server URL")
