# Build: the same command as `make build` (a static, trimmed binary at bin/bot); a test in
# cmd/bot checks the two stay the same, and CI runs `make build`.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/bot ./cmd/bot

# Run: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/bot /bot
COPY config /config
ENV STACKPICK_CONFIG_DIR=/config STACKPICK_HTTP_ADDR=:8080
USER nonroot:nonroot
# /healthz, /readyz and /metrics.
EXPOSE 8080
# Exec form: the bot is PID 1 and gets SIGTERM (graceful shutdown) and SIGHUP (config reload).
ENTRYPOINT ["/bot"]
CMD ["serve"]
# No shell or curl in the image: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/bot", "healthcheck"]
