"""``coach chat`` when the embedded model's process dies: a real subprocess whose llama.cpp
runs an illegal instruction. The user reads what happened and how to fix it, the message is
kept, and resuming the session once llama.cpp works answers it."""

from __future__ import annotations

import re

import pytest

from coach.providers.local import shipped_model_path
from tests.cli.test_chat import coach
from tests.providers.crash import crashing_env

pytestmark = pytest.mark.slow

MESSAGE = b"My manager takes credit for my work.\n"


def test_a_crashed_model_is_explained_and_the_message_waits_for_a_working_one() -> None:
    model = {"COACH_MODEL_PATH": str(shipped_model_path())}
    crashed = coach(
        ["chat", "--provider", "local", "--user", "dana"],
        MESSAGE,
        **crashing_env("SIGILL"),
        **model,
    )

    assert crashed.returncode == 1  # a message was left without a reply
    said = crashed.stdout.decode()
    assert "illegal instruction" in said and "make rebuild-llama" in said, said
    assert "Your message is saved" in said
    assert b"Traceback" not in crashed.stderr
    resume = re.search(r"coach chat --session (\S+?)`", crashed.stderr.decode())
    assert resume is not None, crashed.stderr

    fixed = coach(
        ["chat", "--provider", "local", "--user", "dana", "--session", resume[1]], b"", **model
    )
    assert fixed.returncode == 0, fixed.stderr
    assert b"saved without a reply" in fixed.stderr
    reply = fixed.stdout.decode().splitlines()[-1]
    assert reply.endswith("?") and "illegal" not in reply
