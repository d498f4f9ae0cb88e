# `make demo` and `make test` are the two commands a new user needs (see README).
# Everything else here is a step of those two.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
JOBS ?= $(shell nproc)
# Emscripten 3.1.6 needs Debian's node modules (acorn) on NODE_PATH (toolchain.md #1),
# and leaves temp files in TMPDIR (toolchain.md #10).
export NODE_PATH := /usr/share/nodejs
EMENV := TMPDIR=$(CURDIR)/build-wasm
PORT ?= 8080

.PHONY: all deps native wasm js asan test test-native test-wasm test-asan test-node test-browser \
        demo demo-data bench fuzz format clean

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

# Unit tests again under AddressSanitizer and UBSan (privacy.md #30).
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVITRINE_SANITIZE=ON -DVITRINE_TOOLS=OFF >/dev/null
	cmake --build build-asan -j$(JOBS) --target vitrine_tests

test-native: native
	cd build && ctest --output-on-failure

test-wasm: wasm
	cd build-wasm && ctest --output-on-failure

test-asan: asan
	build-asan/tests/vitrine_tests --gtest_brief=1

test-node: js
	node --test tests/node/

test-browser: js
	node --test --test-concurrency=1 tests/browser/

test: test-native test-wasm test-asan test-node test-browser
	@echo "make test: all suites passed"

demo: js native
	node demo-shop/server.mjs --port $(PORT)

bench: js native
	node bench/run.mjs

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp' '*.js' '*.mjs')

clean:
	rm -rf build build-wasm build-asan js/dist
