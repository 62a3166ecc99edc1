"""Any OpenAI-compatible endpoint: OpenAI, Ollama, vLLM, LM Studio, a llama.cpp server."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import openai

from coach.errors import ConfigError, ProviderError
from coach.providers.base import ChatMessage

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
MAX_REPLY_TOKENS = 200
# Endpoints on this list usually need no key; a placeholder keeps the client happy.
NO_KEY_PLACEHOLDER = "not-needed"


class OpenAIProvider:
    """Streams chat completions from an OpenAI-compatible server."""

    name = "openai"
    writes_notes = True

    def __init__(
        self,
        model: str | None,
        base_url: str | None,
        api_key: str | None,
        timeout_s: float = 60.0,
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
            max_retries=1,
        )
        self._timeout_s = timeout_s

    def describe(self) -> str:
        return f"{self.model} at {self.base_url or 'api.openai.com'}"

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        try:
            stream: Any = self._client.chat.completions.create(
                model=self.model,
                messages=[m.model_dump() for m in messages],  # type: ignore[misc]
                max_tokens=MAX_REPLY_TOKENS,
                temperature=0.4,
                stream=True,
            )
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except openai.APITimeoutError:
            raise ProviderError(
                f"the model at {self.describe()} did not answer within {self._timeout_s:g} s."
            ) from None
        except openai.APIConnectionError:
            raise ProviderError(
                f"could not reach {self.base_url or 'api.openai.com'}. Is the server running?"
            ) from None
        except openai.AuthenticationError:
            raise ProviderError(
                "the server refused the API key. Check COACH_API_KEY or OPENAI_API_KEY."
            ) from None
        except openai.NotFoundError:
            raise ProviderError(
                f"the server does not know the model {self.model!r}. Check COACH_MODEL."
            ) from None
        except openai.RateLimitError:
            raise ProviderError("the server is busy (rate limited). Wait a moment.") from None
        except openai.APIStatusError as exc:
            raise ProviderError(f"the server answered with an error ({exc.status_code}).") from None
        except openai.APIError as exc:
            raise ProviderError(f"the server's reply could not be read ({exc}).") from None
