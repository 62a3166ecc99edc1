"""The embedded model's Q8_0 copy: made once in the cache folder, the same model, with a
fallback to the shipped file."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.providers import embedded_model
from coach.providers.embedded_model import embedded_model_path, shipped_model_path

pytestmark = pytest.mark.slow


def test_the_copy_is_made_once_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    path = embedded_model_path()
    assert path.parent == tmp_path / "cache" and path.name.endswith(".Q8_0.gguf")
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left
    made = path.stat().st_mtime_ns
    assert embedded_model_path() == path and path.stat().st_mtime_ns == made


def test_the_copy_answers_like_the_shipped_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llama_cpp import Llama

    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    prompt = "The capital of France is"
    answers = []
    for path in (shipped_model_path(), embedded_model_path()):
        llm = Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False)
        answers.append(llm(prompt, max_tokens=3, temperature=0.0)["choices"][0]["text"])
    assert "Paris" in answers[0] and answers[0] == answers[1]


def test_an_unwritable_cache_falls_back_to_the_shipped_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("COACH_CACHE_DIR", str(blocker / "cache"))
    assert embedded_model_path() == shipped_model_path()


def test_a_failed_conversion_falls_back_to_the_shipped_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF but not really")
    monkeypatch.setattr(embedded_model, "shipped_model_path", lambda: broken)
    assert embedded_model_path() == broken
    assert not list((tmp_path / "cache").glob("*"))  # nothing half-written kept
