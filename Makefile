# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run test lint bench package package-check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# Before anything is installed: the system packages a venv and a real window need are named in
# one sentence (packaging/system_deps.sh; INSTALL_DEPS=1 as root installs them).
run:
	@PYTHON=$(PYTHON) bash packaging/system_deps.sh check venv qt display
	@$(MAKE) --no-print-directory $(VENV)/.installed
	$(VENV)/bin/sciatica $(ARGS)

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks --years 10

package: $(VENV)/.installed
	bash packaging/build.sh

# The .deb on a fresh debootstrap minbase Debian 12 with a real window (root; docs/packaging.md).
# DEB=path checks that package instead of building one.
package-check:
	$(if $(DEB),,bash packaging/build.sh)
	bash packaging/package_check.sh $(DEB)

clean:
	rm -rf build dist .mypy_cache .ruff_cache
