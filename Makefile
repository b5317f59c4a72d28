PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,audit]'
	touch $(STAMP)

install: $(STAMP)

# No --source: the Guardian, Times and FT originals are discovered (Guardian API, Times news
# sitemap, GDELT) from replayed provider answers on 127.0.0.1 and verified; nothing leaves the machine.
demo: $(STAMP)
	$(BIN)/verifier article fixtures/founding/article.txt --date 2025-02-20 \
		--replay fixtures/discovery/founding.toml

test: $(STAMP)
	$(BIN)/ruff check verifier tests bench
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build .pytest_cache
