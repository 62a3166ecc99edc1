"""The stored form of the trained encoder weights: int8 matrices that come back within a
quantization step of the weights that were trained."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from coach.safety.network import pack_state, unpack_state  # noqa: E402


def test_packed_weights_come_back_within_one_step_per_row() -> None:
    generator = torch.Generator().manual_seed(7)
    state = {
        "layer.weight": torch.randn(64, 384, generator=generator) * 0.05,
        "layer.bias": torch.randn(64, generator=generator),
        "zero.weight": torch.zeros(3, 8),
    }
    packed = pack_state(state)
    assert packed["layer.weight"].dtype == torch.int8
    assert packed["layer.bias"].dtype == torch.float16
    restored = unpack_state(packed)
    assert set(restored) == set(state)
    step = state["layer.weight"].abs().amax(dim=1, keepdim=True) / 127
    error = (restored["layer.weight"] - state["layer.weight"]).abs()
    assert bool((error <= step * 0.51 + 1e-4).all())
    assert torch.allclose(restored["layer.bias"], state["layer.bias"], atol=1e-2)
    assert bool((restored["zero.weight"] == 0).all())


def test_a_float16_file_of_an_earlier_version_still_reads() -> None:
    weights = torch.randn(4, 4).half()
    assert torch.equal(unpack_state({"w": weights})["w"], weights.float())
