"""A misbehaving OpenAI-compatible server on loopback, for fault injection.

Each request takes the next behaviour from a queue: ``ok`` streams a reply; ``slow`` waits
longer than the client will; ``429`` asks the client to come back later; ``500`` fails;
``empty`` streams no words; ``malformed`` streams something that is not JSON; ``cut`` streams
a few words and then drops the connection; ``trickle`` streams one word every half second.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self) -> None:
        self.behaviours: deque[str] = deque()
        self.reply = "What would a good outcome look like for you?"
        self.requests = 0
        self.url = ""

    def then(self, *behaviours: str) -> FakeOpenAI:
        self.behaviours.extend(behaviours)
        return self


def _chunk(content: str) -> bytes:
    payload = {
        "id": "fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }
    return _http_chunk(f"data: {json.dumps(payload)}\n\n".encode())


def _http_chunk(data: bytes) -> bytes:
    """One piece of a chunked HTTP body, as streaming servers send them."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.requests += 1
            behaviour = fake.behaviours.popleft() if fake.behaviours else "ok"
            if behaviour in {"429", "500"}:
                body = json.dumps({"error": {"message": f"fake {behaviour}"}}).encode()
                self.send_response(int(behaviour))
                if behaviour == "429":
                    self.send_header("Retry-After", "1")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if behaviour == "slow":
                time.sleep(3)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            words = fake.reply.split(" ")
            if behaviour == "empty":
                words = []
            if behaviour == "malformed":
                self.wfile.write(_http_chunk(b"data: {this is not json\n\n") + b"0\r\n\r\n")
                self.wfile.flush()
                return
            if behaviour == "cut":
                self.wfile.write(_chunk(words[0]) + _chunk(" " + words[1]))
                self.wfile.flush()
                self.connection.shutdown(2)  # the connection drops mid-reply
                return
            for index, word in enumerate(words):
                self.wfile.write(_chunk(word if index == 0 else " " + word))
                if behaviour == "trickle":
                    self.wfile.flush()
                    time.sleep(0.5)
            self.wfile.write(_http_chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


@contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fake server on a free loopback port, stopped when the block ends."""
    fake = FakeOpenAI()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
