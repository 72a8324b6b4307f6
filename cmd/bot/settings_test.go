package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A setting that is or may hold a secret is never shown when it is bad, however it is wrong;
// only the plain settings the README lists have their bad values quoted.
func TestABadSecretBearingSettingIsNeverShown(t *testing.T) {
	const secret = "hunter2"
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("xoxp-"+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	serve := map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // the problem is still named
	}{
		{"a token with the wrong prefix", map[string]string{"SLACK_APP_TOKEN": "xoxb-" + secret, "SLACK_BOT_TOKEN": "xoxb-1"}, nil, "SLACK_APP_TOKEN does not look like"},
		{"a token from a file, with the wrong prefix", map[string]string{"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN_FILE": file}, nil, "SLACK_BOT_TOKEN does not look like"},
		{"an API URL with credentials and no scheme", withEnv(serve, "SLACK_API_URL", "bot:"+secret+"@slack-proxy.example/api/"), nil, "SLACK_API_URL is not an http(s) URL"},
		{"a Redis password with a slash", map[string]string{"REDIS_URL": "redis://default:" + secret + "/x@127.0.0.1:6379/0"}, []string{"console"}, "REDIS_URL: parse redis URL: not a valid URL"},
		{"a Redis password with a hash", map[string]string{"REDIS_URL": "redis://:" + secret + "#x@127.0.0.1:6379/0"}, []string{"console"}, "REDIS_URL: parse redis URL: not a valid URL"},
		{"a Redis password with a bad escape", map[string]string{"REDIS_URL": "redis://:" + secret + "%zz@127.0.0.1:6379/0"}, []string{"console"}, "REDIS_URL: parse redis URL: not a valid URL"},
		{"a Redis Sentinel password with a slash", map[string]string{"REDIS_URL": "redis://:" + secret + "/x@127.0.0.1:26379/0?master_name=m"}, []string{"console"}, "REDIS_URL: parse redis URL"},
		{"a Redis URL with a bad option beside a password", map[string]string{"REDIS_URL": "redis://:" + secret + "@127.0.0.1:6379/0?max_retries=many"}, []string{"console"}, "REDIS_URL: parse redis URL: redis: invalid max_retries number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := bot(t, tt.env, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}
