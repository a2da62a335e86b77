# Two commands do all set-up from a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EVAL_DATA ?= data/eval

.PHONY: install serve test lint unit eval bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/assistant index corpus --kb corpus
	$(BIN)/assistant serve

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

unit: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check assistant tests
	$(BIN)/mypy

eval: $(STAMP)
	ASSISTANT_DATA_DIR=$(EVAL_DATA) $(BIN)/assistant eval retrieval tests/evals/retrieval.yaml
	$(BIN)/assistant eval grounding tests/evals/grounding.yaml
	$(BIN)/assistant eval proofreading tests/evals/proofreading.yaml --corpus ../shared/corpus
	$(BIN)/assistant eval spelling ../shared/eval/ecspell --corpus ../shared/corpus
	ASSISTANT_DATA_DIR=$(EVAL_DATA) $(BIN)/assistant eval drafting tests/evals/drafting_sheets
	$(BIN)/assistant eval chat tests/evals/chat_messages.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev2.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev3.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev4.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev5.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev6.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev7.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev8.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev9.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev10.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev11.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev12.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev13.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_dev14.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout2.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout3.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout4.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout5.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout6.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout7.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout8.yaml
	$(BIN)/assistant eval chat tests/evals/chat_messages_heldout9.yaml
	$(BIN)/assistant eval offline tests/evals/offline_slots.yaml
	$(BIN)/assistant eval offline tests/evals/offline_slots_heldout.yaml

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_retrieval
	$(BIN)/python -m tests.benchmarks.bench_checker
	$(BIN)/python -m tests.benchmarks.bench_export
	$(BIN)/python -m tests.benchmarks.bench_ocr
	$(BIN)/python -m tests.benchmarks.bench_cli
	$(BIN)/python -m tests.benchmarks.bench_drafting
	$(BIN)/python -m tests.benchmarks.bench_api --users 1 --rounds 20
	$(BIN)/python -m tests.benchmarks.bench_api --users 20 --rounds 3
	$(BIN)/python -m tests.benchmarks.bench_api --users 20 --rounds 3 --uploaders 2 --upload-chunks 40 --compare
	$(BIN)/python -m tests.benchmarks.bench_concurrency
	$(BIN)/python -m tests.benchmarks.bench_openai_overhead

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
