# The two commands: `make run` and `make test`. Both install what is missing first (`make setup`).
SHELL := /bin/bash
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= $(shell command -v chromedriver 2>/dev/null || echo /usr/bin/chromedriver)
# trunk must never download tools: it uses the wasm-bindgen and wasm-opt on PATH.
export TRUNK_OFFLINE := true
export RUST_BACKTRACE := 0
export CARGO_TERM_COLOR := never

ADDR ?= 127.0.0.1:8080
DB ?= data/services.sqlite3
# `make run-postgres`: a local PostgreSQL cluster kept in this folder between runs.
PG_DIR ?= data/postgres
# Where the built files are served from (trunk's public_url); the server reads it from dist/build.json.
PUBLIC_URL ?= /static/services-list/
# Who may frame the app and hand it a token by postMessage; the example iframe page is served from
# the same server under its other name (localhost), a second origin.
FRAME_ANCESTORS ?= 'self' http://localhost:$(lastword $(subst :, ,$(ADDR)))

.PHONY: help setup dist run run-postgres stop-postgres release-server bench-api test test-native test-openapi schemathesis test-browser test-e2e soak lint fmt clean-counts bench bench-floor

help:
	@echo "make run    build the SPA and serve it with the API on http://$(ADDR)/ (demo data in SQLite $(DB));"
	@echo "            the example host page that embeds it is at http://$(ADDR)/dashboard/services"
	@echo "make run-postgres  the same on a local PostgreSQL cluster in $(PG_DIR) (stop it: make stop-postgres)"
	@echo "make bench-api     the list endpoint under load at 1,000 and 100,000 services, both stores"
	@echo "make test   lint, then the four test layers: native, openapi (Schemathesis), browser, end-to-end"
	@echo "make setup  install the toolchain, trunk, wasm-bindgen-cli, wasm-opt and Chromium if missing"
	@echo "one layer:  make test-native | make test-openapi | make test-browser | make test-e2e"
	@echo "make schemathesis BASE_URL=… TOKEN=…  Schemathesis against any server (it changes data there)"
	@echo "make bench  speed, size and memory of the release build against a plain-JavaScript page; writes BENCHMARKS.md"
	@echo "make soak   50 clients x 60 s of mixed load on the release server, twice (once SIGKILLed); see RELIABILITY.md"

setup:
	@bash scripts/setup.sh

## The SPA, optimised, into dist/ (what the server serves and the end-to-end tests load).
dist: setup
	trunk build --release --public-url $(PUBLIC_URL)

DEMO_FLAGS = --addr $(ADDR) --dist dist --demo --example-host examples/dashboard --frame-ancestors "$(FRAME_ANCESTORS)"

run: dist
	cargo run -p services-server -- --db $(DB) $(DEMO_FLAGS)

## The same on PostgreSQL: starts (or reuses) a cluster in $(PG_DIR) on a free port, then the server.
run-postgres: dist
	@url=$$(bash scripts/pg-cluster.sh start $(PG_DIR)) && \
	  echo "PostgreSQL: $$url (data in $(PG_DIR); stop it with make stop-postgres)" && \
	  cargo run -p services-server -- --db "$$url" $(DEMO_FLAGS)

stop-postgres:
	bash scripts/pg-cluster.sh stop $(PG_DIR)

## The list endpoint under load, on SQLite and PostgreSQL; figures into BENCHMARKS.md.
bench-api:
	bash scripts/bench-api.sh --write

test: setup clean-counts lint test-native test-openapi test-browser test-e2e
	@bash scripts/test-summary.sh

clean-counts:
	@rm -f target/test-counts.txt

## The release server binary (what users run; no fault injection): the native tests drive it.
release-server: setup
	cargo build --release -p services-server

## 1. model and server on the host; every API test over real HTTP on a temporary SQLite file and
##    on a throw-away PostgreSQL cluster, and the release binary (the robustness corpus, safe
##    defaults, signals, a few seconds of the soak).
test-native: release-server
	@bash scripts/test-layer.sh native cargo test --no-fail-fast -p services-model -p services-server

## 2. Schemathesis against the OpenAPI document of the release server binary, each run on a
##    throw-away SQLite database with demo data: every check, all phases (stateful included),
##    DELETE too; a fixed seed and a random one (both printed). See scripts/schemathesis.sh.
test-openapi: release-server
	@bash scripts/test-layer.sh openapi bash scripts/schemathesis.sh

## The same against any running server, by hand (it changes and removes services there):
##   make schemathesis BASE_URL=http://127.0.0.1:8080 TOKEN=pw_1_… [SEEDS="1 2"] [EXAMPLES=50]
schemathesis: setup
	@[ -n "$(BASE_URL)" ] && [ -n "$(TOKEN)" ] || { echo "usage: make schemathesis BASE_URL=http://host:port TOKEN=<an admin's token>"; exit 2; }
	BASE_URL="$(BASE_URL)" TOKEN="$(TOKEN)" bash scripts/schemathesis.sh

## The long load: 50 clients x 60 s, steady and then SIGKILLed in the middle (not in make test).
SOAK_CLIENTS ?= 50
SOAK_SECONDS ?= 60
soak: release-server
	SOAK_CLIENTS=$(SOAK_CLIENTS) SOAK_SECONDS=$(SOAK_SECONDS) cargo test -p services-server --test soak -- --nocapture

## 3. components mounted in headless Chromium (wasm-bindgen-test; see .cargo/config.toml).
test-browser: setup
	@bash scripts/test-layer.sh browser cargo test --no-fail-fast --target wasm32-unknown-unknown -p services-list --tests

## 4. the real server and the built SPA, driven in headless Chromium through chromedriver.
test-e2e: dist
	@bash scripts/test-layer.sh e2e cargo test --no-fail-fast -p services-e2e

## Speed, size and memory, not part of `make test`: the release build against the plain-JavaScript
## baseline (bench/plain/) in headless Chromium at 1,000, 10,000 and 100,000 services. Prints the
## figures with their ratios and writes them into BENCHMARKS.md (BENCH_SIZES, BENCH_ROUNDS,
## BENCH_PROFILE=0 and BENCH_OUT=- change what it does; see bench/run.mjs).
bench: dist
	cargo build --release -p services-server
	node bench/run.mjs

## The stack's size floor: a minimal Leptos app doing the baseline's list work, built as the SPA is.
bench-floor: dist
	sh bench/floor/measure.sh

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --exclude services-list --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p services-list --all-targets -- -D warnings

fmt:
	cargo fmt --all
