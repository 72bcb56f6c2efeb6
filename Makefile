# planbot: `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test test-fast install install-dev index lint bench clean

# `make run` needs the core only; PostgreSQL ([postgres]) and LLM phrasing ([llm]) are optional extras.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e .
	touch $(STAMP)

# The tests, lint and benchmarks need every extra.
$(DEV_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev,bench,postgres,llm]'
	touch $(STAMP) $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

index: install
	$(BIN)/planbot index --if-changed

run: index
	$(BIN)/planbot run

test: install-dev
	$(BIN)/python -m pytest -q

# Everything but the tests marked slow (end-to-end subprocess runs, PostgreSQL/Chroma servers, model loading).
test-fast: install-dev
	$(BIN)/python -m pytest -q -m "not slow"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy planbot knowledge indexer reminders supervision bot web

bench: install-dev
	$(BIN)/python bench/embeddings.py
	$(BIN)/python bench/index.py
	$(BIN)/python bench/qa.py
	$(BIN)/python bench/qa_ablation.py
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) data
