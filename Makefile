# Two commands: `make run` and `make test`. Everything lives in .venv in the repo root.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# torch is pinned; installing it first keeps the CPU build (other spellings pull CUDA packages).
TORCH  := torch==2.13.0

# llama.cpp is built from source once per build flavour, into a wheel folder keyed by its flags,
# so a wheel built with other flags (or pip's cache, which ignores CMAKE_ARGS) is never reused.
#   portable (default): runs on every x86-64-v3 CPU (AVX2, FMA, F16C, BMI2); no AVX-512, no AMX.
#   native: -march=native for this machine only (`make run LLAMA_BUILD=native`); its key
#           includes this CPU's flags, so it is rebuilt on any other CPU.
LLAMA_VERSION := 0.3.36
LLAMA_BUILD   ?= portable
LLAMA_CMAKE_portable := -DGGML_NATIVE=OFF -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON \
	-DGGML_BMI2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF \
	-DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_CMAKE_native := -DGGML_NATIVE=ON
$(if $(LLAMA_CMAKE_$(LLAMA_BUILD)),,$(error LLAMA_BUILD must be portable or native))
LLAMA_CMAKE   := $(strip $(LLAMA_CMAKE_$(LLAMA_BUILD)) $(LLAMA_CMAKE_EXTRA))
LLAMA_HOST    := $(if $(filter native,$(LLAMA_BUILD)),$(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null; uname -m))
LLAMA_KEY     := $(shell printf '%s|%s|%s' '$(LLAMA_VERSION)' '$(LLAMA_CMAKE)' '$(LLAMA_HOST)' | sha256sum | cut -c1-12)
LLAMA_WHEELS  := .wheels/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_BUILD)-$(LLAMA_KEY)
LLAMA_STAMP   := $(VENV)/.llama-$(LLAMA_BUILD)-$(LLAMA_KEY)
LLAMA_TOOLS   := .wheels/llama-cpp-$(LLAMA_VERSION)-tools

CHROMIUM := /usr/bin/chromium
# apt needs root: sudo when not root.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test check bench lint clean distclean browser postgres rebuild-llama llama-wheel llama-wheel-folder train-model

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(LLAMA_WHEELS): | $(BIN)/python
	rm -rf $@.partial
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip wheel --no-cache-dir --no-deps \
		--no-binary llama-cpp-python llama-cpp-python==$(LLAMA_VERSION) -w $@.partial
	printf '{"build": "%s", "version": "%s", "cmake_args": "%s", "key": "%s"}\n' \
		'$(LLAMA_BUILD)' '$(LLAMA_VERSION)' '$(LLAMA_CMAKE)' '$(LLAMA_KEY)' > $@.partial/build.json
	mv $@.partial $@

