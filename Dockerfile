# Build: the same command as `make build` (static, trimmed binary).
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
ENV STACKPICK_CONFIG_DIR=/config
USER nonroot:nonroot
ENTRYPOINT ["/bot"]
CMD ["serve"]
