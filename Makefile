PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo demo-audit test lint bench bench-audit clean

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

# A small archive built from the bundled fixtures (corpus articles, their sources, 60 generated
# citing articles, a few bad records) as CC-NEWS-style WARC.gz files, audited on a local Dask cluster.
demo-audit: $(STAMP)
	$(BIN)/python bench/audit_archive.py build/demo-audit/archive --generated 60 --files 3
	$(BIN)/verifier audit 'build/demo-audit/archive/*.warc.gz' --output build/demo-audit/out --fresh

test: $(STAMP)
	$(BIN)/ruff check verifier tests bench scripts
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

# articles/s for 1 and 2 workers over a generated archive of >= 20,000 articles (bench/README.md)
bench-audit: $(STAMP)
	$(BIN)/python bench/audit_bench.py

clean:
	rm -rf $(VENV) build .pytest_cache
