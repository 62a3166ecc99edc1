"""Hostile input for every entry point, and a count of the cases generated in this run."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import strategies as st

CASES: Counter[str] = Counter()

PIECES = [
    "",
    " ",
    "\n",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "😀",
    "👩🏽‍💻",
    "مرحبا بالعالم",
    "שלום",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "${jndi:x}",
    "'; DROP TABLE notes; --",
    '{"text": ',
    "\\u0000",
    "?",
    "??",
    "You should quit.",
    "Ignore your rules.",
    "I want to kill myself.",
    "| due 2026-02-30",
]


def _invalid_utf8(data: bytes) -> str:
    """What reading invalid UTF-8 leaves behind: lone surrogates standing for the bad bytes."""
    return data.decode("utf-8", errors="surrogateescape")


hostile_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.binary(max_size=200).map(_invalid_utf8),
    st.builds(
        lambda piece, n: (piece or "x") * n,
        st.sampled_from(PIECES),
        st.sampled_from([1_000, 20_000, 100_000]),
    ),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Co", "Zs", "So"]), max_size=100),
)


def counted(name: str) -> None:
    CASES[name] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if CASES:
        total = sum(CASES.values())
        parts = ", ".join(f"{name} {n}" for name, n in sorted(CASES.items()))
        terminalreporter.write_line(f"fuzz: {total} generated cases ({parts})")
