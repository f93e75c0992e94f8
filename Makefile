# Reprise — the two commands: `make run` (set up and start the app) and `make test`.
# Everything else here is a step of those two, or `make bench` / `make bindings`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential pkg-config xvfb xauth webkit2gtk-driver
TAURI_DRIVER := .tools/bin/tauri-driver
VENV := tests/e2e/.venv
APP := target/debug/reprise-desktop

.PHONY: help run test deps ui-deps ui build check lint rust-test ui-test e2e bindings bench demo clean-e2e

help:
	@echo "make run    install what is missing, build, and start Reprise"
	@echo "make test   every check and test (format, lints, Rust, UI, end-to-end)"
	@echo "make bench  the 50,000-entry benchmarks (see docs/PERFORMANCE.md)"

## System packages (Debian/Ubuntu). Elsewhere, say what is needed.
deps:
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  fi; \
	else \
	  pkg-config --exists webkit2gtk-4.1 || { echo "Reprise needs WebKitGTK 4.1 and GTK 3 development files (see https://tauri.app/start/prerequisites/), Node.js 20+ and Rust 1.89+."; exit 1; }; \
	fi
	@command -v node >/dev/null || { echo "Node.js 20 or newer is needed (https://nodejs.org)"; exit 1; }
	@command -v $(CARGO) >/dev/null || { echo "Rust is needed (https://rustup.rs)"; exit 1; }

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && $(NPM) ci --no-audit --no-fund
ui-deps: ui/node_modules/.package-lock.json

ui: ui-deps
	cd ui && $(NPM) run build

build: deps ui
	$(CARGO) build --workspace --all-targets

run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then echo "No display found: starting under Xvfb (nothing will be visible)."; xvfb-run -a $(APP); else $(APP); fi

## Checks
check: deps ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test: deps ui
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	  $(CARGO) nextest run --workspace --all-targets --no-fail-fast; \
	else \
	  $(CARGO) test --workspace --all-targets --no-fail-fast; \
	fi
	$(CARGO) test --workspace --doc

ui-test: ui-deps
	cd ui && $(NPM) run typecheck && $(NPM) test

$(TAURI_DRIVER):
	$(CARGO) install tauri-driver --version 2.1.0 --locked --root .tools

$(VENV)/bin/pytest: tests/e2e/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r tests/e2e/requirements.txt
	touch $@

e2e: build $(TAURI_DRIVER) $(VENV)/bin/pytest
	$(CARGO) build --workspace --all-targets
	REPRISE_APP=$(abspath $(APP)) REPRISE_CLI=$(abspath target/debug/reprise) TAURI_DRIVER=$(abspath $(TAURI_DRIVER)) \
	  xvfb-run -a -s "-screen 0 1280x800x24" $(VENV)/bin/pytest -q tests/e2e

test: check rust-test ui-test e2e

## Regenerate ui/src/ipc/bindings.ts from the Rust commands, and the browser preview's
## ui/src/ipc/fixture.json from what the core answers.
bindings: deps ui
	REPRISE_WRITE_BINDINGS=1 $(CARGO) test -p reprise-desktop --lib -- typescript_bindings_are_up_to_date the_ui_fixture_is_what_the_core_answers

## Benchmarks at 50,000 entries; results go in docs/PERFORMANCE.md by hand.
bench: deps ui $(TAURI_DRIVER) $(VENV)/bin/pytest
	$(CARGO) build --release --workspace --all-targets
	$(CARGO) run --release --example bench -- --entries $${BENCH_ENTRIES:-50000}
	$(CARGO) build --release -p reprise-desktop
	REPRISE_APP=$(abspath target/release/reprise-desktop) REPRISE_CLI=$(abspath target/release/reprise) TAURI_DRIVER=$(abspath $(TAURI_DRIVER)) \
	  xvfb-run -a -s "-screen 0 1280x800x24" $(VENV)/bin/python tests/e2e/bench_desktop.py --entries $${BENCH_ENTRIES:-50000}

demo: build
	target/debug/reprise demo
