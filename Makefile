# The commands the README and CI use. `make test` is the one test command.
GO ?= go

.PHONY: test build run check-config

# All tests, with the race detector. Tests that need Redis start their own redis-server when it is
# on PATH (set STACKPICK_REQUIRE_REDIS=1 to fail instead of skipping when it is not).
test:
	$(GO) test -race -count=1 ./...

# The exact build the Dockerfile runs.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o bin/bot ./cmd/bot

run:
	$(GO) run ./cmd/bot console

check-config:
	$(GO) run ./cmd/bot check-config config
