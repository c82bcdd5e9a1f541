# Innomål: the two commands are `make report` and `make test`; everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PARAMS ?= params/demo.yaml

.PHONY: setup report test lab bench lock i18n clean screenshots designsystemet

setup: $(STAMP)

# Installs from the hashed lock (bytecode compiled, so imports stay fast even where
# PYTHONDONTWRITEBYTECODE is set), then the project itself, then its Jupyter kernel.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --compile -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --compile -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name innomaal --display-name "Python 3 (Innomål)" >/dev/null
	$(BIN)/python -m compileall -q src
	if [ -d .git ]; then $(BIN)/pre-commit install >/dev/null || echo "note: pre-commit hook not installed"; fi
	touch $(STAMP)

report: setup
	$(BIN)/innomaal build --params $(PARAMS)

test: setup
	$(BIN)/python -m pytest

# The README's picture: a report's first screen from the demo build, in the browser tests' Chromium at 1280×900.
screenshots: report
	$(BIN)/python -m tests.browser.screenshot

# Digdir's Designsystemet (MIT), vendored so that users need no npm and pages load nothing from outside the
# site: refreshes templates/site/vendor/designsystemet/ from npm (the CSS, the Digdir theme, licences, versions).
DS := templates/site/vendor/designsystemet
designsystemet:
	rm -rf $(DS).tmp && mkdir -p $(DS).tmp
	cd $(DS).tmp && npm pack --silent @digdir/designsystemet-css @digdir/designsystemet-theme >/dev/null && \
	    for f in *.tgz; do tar xzf $$f && mv package $${f%-[0-9]*.tgz}; done
	cp $(DS).tmp/digdir-designsystemet-css/dist/src/index.css $(DS)/designsystemet.css
	cp $(DS).tmp/digdir-designsystemet-theme/brand/digdir.css $(DS)/theme-digdir.css
	cp $(DS).tmp/digdir-designsystemet-css/LICENSE $(DS)/LICENSE
	cp $(DS).tmp/digdir-designsystemet-theme/LICENSE $(DS)/LICENSE.theme
	cd $(DS).tmp && for p in digdir-designsystemet-css digdir-designsystemet-theme; do \
	    node -p "const j = require('./$$p/package.json'); j.name + ' ' + j.version + ' (' + j.license + ')'"; \
	done > ../designsystemet/VERSION
	if grep -Eq 'url\(.?(https?:|//)|@import' $(DS)/*.css; then echo "$(DS): external URL in the CSS"; exit 1; fi
	rm -rf $(DS).tmp

# JupyterLab on the project's kernel, reachable from this machine only (127.0.0.1), with a token (its own,
# printed in the URL, or JUPYTER_TOKEN). LAB_DIR, LAB_PORT and LAB_ARGS change the folder, port and options.
LAB_DIR  ?= notebooks
LAB_PORT ?= 8888
lab: setup
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) --notebook-dir=$(LAB_DIR) $(LAB_ARGS)

bench: setup
	$(BIN)/python benchmarks/run.py

# Extracts every marked message into the template and updates the nb, nn and en catalogs (new messages
# arrive empty: translate them; the en catalog is an identity catalog, filled here).
LOCALES := src/analysis/locales
i18n: setup
	$(BIN)/pybabel --quiet extract -F babel.cfg -k N_ --no-location --sort-output \
	    --omit-header -o $(LOCALES)/messages.pot .
	for lang in nb nn en; do \
	    test -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po || \
	        $(BIN)/pybabel --quiet init -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
	    $(BIN)/pybabel --quiet update -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang --no-fuzzy-matching \
	        --omit-header --ignore-obsolete; \
	done
	$(BIN)/python -m analysis.i18n identity en

# Regenerates the lock from requirements.in (needs the package index).
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile requirements.in --generate-hashes --python-version 3.11 \
	    --python-platform x86_64-manylinux_2_28 -o requirements.lock

clean:
	rm -rf output/* .pytest_cache
