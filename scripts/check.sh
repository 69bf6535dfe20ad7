#!/usr/bin/env bash
# Set up the virtual environment (if needed) and run every check: lint, types, import
# contract, tests. README command 2 and CI (.ci/run) call this script.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy
echo "== import contract"
.venv/bin/lint-imports
echo "== pytest"
# Hypothesis runs its thorough profile here (tests/hypothesis_budget.py); `make test-unit`
# uses the fast default.
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
# Two workers by default (the CI machine has two cores); PYTEST_WORKERS=0 runs in one process.
WORKERS="${PYTEST_WORKERS:-2}"
.venv/bin/python -m pytest -n "$WORKERS" "$@"
# The date-sensitive tests (reminders, escalation, calendar, schedules, demo) once more on
# awkward dates: 24.12., 25.12., Good Friday, the March DST change, 31.12. and 29 February.
echo "== pytest -m dated --today awkward"
.venv/bin/python -m pytest -n "$WORKERS" -m dated --today awkward -q "$@"
