# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test evaluate setup clean lint bench

# Issue 3's targets: on the seeds' gold, and the development set held within 0.10 of it.
TARGETED := actors,positions,visits,meetings,strikes,statements,recognitions,quotes,figures

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/ipkg build seeds --out out

test: $(STAMP)
	$(BIN)/python -m pytest

evaluate: $(STAMP)
	$(BIN)/ipkg evaluate evaluation/gold/seeds.toml evaluation/gold/dev.toml \
		--only $(TARGETED) --min-precision 0.90 --min-recall 0.85 --within 0.10
	@echo "# reported, not gated: dev2 and dev3 (each tuned on after one blind run) and the blind test2"
	$(BIN)/ipkg evaluate evaluation/gold/dev2.toml evaluation/gold/dev3.toml evaluation/gold/test2.toml

# Speed and memory (by hand, not part of `make test`): BENCH_ARGS="--sizes 100,1000,10000 --triples 1000000"
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) out .pytest_cache
