"""The coaching adapter on the embedded model, for real: the shipped adapter loads and shapes
the reply; a missing, damaged or mismatched one says so, and the base model coaches instead."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coach.guard import check_reply
from coach.providers.coaching_adapter import (
    ADAPTER_DIR,
    ADAPTER_FILE,
    AdapterChoice,
    choose_adapter,
    model_name,
)
from coach.providers.local import LocalProvider
from coach.session.prompting import turn_messages
from coach.transcripts import TranscriptRecord

QUESTION = re.compile(r"(?:What|How|Which|Who|When|Where)\b[^.?]*\?$")
SHIPPED = Path("SmolLM2-135M-Instruct.Q4_1.gguf")


def ask(provider: LocalProvider, text: str) -> str:
    records = [TranscriptRecord(role="mentee", text=text, stage="dilemma")]
    return "".join(provider.stream(turn_messages(provider, "dilemma", records, 4000))).strip()


def test_the_base_model_is_named_the_same_in_the_shipped_file_and_its_copy() -> None:
    for name in (
        "SmolLM2-135M-Instruct-0.1.2.Q8_0.gguf",
        "smollm2-135m-instruct-q8_0.gguf",
        "SmolLM2-135M-Instruct-Q4_K_M.gguf",
    ):
        assert model_name(Path(name)) == model_name(SHIPPED) == "smollm2-135m-instruct"
    assert model_name(Path("SmolLM2-360M-Instruct.Q8_0.gguf")) != model_name(SHIPPED)


def test_the_shipped_adapter_is_small_and_names_its_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_ADAPTER", "on")
    adapter = ADAPTER_DIR / ADAPTER_FILE
    assert adapter.stat().st_size <= 20_000_000
    meta = json.loads((ADAPTER_DIR / "adapter.json").read_text())
    assert meta["base"]["name"] == "smollm2-135m-instruct"
    assert choose_adapter(SHIPPED).path == adapter


def test_the_adapter_is_loaded_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    assert choose_adapter(SHIPPED) == AdapterChoice(None)
    monkeypatch.setenv("COACH_ADAPTER", "off")
    assert choose_adapter(SHIPPED) == AdapterChoice(None)
    monkeypatch.setenv("COACH_ADAPTER", "on")
    assert choose_adapter(SHIPPED) == AdapterChoice(ADAPTER_DIR / ADAPTER_FILE)


def test_a_missing_or_damaged_adapter_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_ADAPTER", str(tmp_path / "gone.gguf"))
    assert "missing" in str(choose_adapter(SHIPPED).problem)
    damaged = tmp_path / "coach.lora.gguf"
    damaged.write_bytes(b"not a model at all")
    monkeypatch.setenv("COACH_ADAPTER", str(damaged))
    assert "damaged" in str(choose_adapter(SHIPPED).problem)
    # A copy of the shipped adapter with one byte changed no longer matches adapter.json.
    changed = bytearray((ADAPTER_DIR / ADAPTER_FILE).read_bytes())
    changed[-1] ^= 0xFF
    damaged.write_bytes(bytes(changed))
    (tmp_path / "adapter.json").write_text((ADAPTER_DIR / "adapter.json").read_text())
    assert "damaged" in str(choose_adapter(SHIPPED).problem)


def test_an_adapter_for_another_model_is_not_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "coach.lora.gguf"
    other.write_bytes(b"GGUF" + bytes(64))
    (tmp_path / "adapter.json").write_text(json.dumps({"base": {"name": "Qwen2-0.5B"}}))
    monkeypatch.setenv("COACH_ADAPTER", str(other))
    choice = choose_adapter(SHIPPED)
    assert choice.path is None and "trained for Qwen2-0.5B" in str(choice.problem)
    # The shipped adapter, asked for with another model file, says why it is not used.
    monkeypatch.setenv("COACH_ADAPTER", "on")
    choice = choose_adapter(Path("SmolLM2-360M-Instruct.Q8_0.gguf"))
    assert choice.path is None and "trained for smollm2-135m-instruct" in str(choice.problem)


@pytest.mark.slow
def test_the_shipped_adapter_reflects_then_asks_one_open_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_ADAPTER", "on")
    provider = LocalProvider(threads=1)
    try:
        assert provider.adapter is not None and provider.capabilities.reflects
        assert provider.capabilities.trained_prompt
        assert "coaching adapter" in provider.describe()
        reply = ask(provider, "My team lead keeps giving the new hire the interesting work.")
        assert reply.count("?") == 1 and QUESTION.search(reply), reply
        assert reply[: QUESTION.search(reply).start()].strip(), reply  # type: ignore[union-attr]
        assert check_reply(reply).passed, reply
    finally:
        provider.close()


@pytest.mark.slow
def test_an_adapter_llama_cpp_cannot_read_leaves_the_base_model_coaching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "coach.lora.gguf"  # cut short, with no adapter.json to check it by
    broken.write_bytes((ADAPTER_DIR / ADAPTER_FILE).read_bytes()[:200_000])
    monkeypatch.setenv("COACH_ADAPTER", str(broken))
    provider = LocalProvider(threads=1)
    try:
        assert provider.adapter is None and not provider.capabilities.reflects
        assert "could not be loaded" in str(provider.adapter_problem)
        reply = ask(provider, "I can't decide whether to move teams.")
        assert reply.endswith("?") and reply.count("?") == 1, reply
    finally:
        provider.close()
