# `make demo` and `make test` are the two commands a new user needs (see README).
# Everything else here is a step of those two.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
JOBS ?= $(shell nproc)
# Emscripten 3.1.6 needs Debian's node modules (acorn) on NODE_PATH (toolchain.md #1),
# and leaves temp files in TMPDIR (toolchain.md #10).
export NODE_PATH := /usr/share/nodejs
EMENV := TMPDIR=$(CURDIR)/build-wasm
# A test that hangs fails after this long (ms) instead of holding up the whole run.
TEST_TIMEOUT ?= 600000
PORT ?= 8080

.PHONY: all deps native wasm js asan format-check test test-native test-wasm test-asan test-node test-types \
        test-size test-pack test-browser test-recipes test-collector bench-collector demo bench fuzz format clean

all: native wasm js

deps:
	@scripts/install-deps.sh

native: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j$(JOBS)

wasm: deps
	@mkdir -p build-wasm
	$(EMENV) emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
	$(EMENV) cmake --build build-wasm -j$(JOBS)

js: wasm
	node js/build.mjs --core build-wasm/wasm

# Unit tests and every fuzz corpus again under AddressSanitizer and UBSan (privacy.md #30).
FUZZ_TARGETS = pack snapshot history_json event_json autofill ldp_memo
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVITRINE_SANITIZE=ON -DVITRINE_TOOLS=OFF >/dev/null
	cmake --build build-asan -j$(JOBS) --target vitrine_tests $(FUZZ_TARGETS:%=%_fuzz_replay)

test-native: native
	cd build && ctest --output-on-failure

test-wasm: wasm
	cd build-wasm && ctest --output-on-failure

test-asan: asan
	build-asan/tests/vitrine_tests --gtest_brief=1
	for t in $(FUZZ_TARGETS); do build-asan/tests/$${t}_fuzz_replay tests/fuzz/corpus/$$t; done

# js-peer.test.mjs builds a small pack with the native vitrine-recommend-bench.
test-node: js native
	node --test --test-timeout=$(TEST_TIMEOUT) tests/node/

# The Vitrine bytes (gzip -9 and brotli 11) each demo shop page loads, from js/dist, against
# the product page's budget (bench/lib/page-sets.mjs). Sizes do not flake, so this is a test;
# times stay in bench/. The JSON goes to build/bench/page_weight.json.
test-size: js
	@mkdir -p build/bench
	node bench/page_weight.mjs --check > build/bench/page_weight.json

# The collector (collector/) against PGlite and a PostgreSQL server the tests start.
test-collector: deps
	node --test --test-timeout=$(TEST_TIMEOUT) --test-concurrency=1 tests/collector/

# The two-stage pack build: SQL stage 1 on a PostgreSQL server the test starts, against the
# C++ stage; aggregate + build against the single-step pack; vitrine-eval --format pairs.
test-pack: deps native
	node --test --test-timeout=$(TEST_TIMEOUT) --test-concurrency=1 tests/pack/

# The hand-written .d.ts against a usage file (tests/types/usage.ts).
test-types: deps
	node_modules/.bin/tsc -p tests/types

# Chromium against the demo shop, whose pack is built by the native vitrine-pack.
test-browser: js native
	node --test --test-timeout=$(TEST_TIMEOUT) --test-concurrency=1 tests/browser/

# The recipes of examples/ against the packed package (npm pack), each built once, each
# page checked in Chromium (tests/recipes/recipes.test.mjs).
# Their build tools (Vite, React, Vue, webpack) come from examples/package-lock.json, never
# from the package's own dependencies.
test-recipes: js native examples/node_modules/.package-lock.json
	node --test --test-timeout=$(TEST_TIMEOUT) --test-concurrency=1 tests/recipes/

examples/node_modules/.package-lock.json: examples/package-lock.json
	cd examples && npm ci --no-audit --no-fund

# One formatter for C++ and JS (clang-format 14, .clang-format); `make format` fixes.
FORMATTED = $$(git ls-files '*.cpp' '*.hpp' '*.js' '*.mjs' '*.ts')
format-check: deps
	clang-format --dry-run --Werror $(FORMATTED)

test: format-check test-native test-wasm test-asan test-node test-size test-types test-pack test-browser test-recipes test-collector
	@echo "make test: all suites passed"

demo: js native
	node demo-shop/server.mjs --port $(PORT)

bench: js native
	$(EMENV) cmake --build build-wasm --target vitrine_wasm_names
	node bench/run.mjs

# Collector ingest into PostgreSQL on loopback (JSON on stdout; docs/signals.md).
bench-collector: deps
	node bench/collector_ingest.mjs

# Each libFuzzer target for FUZZ_SECONDS (clang, ASan + UBSan); new finds go to build-fuzz/corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DVITRINE_FUZZ=ON -DVITRINE_TOOLS=OFF >/dev/null
	cmake --build build-fuzz -j$(JOBS) --target $(FUZZ_TARGETS:%=%_fuzz)
	for t in $(FUZZ_TARGETS); do mkdir -p build-fuzz/corpus/$$t; \
	  build-fuzz/tests/fuzz/$${t}_fuzz build-fuzz/corpus/$$t tests/fuzz/corpus/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; done

format:
	clang-format -i $(FORMATTED)

clean:
	rm -rf build build-wasm build-asan build-fuzz js/dist
