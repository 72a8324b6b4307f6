package slackfake

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"time"
)

// Bookmark is a link the bot bookmarked in a channel with bookmarks.add.
type Bookmark struct {
	ID, Channel, Title, Link, Emoji string
}

// bookmark is a Bookmark with what only its JSON shows.
type bookmark struct {
	Bookmark
	created time.Time
	rank    int // orders a channel's bookmarks: its "rank" string sorts as they were added
}

// emojiName is the pattern an emoji argument follows (invalid_emoji otherwise): ":name:".
var emojiName = regexp.MustCompile(`^:[a-z0-9_+'-]+:$`)

// Bookmarks returns the bookmarks of channel, in the order they were added.
func (s *Server) Bookmarks(channel string) []Bookmark {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Bookmark
	for _, b := range s.bookmarks {
		if b.Channel == channel {
			out = append(out, b.Bookmark)
		}
	}
	return out
}

// WaitBookmark returns the first bookmark (added before or later, in any channel) for which match
// returns true (nil matches any), or ctx.Err() if ctx ends first. match runs with the fake's lock
// held and must not call the fake.
func (s *Server) WaitBookmark(ctx context.Context, match func(Bookmark) bool) (Bookmark, error) {
	view := func(b *bookmark) Bookmark { return b.Bookmark }
	return waitRecord(ctx, s, "a bookmark", func() []*bookmark { return s.bookmarks }, view, match)
}

// addBookmark answers bookmarks.add: a missing title or type first (invalid_arguments), then the
// channel as chat.postMessage checks it, then invalid_bookmark_type for any type but "link",
// invalid_link for a link that is not http(s), invalid_emoji for an emoji that is not ":name:".
func (s *Server) addBookmark(args map[string]string) reply {
	ch, link := args["channel_id"], args["link"]
	u, err := url.Parse(link)
	switch {
	case args["title"] == "":
		return missing("title")
	case args["type"] == "":
		return missing("type")
	case s.postErrLocked(ch) != "":
		return fail(s.postErrLocked(ch))
	case args["type"] != "link":
		return fail("invalid_bookmark_type")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fail("invalid_link")
	case args["emoji"] != "" && !emojiName.MatchString(args["emoji"]):
		return fail("invalid_emoji")
	}
	b := &bookmark{Bookmark: Bookmark{ID: fmt.Sprintf("Bk%08d", s.nextIDLocked()), Channel: ch,
		Title: args["title"], Link: link, Emoji: args["emoji"]}, created: s.now(), rank: len(s.bookmarks)}
	s.bookmarks = append(s.bookmarks, b)
	return ok(map[string]any{"bookmark": bookmarkJSON(b)}, "bookmark_id="+b.ID)
}

// listBookmarks answers bookmarks.list: channel_not_found for a channel the fake does not know.
func (s *Server) listBookmarks(args map[string]string) reply {
	ch := args["channel_id"]
	if !s.knownChannelLocked(ch) {
		return fail("channel_not_found")
	}
	out := []map[string]any{}
	for _, b := range s.bookmarks {
		if b.Channel == ch {
			out = append(out, bookmarkJSON(b))
		}
	}
	return ok(map[string]any{"bookmarks": out}, fmt.Sprintf("bookmarks=%d", len(out)))
}

// bookmarkJSON renders a bookmark as bookmarks.add and bookmarks.list answer it; the nulls are the
// reference examples' (the fake fetches no icon and supports no shortcuts).
func bookmarkJSON(b *bookmark) map[string]any {
	return map[string]any{"id": b.ID, "channel_id": b.Channel, "title": b.Title, "link": b.Link,
		"emoji": b.Emoji, "icon_url": nil, "type": "link", "entity_id": nil,
		"date_created": b.created.Unix(), "date_updated": 0, "rank": fmt.Sprintf("%08d", b.rank),
		"last_updated_by_user_id": BotUserID, "last_updated_by_team_id": TeamID,
		"shortcut_id": nil, "app_id": nil}
}
