PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/verifier article fixtures/founding/article.txt --offline \
		--source "Guardian=fixtures/founding/guardian.html" \
		--source "Times=fixtures/founding/times.html" \
		--source "Financial Times=fixtures/founding/ft.html"

test: $(STAMP)
	$(BIN)/ruff check verifier tests bench
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build .pytest_cache
