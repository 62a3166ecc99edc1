"""Provider faults, injected by a misbehaving server on loopback and by the scripted model.

Each fault ends in a clear message, the mentee's words are kept, and a retry works.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from coach.errors import ProviderError
from coach.providers import ChatMessage, ScriptedProvider
from coach.providers.openai_compat import OpenAIProvider
from coach.session import CoachSession
from coach.settings import Settings
from tests.fake_openai import FakeOpenAI, fake_openai
from tests.servers import free_port

pytestmark = pytest.mark.slow  # a faulty server on loopback, with real retry waits

HELLO = [ChatMessage(role="user", content="My manager takes credit for my work.")]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with fake_openai() as server:
        yield server


def provider(url: str, timeout_s: float = 10, budget_s: float = 20) -> OpenAIProvider:
    return OpenAIProvider("fake", url, None, timeout_s=timeout_s, retry_budget_s=budget_s)


def reply(p: OpenAIProvider) -> str:
    return "".join(p.stream(HELLO))


@pytest.mark.parametrize("fault", ["429", "500"])
def test_a_passing_server_fault_is_retried_with_backoff(fake: FakeOpenAI, fault: str) -> None:
    fake.then(fault)
    started = time.monotonic()
    assert reply(provider(fake.url)) == fake.reply
    waited = time.monotonic() - started
    assert fake.requests == 2
    if fault == "429":
        assert waited >= 1.0  # the server's Retry-After: 1 is honoured


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        (["429"] * 3, "rate limited"),
        (["500"] * 3, r"error \(500\)"),
        (["empty"], "empty reply"),
        (["malformed"], "could not be read"),
        (["cut"], "broke off in the middle"),
        (["slow"] * 3, "did not answer within 1 s"),
    ],
)
def test_a_lasting_fault_ends_in_a_clear_message(
    fake: FakeOpenAI, faults: list[str], message: str
) -> None:
    fake.then(*faults)
    started = time.monotonic()
    with pytest.raises(ProviderError, match=message):
        reply(provider(fake.url, timeout_s=1))
    assert time.monotonic() - started < 15  # the total wait is bounded
    assert fake.requests <= 3


def test_retries_stop_when_the_budget_is_spent(fake: FakeOpenAI) -> None:
    fake.then("slow", "slow", "slow")
    with pytest.raises(ProviderError, match="did not answer"):
        reply(provider(fake.url, timeout_s=1, budget_s=0.5))
    assert fake.requests == 1


def test_a_refused_connection_says_the_server_is_not_running() -> None:
    with pytest.raises(ProviderError, match="Is the server running"):
        reply(provider(f"http://127.0.0.1:{free_port()}/v1", budget_s=1))


@pytest.mark.parametrize("fault", ["cut", "empty", "malformed", "500"])
def test_a_session_keeps_the_message_and_the_retry_works(
    fake: FakeOpenAI, settings: Settings, fault: str
) -> None:
    fake.then(*[fault] * (3 if fault == "500" else 1))
    session = CoachSession(provider(fake.url, timeout_s=2), settings, user="ana")
    failed = session.turn("My manager presents my work as his.")
    assert failed.outcome == "error" and failed.error and "try again" in failed.error.lower()
    assert session.pending is not None
    assert session.store.load(session.session_id)[0].text == "My manager presents my work as his."
    events = list(session.retry())
    assert events[-1].reply == fake.reply  # type: ignore[union-attr]
    assert session.pending is None


def test_scripted_faults_end_the_same_way(settings: Settings) -> None:
    scripted = ScriptedProvider([ProviderError("the model sent an empty reply."), "What next?"])
    session = CoachSession(scripted, settings, user="ana")
    assert session.turn("I need to decide today.").outcome == "error"
    assert list(session.retry())[-1].reply == "What next?"  # type: ignore[union-attr]
