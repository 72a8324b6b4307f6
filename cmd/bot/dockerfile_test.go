package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// No Docker engine runs in CI, so the image's promises are checked against the files: the
// Dockerfile builds exactly as `make build` does (which CI runs), starts the command the README
// documents, and has a HEALTHCHECK that needs no shell.
func TestDockerfileMatchesMakeBuildAndREADME(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile("../../" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	docker, makefile, readme := read("Dockerfile"), read("Makefile"), read("README.md")

	build := regexp.MustCompile(`(?m)^RUN (CGO_ENABLED=0 go build .*)$`).FindStringSubmatch(docker)
	recipe := regexp.MustCompile(`(?m)^build:\n\t(.*)$`).FindStringSubmatch(makefile)
	if build == nil || recipe == nil {
		t.Fatalf("no build command found: Dockerfile %q, Makefile %q", build, recipe)
	}
	if got := strings.ReplaceAll(recipe[1], "$(GO)", "go"); got != build[1] {
		t.Errorf("the Dockerfile builds with\n  %s\nbut make build runs\n  %s", build[1], got)
	}
	for _, want := range []string{
		"COPY --from=build /src/bin/bot /bot", // the binary make build writes
		`ENTRYPOINT ["/bot"]`,                 // exec form: SIGTERM and SIGHUP reach the bot
		`CMD ["serve"]`,
		`CMD ["/bot", "healthcheck"]`,
		"USER nonroot",
		"COPY config /config",
	} {
		if !strings.Contains(docker, want) {
			t.Errorf("the Dockerfile lacks %s", want)
		}
	}
	if !strings.Contains(readme, "`/bot serve`") {
		t.Error("the README does not document the image's start command, /bot serve")
	}
}
