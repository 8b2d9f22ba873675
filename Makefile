# Onderdak: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
export ONDERDAK_DATABASE_URL ?= sqlite:///./onderdak.db

.PHONY: install demo test bench lint serve clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/onderdak db upgrade
	$(BIN)/onderdak demo-data
	$(BIN)/onderdak match --municipality GM0935
	@echo ""
	@echo "Onderdak demo:  http://$(HOST):$(PORT)/          (API: http://$(HOST):$(PORT)/docs)"
	@echo "  log in as crisis-team@maastricht.demo, coordinator@maastricht.demo, case-worker@maastricht.demo,"
	@echo "  admin@maastricht.demo or host gastgever1@maastricht.demo — password: onderdak-demo"
	@echo "  public host sign-up: http://$(HOST):$(PORT)/aanmelden"
	@echo ""
	$(BIN)/onderdak serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m benchmarks

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) onderdak.db .pytest_cache .ruff_cache
