# The commands the README and CI use. `make test` is the one test command.
GO ?= go

.PHONY: test build run check-config bench eval

# All tests, with the race detector. Tests that need Redis start their own redis-server when it is
# on PATH, and a Redis Cluster with redis-cli (set STACKPICK_REQUIRE_REDIS=1 to fail instead of
# skipping when they are not).
test:
	$(GO) test -race -count=1 ./...

# The exact build the Dockerfile runs.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o bin/bot ./cmd/bot

run:
	$(GO) run ./cmd/bot console

check-config:
	$(GO) run ./cmd/bot check-config config

# The benchmark suite: go test benchmarks, then the measured report in docs/PERFORMANCE.md
# (a real redis-server on loopback is needed; the whole run takes about twenty minutes).
bench:
	$(GO) test -run XXX -bench . -benchmem ./internal/ranking ./internal/team ./cmd/bot
	STACKPICK_PERF_REPORT=$(CURDIR)/docs/PERFORMANCE.md $(GO) test -run TestPerformanceReport -count=1 -timeout 60m -v ./cmd/bot

# The evaluations: the agreement table over config/testdata/eval/profiles.yaml, its totals and the
# sensitivity report over generated profiles (into docs/DECISIONS.md); and how the understanding
# corpus in config/testdata/understanding is read (into docs/UNDERSTANDING.md).
eval:
	STACKPICK_EVAL=$(CURDIR)/docs/DECISIONS.md $(GO) test -count=1 -run '^TestEvaluation$$' -v ./config
	STACKPICK_UNDERSTANDING=$(CURDIR)/docs/UNDERSTANDING.md $(GO) test -count=1 -run '^TestUnderstandingReport$$' -v ./config
