package slackfake_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// The team's decision record is bookmarked in its channel and listed back as Slack lists it.
func TestBookmarkAddAndList(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.SetNow(func() time.Time { return noon })
	s.AddChannel("C1", "eng", slackfake.BotUserID)

	link := slackfake.WorkspaceURL + "docs/" + slackfake.TeamID + "/F1"
	b, err := api.AddBookmarkContext(ctx, "C1", slack.AddBookmarkParameters{Title: "Stack decision", Type: "link", Link: link, Emoji: ":ballot_box_with_check:"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.ID, "Bk") || b.ChannelID != "C1" || b.Title != "Stack decision" || b.Link != link || b.Type != "link" ||
		b.Emoji != ":ballot_box_with_check:" || b.Created != slack.JSONTime(noon.Unix()) || b.Updated != 0 || b.Rank == "" ||
		b.LastUpdatedByUserID != slackfake.BotUserID || b.LastUpdatedByTeamID != slackfake.TeamID || b.EntityID != "" {
		t.Errorf("bookmarks.add = %+v", b)
	}
	second, err := api.AddBookmarkContext(ctx, "C1", slack.AddBookmarkParameters{Title: "Shortlist", Type: "link", Link: "http://example.com/a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.AddBookmarkContext(ctx, "DU1", slack.AddBookmarkParameters{Title: "Mine", Type: "link", Link: "https://example.com"}); err != nil {
		t.Errorf("bookmark in a DM: %v", err)
	}

	listed, err := api.ListBookmarksContext(ctx, "C1")
	if err != nil || len(listed) != 2 || listed[0] != b || listed[1].ID != second.ID || listed[0].Rank >= listed[1].Rank {
		t.Errorf("bookmarks.list = %+v, %v", listed, err)
	}
	want := []slackfake.Bookmark{
		{ID: b.ID, Channel: "C1", Title: "Stack decision", Link: link, Emoji: ":ballot_box_with_check:"},
		{ID: second.ID, Channel: "C1", Title: "Shortlist", Link: "http://example.com/a"},
	}
	if got := s.Bookmarks("C1"); !slices.Equal(got, want) {
		t.Errorf("Bookmarks(C1) = %+v", got)
	}
	got, err := s.WaitBookmark(ctx, func(b slackfake.Bookmark) bool { return b.Title == "Shortlist" })
	if err != nil || got != want[1] {
		t.Errorf("WaitBookmark = %+v, %v", got, err)
	}
	if log := s.Log(); !strings.Contains(log, `bookmarks.add channel_id=C1 title="Stack decision" type=link link=`+link+
		` emoji=:ballot_box_with_check: -> ok bookmark_id=`+b.ID) || !strings.Contains(log, "bookmarks.list channel_id=C1 -> ok bookmarks=2") {
		t.Errorf("log:\n%s", log)
	}

	// Slack's nulls (entity_id, icon_url, shortcut_id, app_id) are nulls on the wire.
	raw := postRaw(t, s, "bookmarks.list", url.Values{"channel_id": {"C1"}})
	first := raw["bookmarks"].([]any)[0].(map[string]any)
	if v, found := first["entity_id"]; !found || v != nil || first["date_created"] != float64(noon.Unix()) {
		t.Errorf("listed bookmark = %v", first)
	}
}

// bookmarks.add refuses what Slack refuses, and stores nothing it refused.
func TestBookmarkErrors(t *testing.T) {
	s, ctx := newFake(t)
	api := newAPI(s, slackfake.BotToken)
	s.AddChannel("C1", "eng", slackfake.BotUserID)
	s.AddChannel("C_OUT", "random", "U1")
	s.AddChannel("C_OLD", "old", slackfake.BotUserID)
	s.ArchiveChannel("C_OLD")
	good := slack.AddBookmarkParameters{Title: "t", Type: "link", Link: "https://example.com"}
	with := func(edit func(*slack.AddBookmarkParameters)) slack.AddBookmarkParameters {
		p := good
		edit(&p)
		return p
	}

	for _, tc := range []struct {
		name, channel string
		params        slack.AddBookmarkParameters
		want          string
	}{
		{"unknown channel", "C_NOPE", good, "channel_not_found"},
		{"not a member", "C_OUT", good, "not_in_channel"},
		{"archived", "C_OLD", good, "is_archived"},
		{"a message", "C1", with(func(p *slack.AddBookmarkParameters) { p.Type = "message" }), "invalid_bookmark_type"},
		{"no link", "C1", with(func(p *slack.AddBookmarkParameters) { p.Link = "" }), "invalid_link"},
		{"ftp link", "C1", with(func(p *slack.AddBookmarkParameters) { p.Link = "ftp://example.com/a" }), "invalid_link"},
		{"no host", "C1", with(func(p *slack.AddBookmarkParameters) { p.Link = "https://" }), "invalid_link"},
		{"emoji without colons", "C1", with(func(p *slack.AddBookmarkParameters) { p.Emoji = "clap" }), "invalid_emoji"},
	} {
		if _, err := api.AddBookmarkContext(ctx, tc.channel, tc.params); slackError(t, err).Err != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	_, err := api.AddBookmarkContext(ctx, "C1", with(func(p *slack.AddBookmarkParameters) { p.Title = "" }))
	wantRefusal(t, err, "invalid_arguments", "[ERROR] missing required field: title")
	_, err = api.AddBookmarkContext(ctx, "C1", with(func(p *slack.AddBookmarkParameters) { p.Type = "" }))
	wantRefusal(t, err, "invalid_arguments", "[ERROR] missing required field: type")
	if _, err := api.ListBookmarksContext(ctx, "C_NOPE"); slackError(t, err).Err != "channel_not_found" {
		t.Errorf("list of an unknown channel: %v", err)
	}
	if got := s.Bookmarks("C1"); len(got) != 0 {
		t.Errorf("refused bookmarks stored: %+v", got)
	}
	if listed, err := api.ListBookmarksContext(ctx, "C1"); err != nil || listed == nil || len(listed) != 0 {
		t.Errorf("empty list = %#v, %v", listed, err)
	}
	t.Logf("fake log:\n%s", s.Log())
}
