"""What the installed llama.cpp was built with, what its build promised, and what this CPU has.

``make`` writes the promise to ``<venv>/llama-cpp-build.json`` when it installs llama.cpp:
``portable`` (AVX2, FMA, F16C, BMI2; no AVX-512, no AMX) or ``native`` (this CPU's own
instructions). The library reports what it was compiled with in ``llama_print_system_info()``,
read here in a child process so a broken build cannot take the caller down.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The features llama.cpp reports, by the CPU flag (as Linux names it in /proc/cpuinfo) each
# needs. Features it reports that are not instruction sets (OPENMP, REPACK, ...) are not here.
CPU_FLAG = {
    "SSE3": "pni",
    "SSSE3": "ssse3",
    "SSE42": "sse4_2",
    "AVX": "avx",
    "AVX2": "avx2",
    "AVX_VNNI": "avx_vnni",
    "F16C": "f16c",
    "FMA": "fma",
    "BMI2": "bmi2",
    "AVX512": "avx512f",
    "AVX512_VBMI": "avx512vbmi",
    "AVX512_VNNI": "avx512_vnni",
    "AVX512_BF16": "avx512_bf16",
    "AMX_INT8": "amx_int8",
    "AMX_BF16": "amx_bf16",
    "AMX_TILE": "amx_tile",
}
PORTABLE_REQUIRES = frozenset({"AVX", "AVX2", "FMA", "F16C"})
PORTABLE_EXCLUDES = frozenset(
    {
        "AVX_VNNI",
        "AVX512",
        "AVX512_VBMI",
        "AVX512_VNNI",
        "AVX512_BF16",
        "AMX_INT8",
        "AMX_BF16",
        "AMX_TILE",
    }
)
PROMISE_FILE = "llama-cpp-build.json"
REBUILD = "make rebuild-llama"


@dataclass(frozen=True)
class BuildReport:
    """The build against its promise and against this CPU. ``problems`` empty means sound."""

    flavour: str | None
    features: frozenset[str]
    problems: tuple[str, ...]

    @property
    def summary(self) -> str:
        isa = " ".join(sorted(f for f in self.features if f in CPU_FLAG)) or "no extensions"
        return f"{self.flavour or 'unknown'} build: {isa}"


def promise(prefix: Path | None = None) -> dict[str, str] | None:
    """The build ``make`` recorded for this environment, or None if it did not install it."""
    path = Path(prefix or sys.prefix) / PROMISE_FILE
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def system_info(timeout_s: float = 60.0) -> str:
    """``llama_print_system_info()`` of the installed library, from a child process."""
    done = subprocess.run(
        [sys.executable, "-m", "coach.providers.model_worker", "--system-info"],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"the child process exited with code {done.returncode}"
        )
    return str(json.loads(done.stdout)["system_info"])


def compiled_features(info: str) -> frozenset[str]:
    """The features the CPU backend reports as on, e.g. ``CPU : AVX = 1 | AVX2 = 1 |``."""
    cpu = info.split("CPU :", 1)[1] if "CPU :" in info else info
    return frozenset(
        name for name, on in re.findall(r"([A-Z][A-Z0-9_]*) = (\d+)", cpu) if on != "0"
    )


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str] | None:
    """This CPU's flags, or None where the system does not list them."""
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("flags"):
                return frozenset(line.split(":", 1)[1].split())
    except OSError:
        return None
    return None


def check(info: str, promised: dict[str, str] | None, flags: frozenset[str] | None) -> BuildReport:
    """Compare what the library was compiled with to its promise and to this CPU."""
    features = compiled_features(info)
    flavour = promised.get("build") if promised else None
    problems = []
    if flags is not None:
        missing = sorted(f for f in features if f in CPU_FLAG and CPU_FLAG[f] not in flags)
        if missing:
            problems.append(
                "llama.cpp was built with " + ", ".join(missing) + ", which this CPU does not "
                "have, so it will crash with an illegal instruction"
            )
    if flavour == "portable":
        extra = sorted(features & PORTABLE_EXCLUDES)
        lacking = sorted(PORTABLE_REQUIRES - features)
        if extra:
            problems.append("the portable build promised no " + ", ".join(extra) + ", yet has it")
        if lacking:
            problems.append("the portable build promised " + ", ".join(lacking) + ", yet lacks it")
    elif flavour is None and features & {"AMX_INT8", "AMX_BF16", "AMX_TILE"}:
        problems.append(
            "llama.cpp has AMX kernels compiled in, which crash on some virtual "
            "machines (ggml-org/llama.cpp#26954)"
        )
    return BuildReport(flavour, features, tuple(problems))