# The chosen build replaces whatever llama.cpp the environment had; build.json says what it
# promises (`coach doctor` and the tests check the installed library against it).
$(LLAMA_STAMP): | $(LLAMA_WHEELS) $(BIN)/python
	$(BIN)/pip install --no-index --no-deps --force-reinstall $(LLAMA_WHEELS)/*.whl
	cp $(LLAMA_WHEELS)/build.json $(VENV)/llama-cpp-build.json
	rm -f $(VENV)/.llama-*
	touch $@

# After a crash with an illegal instruction: build llama.cpp again for this machine, and install it.
rebuild-llama: | $(BIN)/python
	rm -rf $(LLAMA_WHEELS) $(VENV)/.llama-*
	$(MAKE) $(LLAMA_STAMP)

# Where the chosen build's wheel lives (the folder name carries the hash of its flags).
llama-wheel-folder:
	@echo $(LLAMA_WHEELS)

# Only the wheel, e.g. `make llama-wheel LLAMA_BUILD=native` to compare builds (benchmarks/builds.py).
llama-wheel: $(LLAMA_WHEELS)

# Stamps re-run the install only when pyproject.toml or the llama.cpp build changes.
$(VENV)/.local-installed: pyproject.toml $(LLAMA_STAMP) | $(BIN)/python
	$(BIN)/pip install $(TORCH)
	$(BIN)/pip install -e '.[local]'
	HF_HUB_OFFLINE=1 $(BIN)/python -m coach.memory.minilm_onnx
	HF_HUB_OFFLINE=1 $(BIN)/python -m coach.safety.encoder
	$(BIN)/python -m coach.providers.embedded_model
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.local-installed | $(LLAMA_TOOLS)
	$(BIN)/pip install -e '.[local,dev,train]'
	touch $@

# llama.cpp's converters (LoRA adapter -> GGUF) and their gguf-py, from the sdist of the same
# llama-cpp-python release the coach runs, so the adapter format matches the loader.
$(LLAMA_TOOLS): | $(BIN)/python
	rm -rf $@.partial && mkdir -p $@.partial
	$(BIN)/pip download --no-deps --no-binary llama-cpp-python llama-cpp-python==$(LLAMA_VERSION) \
		-d $@.partial
	tar xzf $@.partial/llama_cpp_python-$(LLAMA_VERSION).tar.gz -C $@.partial --strip-components=3 \
		llama_cpp_python-$(LLAMA_VERSION)/vendor/llama.cpp/convert_lora_to_gguf.py \
		llama_cpp_python-$(LLAMA_VERSION)/vendor/llama.cpp/convert_hf_to_gguf.py \
		llama_cpp_python-$(LLAMA_VERSION)/vendor/llama.cpp/conversion \
		llama_cpp_python-$(LLAMA_VERSION)/vendor/llama.cpp/gguf-py
	rm $@.partial/*.tar.gz
	mv $@.partial $@

# Train the coaching adapter on evals/coach_model/corpus and install it in coach/providers/adapter
# (about 60 minutes on 2 cores; progress and loss on stdout; run again to resume from the last
# checkpoint in evals/coach_model/out/). TRAIN_ARGS passes options, e.g. --tiny.
train-model: $(VENV)/.local-installed | $(LLAMA_TOOLS)
	$(BIN)/pip install --quiet -e '.[local,train]'
	HF_HUB_OFFLINE=1 COACH_LLAMA_TOOLS=$(LLAMA_TOOLS) $(BIN)/python -m evals.coach_model train $(TRAIN_ARGS)

run: $(VENV)/.local-installed
	HF_HUB_OFFLINE=1 $(BIN)/streamlit run ui/Rehearse.py \
		--server.headless true --server.address 127.0.0.1 --browser.gatherUsageStats false \
		--client.toolbarMode minimal

# The end-to-end test drives Debian's Chromium with Playwright (Playwright cannot fetch its own).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

browser: $(CHROMIUM)

# The record tests also run on a real PostgreSQL server, which they start on loopback (initdb,
# pg_ctl) and stop; Debian keeps its programs in /usr/lib/postgresql/<version>/bin.
POSTGRES_INITDB = $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
postgres:
	@if [ -z "$(POSTGRES_INITDB)" ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; \
	fi

# Style and types: the linter, the formatter (enforced: code is never hand-formatted) and mypy.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HF_HUB_OFFLINE=1 $(BIN)/mypy

# The fast loop while changing code: lint and the tests not marked slow (no model, no servers).
check: lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q -m "not slow"

# The whole suite, as CI runs it.
test: lint $(CHROMIUM) postgres
	HF_HUB_OFFLINE=1 COACH_REQUIRE_BROWSER=1 COACH_REQUIRE_POSTGRES=1 $(BIN)/pytest

bench: $(VENV)/.dev-installed $(CHROMIUM)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks
	HF_HUB_OFFLINE=1 $(BIN)/python -m evals.memory

clean:
	rm -rf $(VENV) benchmarks/out test-artifacts

# Also forget the built llama.cpp wheels (the next `make run` builds one again, about 5 minutes).
distclean: clean
	rm -rf .wheels
