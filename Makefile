# The two commands of the README: `make run` and `make test`. Everything they need is
# installed here: Python packages into .venv from pyproject.toml, front-end assets from npm
# (package-lock.json) into web/static, and for the tests PostgreSQL 15 and Chromium via apt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ASSETS = web/static/.assets-$(shell cat package-lock.json scripts/install-assets.sh | cksum | cut -d' ' -f1)

.PHONY: setup assets run test bench docs postgresql chromium clean

$(STAMP): pyproject.toml
	scripts/ensure-pdf-libraries.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(ASSETS): package.json package-lock.json scripts/install-assets.sh
	scripts/install-assets.sh
	rm -f web/static/.assets-*
	touch $(ASSETS)

assets: $(ASSETS)

setup: $(STAMP) $(ASSETS)

# Plain http on this machine: the session cookie cannot be Secure here (see README, Settings).
run: setup
	$(BIN)/permanence init --demo
	PERMANENCE_INSECURE_COOKIES=1 $(BIN)/permanence serve

postgresql:
	scripts/ensure-postgresql.sh

chromium:
	scripts/ensure-chromium.sh

test: setup postgresql chromium
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python -m bench

# After changing a diagram: redraw docs/diagrams/*.svg and the rule table in docs/pathway.md.
docs: setup chromium
	$(BIN)/python scripts/render_pathway_docs.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-output node_modules web/static/govuk-frontend web/static/bpmn-js web/static/.assets-*
