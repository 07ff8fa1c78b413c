# Every target sets up .venv itself; the stamp makes the second run instant.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := vscode-extension/node_modules/.package-lock.json

.PHONY: demo test lint bench vsix clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Offline by default: replays examples/trajectories/calculator-fix.traj.json on a temp copy
# of examples/calculator. With ANTHROPIC_API_KEY (or TRAE_DEMO_MODEL) set, a real model runs.
demo: $(STAMP)
	$(BIN)/trae --version
	$(BIN)/trae demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# npm's own record of an install: redone only when package-lock.json changes.
$(NODE_STAMP): vscode-extension/package-lock.json
	cd vscode-extension && npm ci --no-audit --no-fund --prefer-offline

test: lint $(NODE_STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The VS Code extension as a .vsix (Node 20+ and npm; registry only).
vsix: $(NODE_STAMP)
	cd vscode-extension && npm run package

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
