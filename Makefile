# The development loop: `make test-unit` (fast, few hypothesis examples), `make lint`,
# `make test` (the whole suite as CI runs it, README command 2).
PYTHON ?= .venv/bin/python
WORKERS ?= 2

.PHONY: test-unit lint test

test-unit:
	$(PYTHON) -m pytest -q -n $(WORKERS) tests/unit

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports

test:
	bash scripts/check.sh
