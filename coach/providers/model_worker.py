"""The embedded model's own process: llama.cpp runs here, never in the app's process.

``python -m coach.providers.model_worker MODEL --threads N`` loads the model, says it is ready,
then answers one JSON request per line on stdin with JSON lines on its protocol stream (the
original stdout; stray native output is sent to stderr instead). Every request is answered by
zero or more ``{"piece": ...}`` lines and then one ``{"done": ...}`` or ``{"error": ...}``.
If llama.cpp dies here (an illegal instruction, a segmentation fault, an abort, the kernel's
out-of-memory killer), only this process goes; the app sees the signal and says so.

Requests (``op``): ``complete`` (messages, grammar or null, sampling, ``instance`` "coach" or
"free"), ``prefill`` (messages), ``tokens`` (text: how many tokens), ``state`` (how many prompt
tokens are cached). ``--system-info`` prints what this llama.cpp build was compiled with. A reply
streams in lockstep: after each piece the app sends ``next`` or ``cancel``, so the model draws
exactly the tokens the app reads, as it would in the app's own process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

CONTEXT_TOKENS = 2048
SEED = 7


Send = Callable[[dict[str, Any]], None]
Proceed = Callable[[], bool]


class Worker:
    """The loaded model instances and the requests they answer."""

    def __init__(self, model_path: str, threads: int, lora: str | None = None) -> None:
        from coach.providers.checked_grammar import CheckedGrammarLlama

        self._model_path = model_path
        self._threads = threads
        # The coaching adapter shapes the coach's replies only; "free" text is the base model.
        self._instances: dict[str, Any] = {"coach": self._load(CheckedGrammarLlama, lora)}
        self._grammars: dict[str, Any] = {}
        if lora:
            # llama.cpp reads an adapter's weights on first use, and a damaged file can crash it
            # there; one token now makes that happen while loading, where the app can fall back
            # to the base model, not in the middle of a mentee's turn.
            self._instances["coach"].create_completion("Hello", max_tokens=1, temperature=0.0)
            self._instances["coach"].reset()

    def _load(self, llama: Any, lora: str | None = None) -> Any:
        return llama(
            model_path=self._model_path,
            lora_path=lora,
            n_ctx=CONTEXT_TOKENS,
            n_threads=self._threads,
            seed=SEED,
            verbose=False,
        )

    def _instance(self, name: str) -> Any:
        if name not in self._instances:
            from llama_cpp import Llama

            # A second instance, so free-text prompts never evict the coach's from its cache.
            self._instances[name] = self._load(Llama)
        return self._instances[name]

    def _grammar(self, text: str | None) -> Any:
        if text is None:
            return None
        if text not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
        return self._grammars[text]

    def answer(self, request: dict[str, Any], send: Send, proceed: Proceed) -> None:
        op = request.get("op")
        if op == "complete":
            self._complete(request, send, proceed)
        elif op == "prefill":
            llm = self._instance("coach")
            llm.create_chat_completion(messages=request["messages"], max_tokens=1, temperature=0.0)
            send({"done": True, "cached_tokens": int(llm.n_tokens)})
        elif op == "tokens":
            count = len(self._instance("coach").tokenize(request["text"].encode()))
            send({"done": True, "tokens": count})
        elif op == "state":
            send({"done": True, "cached_tokens": int(self._instance("coach").n_tokens)})
        else:
            send({"error": f"unknown request {op!r}"})

    def _complete(self, request: dict[str, Any], send: Send, proceed: Proceed) -> None:
        llm = self._instance(request.get("instance", "coach"))
        chunks = llm.create_chat_completion(
            messages=request["messages"],
            grammar=self._grammar(request.get("grammar")),
            max_tokens=request["max_tokens"],
            temperature=request["temperature"],
            top_p=request["top_p"],
            repeat_penalty=request["repeat_penalty"],
            stream=True,
        )
        pieces = 0
        for chunk in chunks:
            piece = chunk["choices"][0]["delta"].get("content")
            if not piece:
                continue
            pieces += 1
            send({"piece": piece})
            if not proceed():  # the app stopped reading: draw nothing more
                chunks.close()
                send({"done": True, "pieces": pieces, "cancelled": True})
                return
        send({"done": True, "pieces": pieces})


def system_info() -> dict[str, str]:
    """What this llama.cpp build was compiled with, and its version."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    return {"system_info": info, "version": llama_cpp.__version__}


def _protocol_stream() -> BinaryIO:
    """The original stdout, for the protocol only; fd 1 then points at stderr, so anything the
    native library prints can never corrupt a reply."""
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    return protocol


def serve(model_path: str, threads: int, lora: str | None = None) -> int:
    protocol = _protocol_stream()

    def send(message: dict[str, Any]) -> None:
        protocol.write((json.dumps(message) + "\n").encode())

    try:
        worker = Worker(model_path, threads, lora)
    except (ValueError, RuntimeError, OSError) as exc:
        loaded = f"{model_path} with the adapter {lora}" if lora else model_path
        send({"error": f"could not load {loaded}: {exc}"})
        return 1
    send({"ready": True})
    lines = _requests()

    def proceed() -> bool:
        """Whether the app asks for the next piece (``next``) rather than stopping."""
        line = next(lines, b"")
        try:
            return bool(json.loads(line).get("op") == "next")
        except (ValueError, AttributeError):
            return False

    for line in lines:  # ends when the app closes the pipe or exits
        try:
            request = json.loads(line)
        except ValueError:
            send({"error": "a request was not JSON"})
            continue
        try:
            worker.answer(request, send, proceed)
        except (ValueError, RuntimeError, KeyError, TypeError) as exc:
            send({"error": str(exc) or type(exc).__name__})
    return 0


def _requests() -> Iterator[bytes]:
    """Request lines from stdin, until the app closes it."""
    yield from sys.stdin.buffer


def main() -> int:
    parser = argparse.ArgumentParser(description="Serve a GGUF model to the coach over pipes.")
    parser.add_argument("model", nargs="?", help="the GGUF file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lora", help="a LoRA adapter (GGUF) for the coach's replies")
    parser.add_argument(
        "--system-info",
        action="store_true",
        help="print what llama.cpp was built with, as JSON, and exit",
    )
    args = parser.parse_args()
    if args.system_info:
        print(json.dumps(system_info()))
        return 0
    if not args.model:
        parser.error("the GGUF file is needed")
    try:
        return serve(args.model, args.threads, args.lora)
    except BrokenPipeError:  # the app went away mid-reply
        return 0


if __name__ == "__main__":
    sys.exit(main())
