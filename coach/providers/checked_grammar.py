"""Grammar-constrained sampling that checks one token instead of the whole vocabulary.

llama-cpp-python applies a grammar to all 49,152 candidate tokens before every draw, which
costs SmolLM2 more than the model itself. llama.cpp's own tools draw first and ask the grammar
about the drawn token only; when the grammar refuses it, they apply the grammar to every
candidate and draw again. Greedy choices are identical either way, and every reply still
matches the grammar. ``CheckedGrammarLlama`` does the same inside llama-cpp-python's own
generation loop.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])


class CheckedGrammarSampler:
    """Draws with the unconstrained chain, then lets the grammar veto the draw."""

    def __init__(self, chain: Any, grammar: Any, model: Any, n_vocab: int) -> None:
        self._chain = chain  # llama-cpp-python's sampler chain, built without the grammar
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self._grammar:
            raise ValueError("llama.cpp could not build the grammar")
        self._n_vocab = n_vocab
        self._ids = np.arange(n_vocab, dtype=np.int32)
        self._data = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self._candidates = llama_cpp.llama_token_data_array(
            data=self._data.ctypes.data_as(llama_cpp.llama_token_data_p),
            size=n_vocab,
            selected=-1,
            sorted=False,
        )
        self._one = llama_cpp.llama_token_data()
        self._single = llama_cpp.llama_token_data_array(
            data=ctypes.pointer(self._one), size=1, selected=-1, sorted=False
        )

    def sample(self, ctx: Any, idx: int = -1) -> int:
        logits = np.ctypeslib.as_array(
            llama_cpp.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,)
        )
        token = self._draw(logits, constrained=False)
        if not self._allows(token):
            token = self._draw(logits, constrained=True)
        llama_cpp.llama_sampler_accept(self._grammar, token)
        llama_cpp.llama_sampler_accept(self._chain.sampler, token)
        return token

    def _draw(self, logits: np.ndarray, constrained: bool) -> int:
        self._data["id"] = self._ids
        self._data["logit"] = logits
        self._data["p"] = 0.0
        self._candidates.size = self._n_vocab
        self._candidates.selected = -1
        self._candidates.sorted = False
        if constrained:
            llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(self._candidates))
        llama_cpp.llama_sampler_apply(self._chain.sampler, ctypes.byref(self._candidates))
        return int(self._candidates.data[self._candidates.selected].id)

    def _allows(self, token: int) -> bool:
        self._one.id = llama_cpp.llama_token(token)
        self._one.logit, self._one.p = 1.0, 0.0
        self._single.size, self._single.selected, self._single.sorted = 1, -1, False
        llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(self._single))
        return not math.isinf(self._one.logit)

    def close(self) -> None:
        if getattr(self, "_grammar", None):
            llama_cpp.llama_sampler_free(self._grammar)
            self._grammar = None
        if hasattr(self, "_chain"):
            self._chain.close()

    def __del__(self) -> None:
        self.close()


class CheckedGrammarLlama(Llama):
    """``Llama`` whose grammar-constrained generation checks drawn tokens one at a time."""

    def _init_sampler(self, *args: Any, **kwargs: Any) -> Any:
        grammar = kwargs.pop("grammar", None)  # llama-cpp-python passes it by keyword
        chain = super()._init_sampler(*args, **kwargs)
        if grammar is None:
            return chain
        return CheckedGrammarSampler(chain, grammar, self._model, self._n_vocab)
