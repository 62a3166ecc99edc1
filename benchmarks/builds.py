"""llama.cpp builds and thread settings for the embedded model, measured side by side.

``python -m benchmarks.builds [--rounds N] [--turns N] WHEEL_FOLDER...``

Each wheel folder (``make llama-wheel LLAMA_BUILD=native`` makes one under ``.wheels/``) is
unpacked into ``benchmarks/out/builds/`` and put first on the model process's PYTHONPATH, so
every build serves the same model to the same coach, in the same run. Two measurements:

- **builds**: generation tokens per second (a short prompt, 48 tokens, no grammar) and full
  coach turns, build after build within each round, so a busy machine slows them alike;
- **contention**: coach turns p50/p95 for each thread setting (OpenMP's wait policy, the thread
  count, a build without OpenMP), quiet and beside one CPU-bound process, in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from benchmarks.results import OUT_DIR, Result, percentile, result, write
from benchmarks.turn import CONVERSATIONS
from coach.providers import ChatMessage
from coach.providers.local import LocalProvider
from coach.session import CoachSession
from coach.settings import load_settings

UNPACKED = OUT_DIR / "builds"
GENERATE = [ChatMessage(role="user", content="Tell me about a time you changed your mind.")]
BUSY_LOOP = "while True: pass"


def unpack(wheels: Path) -> tuple[str, Path]:
    """The build's name (from its build.json) and a folder holding its ``llama_cpp``."""
    info = json.loads((wheels / "build.json").read_text())
    flags = info["cmake_args"]
    name = info["build"] + (" without OpenMP" if "GGML_OPENMP=OFF" in flags else "")
    target = UNPACKED / wheels.name
    if not (target / "llama_cpp").is_dir():
        [wheel] = sorted(wheels.glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target)
    return name, target


def provider(env: Mapping[str, str | None], threads: int = 2) -> LocalProvider:
    return LocalProvider(threads=threads, worker_env=env, timeout_s=600)


def turns(model: LocalProvider, count: int, start: int = 0) -> list[float]:
    """Seconds per coach turn over ``count`` turns of the benchmark conversations."""
    said = [text for conversation in CONVERSATIONS for text in conversation]
    timings = []
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(provider="local", data_dir=Path(data_dir), memory=False)
        session = CoachSession(model, settings, user="bench")
        for index in range(start, start + count):
            begin = time.perf_counter()
            session.turn(said[index % len(said)])
            timings.append(time.perf_counter() - begin)
    return timings


def generation_rate(model: LocalProvider) -> float:
    """Tokens per second writing 48 tokens of free text after a short prompt."""
    free = model.unconstrained()
    begin = time.perf_counter()
    pieces = sum(1 for _ in free.stream(GENERATE))
    return pieces / (time.perf_counter() - begin)


def compare_builds(builds: dict[str, Path], rounds: int, threads: int) -> list[Result]:
    """Each build with ``threads`` threads and OpenMP's own default waiting, round by round."""
    models = {
        name: provider(
            {"PYTHONPATH": str(path), "OMP_WAIT_POLICY": None, "GOMP_SPINCOUNT": None}, threads
        )
        for name, path in builds.items()
    }
    rates: dict[str, list[float]] = {name: [] for name in models}
    times: dict[str, list[float]] = {name: [] for name in models}
    for model in models.values():  # warm-up, not counted
        generation_rate(model)
        turns(model, 1)
    per_round = 3
    for index in range(rounds):
        for name, model in models.items():
            rates[name].append(generation_rate(model))
            times[name] += turns(model, per_round, start=index * per_round)
    base = "portable" if "portable" in models else next(iter(models))
    results = []
    for name in models:
        label = f"{name} build, {threads} thread{'s' if threads > 1 else ''}"
        results.append(
            result(
                f"{label}: generation tokens/s (median)",
                percentile(rates[name], 50),
                "tokens/s",
                rounds,
                f"{base} build",
                percentile(rates[base], 50),
            )
        )
        results.append(
            result(
                f"{label}: coach turn p50",
                percentile(times[name], 50),
                "s",
                len(times[name]),
                f"{base} build",
                percentile(times[base], 50),
            )
        )
    for model in models.values():
        model.close()
    return results


@contextlib.contextmanager
def competing_process() -> Iterator[None]:
    """One CPU-bound process beside the coach, as another session or job on the server."""
    busy = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        time.sleep(0.5)
        yield
    finally:
        busy.kill()
        busy.wait()


def contention(variants: dict[str, Setting], count: int) -> list[Result]:
    """Turn p50/p95 per thread setting, quiet and beside a CPU-bound process."""
    results = []
    for name, (env, threads) in variants.items():
        model = provider(env, threads)
        turns(model, 2)  # warm-up
        quiet = turns(model, count)
        with competing_process():
            loaded = turns(model, count)
        model.close()
        for pct in (50, 95):
            results.append(
                result(
                    f"{name}: turn p{pct} beside a CPU-bound process",
                    percentile(loaded, pct),
                    "s",
                    count,
                    f"{name}: quiet p{pct}",
                    percentile(quiet, pct),
                )
            )
        print(f"{name}: quiet {quiet}, loaded {loaded}", file=sys.stderr, flush=True)
    return results


