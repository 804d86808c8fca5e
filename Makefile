# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11, node 20 and make.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# JupyterLab MIME renderer: rebuilt only when its sources change.
LABEXT_SRC := $(wildcard labextension/src/*.ts) labextension/style/index.css \
  labextension/package.json labextension/tsconfig.json
LABEXT_OUT := symnb/labextension/package.json
LABEXT_NPM := labextension/node_modules/.installed
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/symnb-dag
LABEXT_COPY := $(VENV)/.labext-installed

.PHONY: lab test test-notebooks venv clean labext lint-labext chromium bench bench-quick voila

# tutorials and dashboards run under nbval (outputs not compared except cells marked
# NBVAL_CHECK_OUTPUT; timings/addresses sanitized by tests/nbval_sanitize.cfg)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb notebooks/dashboards/*.ipynb))
NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
  -p no:cacheprovider

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e ".[test,dask,learn]"
	touch $(STAMP)

venv: $(STAMP)

$(LABEXT_NPM): labextension/package.json
	cd labextension && npm install --no-audit --no-fund
	touch $(LABEXT_NPM)

$(LABEXT_OUT): $(STAMP) $(LABEXT_NPM) $(LABEXT_SRC)
	cd labextension && PATH="$(abspath $(VENV))/bin:$$PATH" npm run build
	touch $(LABEXT_OUT)

# build if needed, then install a copy into the venv (a symlink would do for JupyterLab,
# but Voila's static handler refuses files outside its directory: 403)
$(LABEXT_COPY): $(LABEXT_OUT)
	rm -rf $(LABEXT_LINK)
	mkdir -p $(dir $(LABEXT_LINK))
	cp -r symnb/labextension $(LABEXT_LINK)
	touch $(LABEXT_COPY)

labext: $(LABEXT_COPY)

# the labextension's eslint (typescript-eslint, type-aware) and prettier --check
lint-labext: $(LABEXT_NPM)
	cd labextension && npm run lint

# Debian's chromium for the browser tests (playwright drives it via executable_path)
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y chromium; }

# kernels started from this venv load symnb's magics (IPython reads <prefix>/etc/ipython)
KERNEL_CFG := $(VENV)/etc/ipython/ipython_kernel_config.py
$(KERNEL_CFG): $(STAMP)
	mkdir -p $(dir $(KERNEL_CFG))
	echo "c.InteractiveShellApp.extensions = ['symnb']" > $(KERNEL_CFG)

ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP) labext $(KERNEL_CFG)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/

test: $(STAMP) labext chromium lint-labext
	$(PY) -m pytest
	$(MAKE) test-notebooks

test-notebooks: $(STAMP)
	$(PY) -m pytest $(NBVAL) $(NOTEBOOKS)

# every benchmarks/*.py suite -> benchmarks/results/{SUITE.json,report.html,summary.md}
# (long: tens of minutes). bench-quick passes each suite's own quick options.
bench: $(STAMP)
	$(PY) benchmarks/report.py $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(PY) benchmarks/report.py --quick $(BENCH_ARGS)

# Voila serves the dashboards (code hidden); the symnb renderer comes from labext. It runs
# from notebooks/dashboards/ so that Voila reads voila.json there (kernel culling: a page
# that closes without shutting its kernel down leaves it idle, and the culler ends it)
voila: $(STAMP) labext
	cd notebooks/dashboards && $(abspath $(VENV))/bin/voila . --no-browser

clean:
	rm -rf $(VENV) build dist *.egg-info labextension/lib labextension/tsconfig.tsbuildinfo \
	  symnb/labextension
