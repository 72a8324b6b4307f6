package slackfake_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// slack-go's three-step upload stores the file and shares it in the thread as Slack does: a
// message carrying the file and the initial comment.
func TestUploadFileIntoThread(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	_, parent, err := api.PostMessageContext(ctx, "DU1", slack.MsgOptionText("Your result", false))
	if err != nil {
		t.Fatal(err)
	}
	summary, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "stack.md", Title: "Your stack", Content: "# Go\n", FileSize: 5,
		Channel: "DU1", ThreadTimestamp: parent, InitialComment: "Here is the checklist",
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.WaitFile(ctx, func(f slackfake.File) bool { return f.ID == summary.ID })
	if err != nil {
		t.Fatal(err)
	}
	if summary.Title != "Your stack" || f.Name != "stack.md" || f.Title != "Your stack" || string(f.Content) != "# Go\n" ||
		!slices.Equal(f.Channels, []string{"DU1"}) || f.ThreadTS != parent || f.Comment != "Here is the checklist" {
		t.Errorf("file = %+v (summary %+v)", f, summary)
	}
	msgs := s.Messages("DU1")
	if len(msgs) != 2 || msgs[1].ThreadTS != parent || msgs[1].Text != "Here is the checklist" || !slices.Equal(msgs[1].Files, []string{f.ID}) {
		t.Errorf("DU1 holds %+v", msgs)
	}
	info, _, _, err := api.GetFileInfoContext(ctx, f.ID, 0, 0)
	if err != nil || info.Permalink != f.Permalink() || info.Size != 5 || info.Title != "Your stack" {
		t.Errorf("files.info = %+v, %v", info, err)
	}
	for _, want := range []string{"upload_url file_id=" + f.ID + " bytes=5 -> ok",
		"files.completeUploadExternal channel_id=DU1 thread_ts=" + parent} {
		if !strings.Contains(s.Log(), want) {
			t.Errorf("log lacks %q:\n%s", want, s.Log())
		}
	}
}

// The upload URL answers as Slack does: "OK - <bytes>", 404 for a URL it did not hand out; the
// fake refuses content of another length than announced.
func TestUploadURL(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	u, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "a.txt", FileSize: 3})
	if err != nil || !strings.HasPrefix(u.UploadURL, strings.TrimSuffix(s.APIURL(), "api/")) || !strings.HasPrefix(u.FileID, "F") {
		t.Fatalf("files.getUploadURLExternal = %+v, %v", u, err)
	}
	post := func(url, body string) (int, string) {
		t.Helper()
		resp, err := http.Post(url, "application/octet-stream", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, _ := post(u.UploadURL, "abcd"); code != http.StatusBadRequest {
		t.Errorf("4 bytes for 3 announced: HTTP %d", code)
	}
	if code, body := post(u.UploadURL, "abc"); code != http.StatusOK || body != "OK - 3" {
		t.Errorf("upload: HTTP %d %q", code, body)
	}
	if code, _ := post(u.UploadURL+"x", "abc"); code != http.StatusNotFound {
		t.Errorf("unknown upload URL: HTTP %d", code)
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: u.FileID}}}); err != nil {
		t.Fatal(err)
	}
	if f, found := s.File(u.FileID); !found || string(f.Content) != "abc" || f.Title != "a.txt" || len(f.Channels) != 0 {
		t.Errorf("private file = %+v, %v", f, found)
	}
	if code, _ := post(u.UploadURL, "abc"); code != http.StatusNotFound {
		t.Errorf("upload after completion: HTTP %d", code)
	}
}

// files.completeUploadExternal refuses a file that was not uploaded and a channel the bot cannot
// post to; files.getUploadURLExternal refuses a length of 0.
func TestUploadErrors(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C_OUT", "random", "U1")

	u, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "a.txt", FileSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	complete := func(channel string) string {
		_, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: u.FileID}}, Channel: channel})
		if err == nil {
			return ""
		}
		return slackError(t, err).Err
	}
	if got := complete("DU1"); got != "file_not_found" {
		t.Errorf("complete before the upload: %q", got)
	}
	if err := api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Content: "a", Filename: "a.txt"}); err != nil {
		t.Fatal(err)
	}
	for channel, want := range map[string]string{"C_OUT": "not_in_channel", "C_NOPE": "channel_not_found"} {
		if got := complete(channel); got != want {
			t.Errorf("complete into %s: %q, want %s", channel, got, want)
		}
	}
	if got := complete("DU1"); got != "" {
		t.Errorf("complete into the DM: %q", got)
	}
	_, err = api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{}})
	wantRefusal(t, err, "invalid_arguments", "[ERROR] no fewer than 1 items allowed [json-pointer:/files]")
	if n := len(s.Files()); n != 1 {
		t.Errorf("%d files stored", n)
	}
	if len(s.Messages("C_OUT")) != 0 {
		t.Error("a refused share posted a message")
	}
}

