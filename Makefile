# planbot: `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install index lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/planbot index --if-changed

run: index
	$(BIN)/planbot run

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy planbot knowledge indexer reminders supervision bot

bench: install
	$(BIN)/python bench/embeddings.py
	$(BIN)/python bench/index.py
	$(BIN)/python bench/qa.py
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/reminders.py

clean:
	rm -rf $(VENV) data
