"""What a dead model process means, in words a mentee or an operator can act on."""

from __future__ import annotations

import signal

from coach.errors import ProviderError

REBUILD = (
    "Rebuild llama.cpp for this machine with `make rebuild-llama` (the portable build), then "
    "start the coach again"
)
OTHER_MODEL = (
    "or choose another model: the Profile page, or COACH_PROVIDER=openai with COACH_BASE_URL"
)
DOCTOR = "`coach doctor` checks the whole installation"

_CAUSES = {
    signal.SIGILL: (
        "used a CPU instruction this machine does not have (SIGILL, illegal instruction); "
        "llama.cpp was built for another CPU"
    ),
    signal.SIGSEGV: "crashed (SIGSEGV, a segmentation fault in llama.cpp)",
    signal.SIGBUS: "crashed (SIGBUS, a bad memory access in llama.cpp)",
    signal.SIGFPE: "crashed (SIGFPE, an arithmetic fault in llama.cpp)",
    signal.SIGABRT: "aborted (SIGABRT: llama.cpp stopped on a failed check)",
    signal.SIGKILL: "was killed (SIGKILL), most often because the machine ran out of memory",
}


class ModelCrash(ProviderError):
    """The model's process died. The app and the mentee's message are unharmed."""

    def __init__(self, message: str, returncode: int | None) -> None:
        super().__init__(message)
        self.returncode = returncode


def cause_of(returncode: int | None) -> str:
    """How the process ended, as a clause: 'crashed (SIGSEGV, ...)'."""
    if returncode is None:
        return "stopped answering"
    if returncode < 0:
        number = -returncode
        if number in _CAUSES:
            return _CAUSES[signal.Signals(number)]
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"was stopped by {name}"
    return f"exited with code {returncode}"


def crash(returncode: int | None, last_words: str = "") -> ModelCrash:
    """The error for a model process that ended with ``returncode`` (negative: a signal)."""
    said = f' Its last words: "{last_words.strip()}".' if last_words.strip() else ""
    oom = returncode == -signal.SIGKILL
    fix = (
        "Free some memory or set COACH_MODEL_PATH to a smaller model, " + OTHER_MODEL
        if oom
        else REBUILD + ", " + OTHER_MODEL
    )
    return ModelCrash(
        f"the embedded model's process {cause_of(returncode)}.{said} {fix}. {DOCTOR}.",
        returncode,
    )
