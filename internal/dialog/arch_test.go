package dialog_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The domain packages stay free of Slack, Redis and logging, and read no environment: a front
// end or a store can change without touching them (see STYLE.md).
func TestDomainPackagesImportNoInfrastructure(t *testing.T) {
	domain := []string{"catalog", "radar", "ranking", "dialog", "record", "team"}
	forbidden := []string{"github.com/slack-go/", "github.com/redis/", "github.com/rs/zerolog"}
	for _, pkg := range domain {
		out, err := exec.Command("go", "list", "-deps", "github.com/stackpick/stackpick/internal/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				if strings.HasPrefix(dep, f) {
					t.Errorf("internal/%s depends on %s", pkg, dep)
				}
			}
		}
		files, _ := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, call := range []string{"os.Getenv", "os.LookupEnv", "os.Environ", "time.Now()"} {
				if strings.Contains(string(src), call) {
					t.Errorf("%s calls %s; pass the value in instead", f, call)
				}
			}
		}
	}
}

// Sibling adapters never import each other. The one shared piece is slackbot's admission port,
// internal/slackbot/admit: plain request and result types, which the stores implement without
// pulling in slackbot (or slack-go).
func TestAdaptersImportNoSibling(t *testing.T) {
	const mod = "github.com/stackpick/stackpick/internal/"
	adapters := []string{"slackbot", "redisstore", "memstore", "console"}
	for _, pkg := range adapters {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, sibling := range adapters {
				if sibling != pkg && (dep == mod+sibling || strings.HasPrefix(dep, mod+sibling+"/") && dep != mod+"slackbot/admit") {
					t.Errorf("internal/%s depends on its sibling %s", pkg, dep)
				}
			}
		}
		if strings.Contains(string(out), "github.com/slack-go/") && pkg != "slackbot" {
			t.Errorf("internal/%s depends on slack-go", pkg)
		}
	}
}
