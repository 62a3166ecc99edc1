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


def test_an_encoder_cut_to_its_lowest_layers_trains_and_stores_only_those() -> None:
    pytest.importorskip("transformers")
    from coach.safety.network import build

    net = build(None, frozen_layers=1, layers=3)
    assert len(net.bert.encoder.layer) == 3
    layers = {key.split(".")[3] for key in net.trained_state() if ".encoder.layer." in key}
    assert layers == {"1", "2"}  # layer 0 stays as packaged; layers 3-5 are gone
    ids = torch.tensor([[101, 2023, 102]])
    level, category = net(ids, torch.ones_like(ids), torch.zeros_like(ids))
    assert level.shape == (1, 3) and torch.allclose(level.sum(), torch.tensor(1.0))
    assert category.shape[0] == 1


@pytest.mark.parametrize("frozen, layers", [(0, 0), (0, 7), (4, 3)])
def test_an_impossible_cut_is_refused(frozen: int, layers: int) -> None:
    pytest.importorskip("transformers")
    from coach.safety.network import build

    with pytest.raises(ValueError, match="cannot keep"):
        build(None, frozen_layers=frozen, layers=layers)