// RefuseUploads refuses until lifted; missing_scope says which scope was needed. A one-shot fault
// works for the upload URL too.
func TestUploadRefusals(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	upload := func() error {
		_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Filename: "a.txt", Content: "a", FileSize: 1, Channel: "DU1"})
		return err
	}

	s.RefuseUploads("missing_scope")
	if se := slackError(t, upload()); se.Err != "missing_scope" || se.Needed != "files:write" || se.Provided != slackfake.BotScopes {
		t.Errorf("missing_scope = %+v", se)
	}
	s.RefuseUploads("file_uploads_disabled")
	if se := slackError(t, upload()); se.Err != "file_uploads_disabled" {
		t.Errorf("refused upload: %v", se.Err)
	}
	s.RefuseUploads("")
	if err := upload(); err != nil {
		t.Errorf("after the refusal was lifted: %v", err)
	}
	s.FailNext("upload_url", 1, http.StatusInternalServerError, 0, "")
	if err := upload(); !errors.As(err, new(slack.StatusCodeError)) {
		t.Errorf("faulted upload POST: %v", err)
	}
	if n := len(s.Files()); n != 1 {
		t.Errorf("%d files stored, want the one upload that went through", n)
	}
}

// A file shared in several channels is shared with one message in each, carrying the blocks
// given without an initial comment (checked as a message's).
func TestUploadIntoSeveralChannels(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Filename: "a.md", Content: "a", FileSize: 1,
		Channel: "DU1", Blocks: slack.Blocks{BlockSet: dividers(51)}})
	wantRefusal(t, err, "invalid_blocks", "[ERROR] no more than 50 items allowed [json-pointer:/blocks]")
	f, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Filename: "a.md", Content: "a", FileSize: 1,
		Channel: "DU1", Channels: []string{"C1", "DU1"}, Blocks: slack.Blocks{BlockSet: []slack.Block{section("See the file")}}})
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.File(f.ID); !slices.Equal(stored.Channels, []string{"DU1", "C1"}) {
		t.Errorf("shared in %v", stored.Channels)
	}
	for _, ch := range []string{"DU1", "C1"} {
		if m := s.Messages(ch); len(m) != 1 || !slices.Equal(m[0].Files, []string{f.ID}) || !strings.Contains(string(m[0].Blocks), "See the file") {
			t.Errorf("%s holds %+v", ch, m)
		}
	}
	info, _, _, err := api.GetFileInfoContext(ctx, f.ID, 0, 0)
	if err != nil || !slices.Equal(info.Channels, []string{"C1"}) || !slices.Equal(info.IMs, []string{"DU1"}) {
		t.Errorf("files.info = channels %v ims %v, %v", info.Channels, info.IMs, err)
	}
}

// Arguments slack-go checks before sending are refused by Slack too.
func TestArgumentsSlackGoWouldNotSend(t *testing.T) {
	s, _ := newFake(t)
	for _, tc := range []struct {
		method string
		args   url.Values
		want   string
	}{
		{"files.getUploadURLExternal", url.Values{"filename": {"a"}, "length": {"0"}}, "missing_argument"},
		{"files.getUploadURLExternal", url.Values{"filename": {"a"}, "length": {"many"}}, "invalid_arguments"},
		{"files.getUploadURLExternal", url.Values{"length": {"1"}}, "invalid_arguments"},
		{"files.getUploadURLExternal", url.Values{"filename": {"a"}, "length": {"1"}, "alt_txt": {chars(1001)}}, "alt_txt_too_large"},
		{"chat.postMessage", url.Values{"channel": {"DU1"}, "blocks": {"[{"}}, "invalid_blocks_format"},
		{"conversations.canvases.create", url.Values{}, "invalid_arguments"},
		{"canvases.edit", url.Values{"canvas_id": {"F1"}, "changes": {"[]"}}, "invalid_arguments"},
	} {
		tc.args.Set("token", slackfake.BotToken)
		resp, err := http.PostForm(s.APIURL()+tc.method, tc.args)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Error string }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || body.Error != tc.want {
			t.Errorf("%s %v: error %q (%v), want %s", tc.method, tc.args, body.Error, err, tc.want)
		}
	}
}
