package main

import (
	"os/exec"
	"strings"
	"testing"
)

// cmd/bot is wiring: the adapters build and hide their SDK clients (slackbot its slack-go client,
// redisstore its go-redis client), so a SDK upgrade touches one package, not the command.
func TestTheCommandImportsNoSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, imp := range strings.Fields(string(out)) {
		for _, sdk := range []string{"github.com/slack-go/slack", "github.com/redis/go-redis"} {
			if strings.HasPrefix(imp, sdk) {
				t.Errorf("cmd/bot imports %s; let the adapter build it", imp)
			}
		}
	}
}
