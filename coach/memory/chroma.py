"""The Chroma side of the note store: opening the client (local or a server), naming each
user's collections, and carrying on when another process has deleted them."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlparse

from coach.errors import CoachError, ConfigError
from coach.settings import Settings
from coach.users import private_dir

if TYPE_CHECKING:
    from coach.memory.store import Kind, NoteStore


class MemoryUnavailable(CoachError):
    """The note store cannot be used; the coach carries on without memory."""


def collection_name(user: str, kind: Kind) -> str:
    return f"coach-user-{hashlib.sha256(user.encode()).hexdigest()[:32]}-{kind}"


def open_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if not url.hostname:
                raise ConfigError(
                    f"COACH_CHROMA_URL={settings.chroma_url!r} is not a URL; "
                    "use for example http://127.0.0.1:8000."
                )
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
            return client
        folder = private_dir(settings.data_dir / "chroma")
        return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    except ConfigError:
        raise
    except Exception as exc:  # chromadb raises many kinds; all mean "no memory now"
        where = settings.chroma_url or str(settings.data_dir / "chroma")
        raise MemoryUnavailable(f"The note store at {where} cannot be used ({exc}).") from None


P = ParamSpec("P")
T = TypeVar("T")


def reopening(
    method: Callable[Concatenate[NoteStore, str, P], T],
) -> Callable[Concatenate[NoteStore, str, P], T]:
    """Run ``method`` again on fresh collections if another process deleted the cached ones."""

    @functools.wraps(method)
    def wrapper(store: NoteStore, user: str, *args: P.args, **kwargs: P.kwargs) -> T:
        from chromadb.errors import NotFoundError

        try:
            return method(store, user, *args, **kwargs)
        except NotFoundError:
            store.forget_collections(user)
            return method(store, user, *args, **kwargs)

    return wrapper
