"""The llama.cpp build: the installed library uses only what its build promised and what this
CPU has; the portable build has AVX2, FMA and F16C, and no AVX-512 or AMX."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.doctor import build

PORTABLE = {"build": "portable"}
NATIVE = {"build": "native"}
V3_CPU = frozenset({"pni", "ssse3", "sse4_2", "avx", "avx2", "fma", "f16c", "bmi2"})
AMX_CPU = V3_CPU | {"avx512f", "avx512_vnni", "amx_int8", "amx_tile"}
PORTABLE_INFO = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | "
NATIVE_AMX_INFO = PORTABLE_INFO + "AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 | OPENMP = 1 |"


@pytest.mark.slow
def test_the_installed_llama_cpp_is_what_its_build_promised() -> None:
    promised = build.promise()
    assert promised is not None, "llama.cpp was not installed by make (no llama-cpp-build.json)"
    report = build.check(build.system_info(), promised, build.cpu_flags())
    assert not report.problems, report
    if promised["build"] == "portable":
        assert report.features >= build.PORTABLE_REQUIRES, report
        assert not report.features & build.PORTABLE_EXCLUDES, report


def test_a_portable_build_on_a_v3_cpu_is_sound() -> None:
    report = build.check(PORTABLE_INFO, PORTABLE, V3_CPU)
    assert report.problems == () and report.features >= {"AVX2", "FMA", "F16C"}


def test_a_portable_build_with_amx_breaks_its_promise() -> None:
    report = build.check(NATIVE_AMX_INFO, PORTABLE, AMX_CPU)
    assert any("promised no AMX_INT8" in p for p in report.problems), report


def test_a_build_using_what_this_cpu_lacks_will_crash() -> None:
    report = build.check(NATIVE_AMX_INFO, NATIVE, V3_CPU)
    assert any("AMX_INT8" in p and "illegal instruction" in p for p in report.problems), report


def test_a_native_build_on_its_own_cpu_is_sound() -> None:
    assert build.check(NATIVE_AMX_INFO, NATIVE, AMX_CPU).problems == ()


def test_an_unknown_build_with_amx_is_called_out() -> None:
    report = build.check(NATIVE_AMX_INFO, None, AMX_CPU)
    assert any("AMX" in p for p in report.problems)


def test_the_promise_is_read_from_the_environment(tmp_path: Path) -> None:
    assert build.promise(tmp_path) is None
    (tmp_path / build.PROMISE_FILE).write_text('{"build": "native", "version": "0.3.36"}')
    assert build.promise(tmp_path) == {"build": "native", "version": "0.3.36"}
    (tmp_path / build.PROMISE_FILE).write_text("not json")
    assert build.promise(tmp_path) is None


def test_cpu_flags_come_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx avx2 fma\n")
    assert build.cpu_flags(cpuinfo) == {"fpu", "avx", "avx2", "fma"}
    assert build.cpu_flags(tmp_path / "missing") is None
