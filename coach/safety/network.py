"""The fine-tuned safety encoder as a torch module: all-MiniLM-L6-v2 cut to its lowest
``layers`` transformer layers, those trained (all, or those above ``frozen_layers``) and its
embeddings as packaged, mean pooling, and two softmax heads (level, category).

Only training and the one-time export import this (torch is not needed to screen a message).
The trained part is stored as a small file of weights (``encoder-delta.safetensors``, matrices
in int8 with a scale per row); the embeddings come from the packaged model, so the project never
ships the whole encoder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from coach.safety.encoder import LAYERS
from coach.safety.result import CATEGORIES, LEVELS

HIDDEN = 384


class SafetyNet(torch.nn.Module):
    """Message (after its context) in; level and category probabilities out."""

    def __init__(self, bert: Any, frozen_layers: int, layers: int = LAYERS) -> None:
        super().__init__()
        if not 0 < layers <= LAYERS or not 0 <= frozen_layers <= layers:
            raise ValueError(f"cannot keep {layers} layers with {frozen_layers} frozen")
        bert.encoder.layer = bert.encoder.layer[:layers]  # the lowest ``layers`` are kept
        bert.config.num_hidden_layers = layers
        self.bert = bert
        self.frozen_layers = frozen_layers
        self.level = torch.nn.Linear(HIDDEN, len(LEVELS))
        self.category = torch.nn.Linear(HIDDEN, len(CATEGORIES))
        for parameter in self.bert.embeddings.parameters():
            parameter.requires_grad = False
        for layer in self.bert.encoder.layer[:frozen_layers]:
            for parameter in layer.parameters():
                parameter.requires_grad = False

    def logits(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> tuple[Any, Any]:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.level(pooled), self.category(pooled)

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> tuple[Any, Any]:
        level, category = self.logits(input_ids, attention_mask, token_type_ids)
        return torch.softmax(level, dim=-1), torch.softmax(category, dim=-1)

    def trained_state(self) -> dict[str, Any]:
        """The weights that training changed: the unfrozen layers and the heads."""
        frozen = (
            "bert.embeddings.",
            *(f"bert.encoder.layer.{i}." for i in range(self.frozen_layers)),
        )
        return {k: v for k, v in self.state_dict().items() if not k.startswith(frozen)}


def base_model(attn: str = "eager") -> Any:
    from transformers import AutoModel

    from coach.memory.minilm_onnx import model_dir

    return AutoModel.from_pretrained(str(model_dir()), attn_implementation=attn)


def build(delta: Path | None, frozen_layers: int, layers: int = LAYERS) -> SafetyNet:
    """The packaged encoder cut to its lowest ``layers``, with the trained weights in ``delta``
    (none: untrained heads)."""
    net = SafetyNet(base_model(), frozen_layers, layers)
    if delta is not None:
        load_delta(net, delta)
    return net.eval()


def load_delta(net: SafetyNet, delta: Path) -> None:
    """Load the trained weights in ``delta`` into ``net``; weights of layers above the ones
    ``net`` keeps are left out (a smaller net may start from a larger one's lowest layers)."""
    from safetensors.torch import load_file

    kept = tuple(f"bert.encoder.layer.{i}." for i in range(len(net.bert.encoder.layer)))
    state = {
        key: value
        for key, value in unpack_state(load_file(str(delta))).items()
        if not key.startswith("bert.encoder.layer.") or key.startswith(kept)
    }
    missing = set(net.trained_state()) - set(state)
    if missing:
        raise ValueError(f"{delta.name} lacks {sorted(missing)[:3]}...")
    net.load_state_dict(state, strict=False)


SCALE = ".row_scale"


def pack_state(state: dict[str, Any]) -> dict[str, Any]:
    """Weight matrices as int8 with one float16 scale per row (the graph is int8 when it runs);
    everything else as float16."""
    packed = {}
    for key, value in state.items():
        value = value.detach().float()
        if value.dim() == 2:
            scale = value.abs().amax(dim=1).clamp(min=1e-8) / 127.0
            packed[key] = torch.round(value / scale[:, None]).to(torch.int8).contiguous()
            packed[key + SCALE] = scale.half().contiguous()
        else:
            packed[key] = value.half().contiguous()
    return packed


def unpack_state(packed: dict[str, Any]) -> dict[str, Any]:
    """The float weights of ``pack_state``'s output (or of a float16 file)."""
    state = {}
    for key, value in packed.items():
        if key.endswith(SCALE):
            continue
        if key + SCALE in packed:
            state[key] = value.float() * packed[key + SCALE].float()[:, None]
        else:
            state[key] = value.float()
    return state


def save_delta(net: SafetyNet, path: Path) -> None:
    from safetensors.torch import save_file

    save_file(pack_state(net.trained_state()), str(path))