Setting = tuple[dict[str, str | None], int]
BROWSER_SETTINGS = {
    "1 thread (the default on 2 cores)": {"COACH_THREADS": "1"},
    "2 threads, short spin": {"COACH_THREADS": "2"},
    "2 threads, OpenMP's default spin": {"COACH_THREADS": "2", "GOMP_SPINCOUNT": "300000"},
}


def browser_first_words(runs: int, only: list[str]) -> list[Result]:
    """First streamed words of a local turn in Chromium, per thread setting, quiet and beside a
    CPU-bound process (the installed build)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.pages import ECHO_APP, MESSAGES, first_words_seconds
    from benchmarks.serving import CHROMIUM, CHROMIUM_ARGS, ROOT, served

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with tempfile.TemporaryDirectory() as folder:
            echo = Path(folder) / "echo.py"
            echo.write_text(ECHO_APP)
            with served(echo, folder) as server:
                echoed = first_words_seconds(browser, server.url, MESSAGES * runs)
        for name, env in BROWSER_SETTINGS.items():
            if only and not any(part in name for part in only):
                continue
            app = ROOT / "ui" / "Rehearse.py"
            with tempfile.TemporaryDirectory() as folder, served(app, folder, env) as server:
                first_words_seconds(browser, server.url, MESSAGES[:1])  # warm-up
                quiet = []
                for _ in range(runs):
                    quiet += first_words_seconds(browser, server.url, MESSAGES)
                loaded = []
                with competing_process():
                    for _ in range(runs):
                        loaded += first_words_seconds(browser, server.url, MESSAGES)
            print(f"{name}: quiet {quiet}, loaded {loaded}", file=sys.stderr, flush=True)
            for pct in (50, 95):
                results.append(
                    result(
                        f"{name}: first streamed words p{pct} in the browser",
                        percentile(quiet, pct),
                        "s",
                        len(quiet),
                        f"Streamlit echo page p{pct}",
                        percentile(echoed, pct),
                    )
                )
            results.append(
                result(
                    f"{name}: first streamed words p95 beside a CPU-bound process",
                    percentile(loaded, 95),
                    "s",
                    len(loaded),
                    f"{name}: quiet p95",
                    percentile(quiet, 95),
                )
            )
        browser.close()
    return results


def thread_settings(builds: dict[str, Path]) -> dict[str, Setting]:
    """The ways to keep llama.cpp's threads from spinning, on the builds given."""
    settings: dict[str, Setting] = {}
    if "portable" in builds:
        omp: dict[str, str | None] = {"PYTHONPATH": str(builds["portable"])}
        default: dict[str, str | None] = {**omp, "OMP_WAIT_POLICY": None, "GOMP_SPINCOUNT": None}
        settings["OpenMP, default waiting, 2 threads"] = (default, 2)
        settings["OpenMP, passive waiting, 2 threads"] = ({**omp, "OMP_WAIT_POLICY": "PASSIVE"}, 2)
        for spins in ("1000", "10000", "100000"):
            settings[f"OpenMP, spin {spins} then sleep, 2 threads"] = (
                {**omp, "OMP_WAIT_POLICY": None, "GOMP_SPINCOUNT": spins},
                2,
            )
        settings["OpenMP, 1 thread"] = (default, 1)
        settings["OpenMP, 1 thread, short spin"] = (omp, 1)
    if "portable without OpenMP" in builds:
        pool: dict[str, str | None] = {"PYTHONPATH": str(builds["portable without OpenMP"])}
        settings["ggml thread pool (no OpenMP), 2 threads"] = (pool, 2)
        settings["ggml thread pool (no OpenMP), 1 thread"] = (pool, 1)
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheels", nargs="+", type=Path, help="wheel folders under .wheels/")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--turns", type=int, default=12, help="turns per contention setting")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["builds", "contention", "browser"]
    )
    parser.add_argument("--browser-runs", type=int, default=4)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only the thread settings whose name contains this",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR / "builds")
    args = parser.parse_args()
    builds = dict(unpack(folder) for folder in args.wheels)
    results = []
    if "builds" not in args.skip:
        for threads in (2, 1):
            results += compare_builds(builds, args.rounds, threads)
    if "contention" not in args.skip:
        chosen = {
            name: setting
            for name, setting in thread_settings(builds).items()
            if not args.only or any(part in name for part in args.only)
        }
        results += contention(chosen, args.turns)
    if "browser" not in args.skip:
        results += browser_first_words(args.browser_runs, args.only)
    out = write(results, args.out)
    print((out / "results.md").read_text())


if __name__ == "__main__":
    main()
