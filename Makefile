# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
SEED_EN := seeds/000_acb89514df95002b.txt
SEED_MT := seeds/001_2439484a44ef32c6.txt

.PHONY: demo test lint format sysdeps install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# The embeddings extra is tested for real when it installs (torch's CPU build first, so pip does
# not pull a CUDA one); where it cannot, its tests skip and say why.
$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,spark]'
	$(BIN)/pip install -q torch==2.13.0 && $(BIN)/pip install -q -e '.[test,spark,embed]' \
		|| echo "note: the embed extra did not install; tests/align/test_embed.py will skip" >&2
	touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TSTAMP)

# Debian packages the tests drive for real: redis-server (shared index), chromium (HTML report)
# and Java 17 (Spark batch scan).
sysdeps:
	@if ! command -v redis-server >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
		|| ! command -v java >/dev/null; then \
		echo "installing Debian packages: redis-server chromium chromium-driver openjdk-17-jre-headless" >&2; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			redis-server chromium chromium-driver openjdk-17-jre-headless >/dev/null; \
	fi

demo: $(STAMP)
	$(BIN)/dedup inspect $(SEED_MT)
	$(BIN)/dedup scan seeds/ --level both
	$(BIN)/dedup align $(SEED_MT) --ref $(SEED_EN)
	$(BIN)/dedup check $(SEED_MT) --ref $(SEED_EN)
	$(BIN)/dedup report $(SEED_MT) --ref $(SEED_EN) -o reports/seeds.html
	@echo "report written to reports/seeds.html" >&2

test: sysdeps $(TSTAMP)
	$(BIN)/ruff check dedup tests benchmarks
	$(BIN)/ruff format --check dedup tests benchmarks
	$(BIN)/python -m pytest

lint: $(TSTAMP)
	$(BIN)/ruff check dedup tests benchmarks

format: $(TSTAMP)
	$(BIN)/ruff format dedup tests benchmarks
	$(BIN)/ruff check --fix dedup tests benchmarks

bench: $(TSTAMP)
	$(BIN)/pip install -q -e '.[bench]'
	@echo "see benchmarks/RESULTS.md for each benchmark's command" >&2

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
