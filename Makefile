# The two commands a new user types: `make demo` and `make test`. Each first installs what is missing.
SWIFT ?= swift

.PHONY: setup demo test build bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

## Runs a two-layer perceptron forward pass on fed data and prints the result.
demo: setup
	$(SWIFT) run actorflow demo

## Runs every test target.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The benchmark table of the README (see README, "Benchmarks"); release build.
bench: setup
	$(SWIFT) run -c release actorflow bench

clean:
	rm -rf .build
