"""The model process's environment and thread count: a short OpenMP spin unless the user chose
how to wait, and half the cores by default."""

from __future__ import annotations

import pytest

from coach.providers.model_process import worker_environment
from coach.settings import default_threads, load_settings


def test_the_model_process_spins_briefly_unless_told_otherwise() -> None:
    assert worker_environment({"HOME": "/home/a"}, {})["GOMP_SPINCOUNT"] == "1000"


@pytest.mark.parametrize("chosen", [{"OMP_WAIT_POLICY": "ACTIVE"}, {"GOMP_SPINCOUNT": "5"}])
def test_a_wait_setting_of_the_users_wins(chosen: dict[str, str]) -> None:
    env = worker_environment(chosen, {})
    assert env == chosen


def test_overrides_add_and_remove_variables() -> None:
    env = worker_environment(
        {"OMP_WAIT_POLICY": "ACTIVE", "PATH": "/bin"},
        {"OMP_WAIT_POLICY": None, "PYTHONPATH": "/builds/native"},
    )
    assert env == {"PATH": "/bin", "PYTHONPATH": "/builds/native"}


def test_the_model_uses_half_the_cores_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(8)))
    assert default_threads() == 4 and load_settings().threads == 4
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0})
    assert default_threads() == 1
    monkeypatch.setenv("COACH_THREADS", "3")
    assert load_settings().threads == 3
