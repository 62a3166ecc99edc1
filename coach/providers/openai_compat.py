"""Any OpenAI-compatible endpoint: OpenAI, Ollama, vLLM, LM Studio, a llama.cpp server."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from coach.errors import ConfigError, ProviderError
from coach.providers.base import ChatMessage, Provider

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
MAX_REPLY_TOKENS = 200
# Endpoints on this list usually need no key; a placeholder keeps the client happy.
NO_KEY_PLACEHOLDER = "not-needed"
RETRY_ATTEMPTS = 3
RETRY_BUDGET_S = 20.0
"""No new attempt starts once this many seconds have passed since the first."""
MAX_RETRY_AFTER_S = 10.0


class OpenAIProvider(Provider):
    """Streams chat completions from an OpenAI-compatible server."""

    name = "openai"

    def __init__(
        self,
        model: str | None,
        base_url: str | None,
        api_key: str | None,
        timeout_s: float = 60.0,
        retry_budget_s: float = RETRY_BUDGET_S,
    ) -> None:
        if base_url is None and not api_key:
            raise ConfigError(
                "The openai provider needs a key for api.openai.com: set COACH_API_KEY or "
                "OPENAI_API_KEY. For a local server (Ollama, vLLM, LM Studio, llama.cpp), set "
                "COACH_BASE_URL instead, for example http://127.0.0.1:11434/v1."
            )
        if base_url is not None and not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"COACH_BASE_URL={base_url!r} is not a URL. Use the server's address, "
                "for example http://127.0.0.1:8000/v1."
            )
        if model is None and base_url is not None:
            raise ConfigError(
                "Set COACH_MODEL to the model name your server at "
                f"{base_url} serves (or pass --model)."
            )
        self.model = model or DEFAULT_OPENAI_MODEL
        self.base_url = base_url
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or NO_KEY_PLACEHOLDER,
            timeout=timeout_s,
            max_retries=0,  # retries are ours: bounded, and only before the first word
        )
        self._timeout_s = timeout_s
        self._retry_budget_s = retry_budget_s

    def describe(self) -> str:
        return f"{self.model} at {self.base_url or 'api.openai.com'}"

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Stream a reply. Faults before the first word are retried with backoff, within a
        bounded wait; any fault that remains ends in a ProviderError saying what happened."""
        said_something = False
        try:
            for chunk in self._open(messages):
                if chunk.choices and chunk.choices[0].delta.content:
                    said_something = True
                    yield chunk.choices[0].delta.content
        except (openai.APIError, httpx.HTTPError, ValueError) as exc:
            raise ProviderError(self._problem(exc, mid_reply=said_something)) from None
        if not said_something:
            raise ProviderError("the model sent an empty reply.")

    def _problem(self, exc: Exception, mid_reply: bool) -> str:
        """What went wrong, in words the mentee can act on."""
        if mid_reply and isinstance(exc, openai.APIConnectionError | httpx.HTTPError):
            return "the connection broke off in the middle of the reply."
        if isinstance(exc, openai.APITimeoutError):
            return f"the model at {self.describe()} did not answer within {self._timeout_s:g} s."
        if isinstance(exc, openai.APIConnectionError | httpx.HTTPError):
            return f"could not reach {self.base_url or 'api.openai.com'}. Is the server running?"
        if isinstance(exc, openai.AuthenticationError):
            return "the server refused the API key. Check COACH_API_KEY or OPENAI_API_KEY."
        if isinstance(exc, openai.NotFoundError):
            return f"the server does not know the model {self.model!r}. Check COACH_MODEL."
        if isinstance(exc, openai.RateLimitError):
            return "the server is busy (rate limited) and stayed busy. Wait a minute."
        if isinstance(exc, openai.APIStatusError):
            return f"the server answered with an error ({exc.status_code})."
        return f"the server's reply could not be read ({exc})."

    def _open(self, messages: Sequence[ChatMessage]) -> Any:
        """Start the streamed completion, retrying transient faults (see RETRY_*)."""
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(RETRY_ATTEMPTS) | stop_after_delay(self._retry_budget_s),
            wait=_wait_for_server,
            reraise=True,
        )
        return retrying(
            self._client.chat.completions.create,
            model=self.model,
            messages=[m.model_dump() for m in messages],
            max_tokens=MAX_REPLY_TOKENS,
            temperature=0.4,
            stream=True,
        )


def _transient(exc: BaseException) -> bool:
    """Faults worth another try: no connection, a timeout, rate limits, server errors."""
    return isinstance(exc, openai.APIConnectionError | openai.RateLimitError) or (
        isinstance(exc, openai.APIStatusError) and exc.status_code >= 500
    )


_backoff = wait_exponential_jitter(multiplier=0.5, max=4.0)


def _wait_for_server(state: RetryCallState) -> float:
    """Seconds before the next try: the server's Retry-After when it gives one (capped),
    otherwise exponential backoff with jitter."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, openai.RateLimitError):
        retry_after = exc.response.headers.get("retry-after", "")
        try:
            return min(float(retry_after), MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    return float(_backoff(state))
