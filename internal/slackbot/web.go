package slackbot

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// webAPI is the slice of Slack's Web API the bot calls: exactly these methods of *slack.Client,
// so handler logic is tested against a small fake without a server.
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	ChatPost(ctx context.Context, m chatMessage) (string, error)
	ChatUpdate(ctx context.Context, m chatMessage) error
	PostMessageContext(ctx context.Context, channel string, options ...slack.MsgOption) (string, string, error) // response_url
	PostEphemeralContext(ctx context.Context, channel, user string, options ...slack.MsgOption) (string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	GetConversationInfoContext(ctx context.Context, input *slack.GetConversationInfoInput) (*slack.Channel, error)
	GetUsersInConversationContext(ctx context.Context, params *slack.GetUsersInConversationParameters) ([]string, string, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	CreateCanvasContext(ctx context.Context, title string, content slack.DocumentContent, options ...slack.CreateCanvasOption) (string, error)
	SetCanvasAccessContext(ctx context.Context, params slack.SetCanvasAccessParams) error
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	GetFileInfoContext(ctx context.Context, fileID string, count, page int) (*slack.File, []slack.Comment, *slack.Paging, error)
	CreateChannelCanvasContext(ctx context.Context, channel string, documentContent slack.DocumentContent, options ...slack.CreateChannelCanvasOption) (string, error)
	ScheduleMessageContext(ctx context.Context, channelID, postAt string, options ...slack.MsgOption) (string, string, error)
	AddBookmarkContext(ctx context.Context, channelID string, params slack.AddBookmarkParameters) (slack.Bookmark, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
}

// How the bot's Slack client behaves.
const (
	// slackRetries is how often slack-go retries a Web API call that got a 429 (honouring
	// Retry-After) or a 5xx (with backoff and jitter, at most slackBackoffMax apart).
	slackRetries    = 3
	slackBackoffMax = 5 * time.Second
	// slackIdleConns is how many connections to Slack stay open between calls. The default
	// transport keeps two per host, so under load most calls paid for a new TCP and TLS handshake
	// (the load benchmark's profile showed 10% of the CPU in dialling).
	slackIdleConns   = 64
	slackCallTimeout = 30 * time.Second
)

// slackAPI is the bot's Web API client: slack-go's, but for the messages it posts and updates
// (chatJSON).
type slackAPI struct {
	*slack.Client
	chatJSON
}

// newSlackAPI builds it from cfg, counting every call in m; slack-go logs to sdkLog.
func newSlackAPI(cfg Config, m Metrics, sdkLog *log.Logger) slackAPI {
	pooled := http.DefaultTransport.(*http.Transport).Clone()
	pooled.MaxIdleConns, pooled.MaxIdleConnsPerHost = slackIdleConns, slackIdleConns
	counted := &countingTransport{next: pooled, m: m}
	client := &http.Client{Transport: counted, Timeout: slackCallTimeout}
	url := slack.APIURL
	if cfg.APIURL != "" {
		url = strings.TrimRight(cfg.APIURL, "/") + "/"
	}
	return slackAPI{Client: slack.New(cfg.BotToken, clientOptions(cfg, client, url, sdkLog)...), chatJSON: newChatJSON(pooled, m, url, cfg.BotToken)}
}

// clientOptions configures slack-go's client: retries, the pooled HTTP client, the API URL, the
// app-level token and slack-go's logger.
func clientOptions(cfg Config, client *http.Client, url string, sdkLog *log.Logger) []slack.Option {
	retry := slack.DefaultRetryConfig()
	retry.MaxRetries, retry.BackoffMax = slackRetries, slackBackoffMax
	retry.Handlers = []slack.RetryHandler{slack.NewRateLimitErrorRetryHandler(retry), slack.NewServerErrorRetryHandler(retry)}
	opts := []slack.Option{
		slack.OptionLog(sdkLog),
		slack.OptionHTTPClient(client),
		slack.OptionRetryConfig(retry), // after the client: it wraps the client set so far
		slack.OptionAPIURL(url),
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return opts
}

// countingTransport counts every HTTP call slack-go makes to Slack (each of its retries is a call
// of its own) by Web API method and outcome. A call to another URL (a slash command's
// response_url) counts as method "response_url", by its HTTP status only. A Web API reply that is
// no HTTP error is counted when slack-go closes it, its "ok" member read on the way (see
// replyBody): ok, or slack_error for ok false and for a reply that is not JSON or is cut short.
// chatJSON, which reads its replies itself, counts its own calls the same way.
type countingTransport struct {
	next http.RoundTripper
	m    Metrics
}

// methodRE matches a Web API method name at the end of a URL path, e.g. /api/chat.postMessage.
var methodRE = regexp.MustCompile(`/([a-z]+(?:\.[a-zA-Z]+)+)$`)

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	method := "response_url"
	if m := methodRE.FindStringSubmatch(req.URL.Path); m != nil {
		method = m[1]
	}
	resp, err := t.next.RoundTrip(req)
	outcome := httpOutcome(resp, err)
	if outcome == "" {
		if method != "response_url" {
			resp.Body = &replyBody{ReadCloser: resp.Body, method: method, m: t.m}
			return resp, nil
		}
		outcome = "ok"
	}
	t.m.SlackCall(method, outcome)
	return resp, err
}

// httpOutcome is a call's outcome as far as its HTTP status tells: "" for a reply whose own "ok"
// decides.
func httpOutcome(resp *http.Response, err error) string {
	switch {
	case err != nil:
		return "network_error"
	case resp.StatusCode == http.StatusTooManyRequests:
		return "rate_limited"
	case resp.StatusCode >= 300:
		return "http_error"
	}
	return ""
}

// replyBody is a Web API reply's body as slack-go reads it: the bytes go through to slack-go's
// decoder and past an okScan on the way, so the reply is decoded once. Closing it reads what
// slack-go left unread (a trailing newline) through the scan too, which also lets the
// connection be reused, and counts the call once.
type replyBody struct {
	io.ReadCloser
	method  string
	m       Metrics
	scan    okScan
	failed  bool // a read failed: the reply was cut short
	counted bool
}

func (b *replyBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.scan.scan(p[:n])
	if err != nil && err != io.EOF {
		b.failed = true
	}
	return n, err
}

func (b *replyBody) Close() error {
	if !b.counted {
		b.counted = true
		_, _ = io.Copy(io.Discard, b)
		outcome := "slack_error"
		if b.scan.ok() && !b.failed {
			outcome = "ok"
		}
		b.m.SlackCall(b.method, outcome)
	}
	return b.ReadCloser.Close()
}

// okScan follows a JSON text byte by byte, as far as needed to tell whether it is an object
// whose "ok" member is true: it tracks strings and nesting, decodes no value and validates
// nothing, so it costs one pass over bytes that are read anyway. Like slack-go's decoder it
// reads one value and matches the member's name in either case ("OK"); unlike it, it does not
// read a name spelt with escapes ("o\u006b") as "ok", which Slack does not send.
type okScan struct {
	depth    int // objects and arrays open
	inString bool
	escaped  bool    // the last byte in the string was a backslash
	name     [2]byte // the first bytes of the string being read
	n        int     // its length so far
	okNamed  bool    // the last token was a top-level string "ok"
	okNext   bool    // `"ok":` was read, at the top level: its value comes next
	okTrue   bool    // the top-level "ok" is true
	closed   bool    // the top-level value has ended
}

func (s *okScan) scan(p []byte) {
	for _, c := range p {
		if s.closed {
			return
		}
		if s.inString {
			switch {
			case s.escaped:
				s.escaped = false
			case c == '\\':
				s.escaped = true
			case c == '"':
				s.inString = false
				s.okNamed = s.depth == 1 && s.n == 2 && s.name[0]|0x20 == 'o' && s.name[1]|0x20 == 'k'
				continue
			}
			if s.n < len(s.name) {
				s.name[s.n] = c
			}
			s.n++
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if s.okNext {
			s.okTrue, s.okNext = c == 't', false
		}
		named := s.okNamed
		s.okNamed = false
		switch c {
		case '"':
			s.inString, s.n = true, 0
		case ':':
			s.okNext = named
		case '{', '[':
			s.depth++
		case '}', ']':
			s.depth--
			s.closed = s.depth == 0
		}
	}
}

// ok reports whether the text read was a whole object whose "ok" member is true.
func (s *okScan) ok() bool { return s.closed && s.okTrue }

// webClient makes the bot's Web API calls and returns their errors for the caller to handle (a
// turn logs each once and chooses what the user sees). Calls wait for the pacer, except the
// cosmetic updates, which the turn skips instead when their allowance is spent, and response_url
// posts, which go to a one-off URL rather than a Web API method; slack-go retries
// rate-limited and failed calls itself.
type webClient struct {
	api  webAPI
	pace *pacer
}

// post sends m to channel (in thread threadTS when set) and returns its ts.
func (w *webClient) post(ctx context.Context, channel, threadTS string, m blockkit.Message) (string, error) {
	if err := w.pace.wait(ctx, "chat.postMessage", channel); err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	ts, err := w.api.ChatPost(ctx, chatMessage{Channel: channel, ThreadTS: threadTS, Text: m.Text, Blocks: m.Blocks})
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return ts, nil
}

// update replaces message ts in channel with m.
func (w *webClient) update(ctx context.Context, channel, ts string, m blockkit.Message) error {
	err := w.api.ChatUpdate(ctx, chatMessage{Channel: channel, TS: ts, Text: m.Text, Blocks: m.Blocks})
	if err != nil {
		return fmt.Errorf("chat.update of %s in %s: %w", ts, channel, err)
	}
	return nil
}

// edit replaces message ts in channel with m, waiting for the pacer: for messages that are the
// content (a team decision's), not a cosmetic touch.
func (w *webClient) edit(ctx context.Context, channel, ts string, m blockkit.Message) error {
	if err := w.pace.wait(ctx, "chat.update", channel); err != nil {
		return fmt.Errorf("chat.update of %s in %s: %w", ts, channel, err)
	}
	return w.update(ctx, channel, ts, m)
}

// schedule posts m in channel's thread threadTS at at, and returns the scheduled message's id.
func (w *webClient) schedule(ctx context.Context, channel, threadTS string, at time.Time, m blockkit.Message) (string, error) {
	if err := w.pace.wait(ctx, "chat.scheduleMessage", channel); err != nil {
		return "", fmt.Errorf("chat.scheduleMessage in %s: %w", channel, err)
	}
	_, id, err := w.api.ScheduleMessageContext(ctx, channel, fmt.Sprint(at.Unix()),
		slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...), slack.MsgOptionTS(threadTS))
	if err != nil {
		return "", fmt.Errorf("chat.scheduleMessage in %s: %w", channel, err)
	}
	return id, nil
}

// bookmark adds a link bookmark to channel.
func (w *webClient) bookmark(ctx context.Context, channel, title, link string) error {
	if err := w.pace.wait(ctx, "bookmarks.add", channel); err != nil {
		return fmt.Errorf("bookmarks.add in %s: %w", channel, err)
	}
	if _, err := w.api.AddBookmarkContext(ctx, channel, slack.AddBookmarkParameters{Title: title, Type: "link", Link: link, Emoji: ":memo:"}); err != nil {
		return fmt.Errorf("bookmarks.add in %s: %w", channel, err)
	}
	return nil
}

// channelCanvas creates channel's own canvas from Markdown and returns its id.
func (w *webClient) channelCanvas(ctx context.Context, channel, title, markdown string) (string, error) {
	if err := w.pace.wait(ctx, "conversations.canvases.create", ""); err != nil {
		return "", fmt.Errorf("conversations.canvases.create in %s: %w", channel, err)
	}
	id, err := w.api.CreateChannelCanvasContext(ctx, channel, slack.DocumentContent{Type: "markdown", Markdown: markdown}, slack.CreateChannelCanvasOptionTitle(title))
	if err != nil {
		return "", fmt.Errorf("conversations.canvases.create in %s: %w", channel, err)
	}
	return id, nil
}

// sharedCanvas creates a canvas titled title from Markdown that the members of channel may read:
// for a channel that has its own canvas already.
func (w *webClient) sharedCanvas(ctx context.Context, channel, title, markdown string) (string, error) {
	if err := w.pace.wait(ctx, "canvases.create", ""); err != nil {
		return "", fmt.Errorf("canvases.create for %s: %w", channel, err)
	}
	id, err := w.api.CreateCanvasContext(ctx, title, slack.DocumentContent{Type: "markdown", Markdown: markdown})
	if err != nil {
		return "", fmt.Errorf("canvases.create for %s: %w", channel, err)
	}
	if err := w.pace.wait(ctx, "canvases.access.set", ""); err != nil {
		return id, fmt.Errorf("canvases.access.set on %s: %w", id, err)
	}
	if err := w.api.SetCanvasAccessContext(ctx, slack.SetCanvasAccessParams{CanvasID: id, AccessLevel: "read", ChannelIDs: []string{channel}}); err != nil {
		return id, fmt.Errorf("canvases.access.set on %s: %w", id, err)
	}
	return id, nil
}

// userName is how the workspace shows user: their display name, else their full name, else
// their username.
func (w *webClient) userName(ctx context.Context, user string) (string, error) {
	if err := w.pace.wait(ctx, "users.info", ""); err != nil {
		return "", fmt.Errorf("users.info of %s: %w", user, err)
	}
	u, err := w.api.GetUserInfoContext(ctx, user)
	if err != nil {
		return "", fmt.Errorf("users.info of %s: %w", user, err)
	}
	for _, name := range []string{u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name} {
		if name = strings.TrimSpace(name); name != "" {
			return name, nil
		}
	}
	return "", fmt.Errorf("users.info of %s: no name", user)
}

// permalink is the link to an uploaded file.
func (w *webClient) permalink(ctx context.Context, fileID string) (string, error) {
	if err := w.pace.wait(ctx, "files.info", ""); err != nil {
		return "", fmt.Errorf("files.info of %s: %w", fileID, err)
	}
	f, _, _, err := w.api.GetFileInfoContext(ctx, fileID, 0, 0)
	if err != nil {
		return "", fmt.Errorf("files.info of %s: %w", fileID, err)
	}
	return f.Permalink, nil
}

// ephemeral shows text (escaped by Slack) to user only, in channel.
func (w *webClient) ephemeral(ctx context.Context, channel, user, threadTS, text string) error {
	return w.postEphemeral(ctx, channel, user, threadTS, slack.MsgOptionText(text, true))
}

// ephemeralMrkdwn shows safe mrkdwn (constant text and validated ids only) to user only, in
// channel.
func (w *webClient) ephemeralMrkdwn(ctx context.Context, channel, user, threadTS, mrkdwn string) error {
	m := blockkit.Mrkdwn(mrkdwn)
	return w.postEphemeral(ctx, channel, user, threadTS, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
}

func (w *webClient) postEphemeral(ctx context.Context, channel, user, threadTS string, opts ...slack.MsgOption) error {
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	if err := w.pace.wait(ctx, "chat.postEphemeral", channel); err != nil {
		return fmt.Errorf("chat.postEphemeral in %s: %w", channel, err)
	}
	if _, err := w.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
		return fmt.Errorf("chat.postEphemeral in %s: %w", channel, err)
	}
	return nil
}

// respond posts m privately through a slash command's response_url.
func (w *webClient) respond(ctx context.Context, responseURL string, m blockkit.Message) error {
	_, _, err := w.api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(responseURL, slack.ResponseTypeEphemeral),
		slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	if err != nil {
		return fmt.Errorf("response_url post: %w", err)
	}
	return nil
}

// dm returns the user's DM channel with the bot.
func (w *webClient) dm(ctx context.Context, user string) (string, error) {
	if err := w.pace.wait(ctx, "conversations.open", ""); err != nil {
		return "", fmt.Errorf("conversations.open with %s: %w", user, err)
	}
	ch, _, _, err := w.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", fmt.Errorf("conversations.open with %s: %w", user, err)
	}
	return ch.ID, nil
}

// conversationInfo returns what Slack says of channel (archived, the bot a member).
func (w *webClient) conversationInfo(ctx context.Context, channel string) (*slack.Channel, error) {
	if err := w.pace.wait(ctx, "conversations.info", ""); err != nil {
		return nil, fmt.Errorf("conversations.info of %s: %w", channel, err)
	}
	info, err := w.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		return nil, fmt.Errorf("conversations.info of %s: %w", channel, err)
	}
	return info, nil
}

// maxMemberPages bounds the membership check: 20 pages of 1000 members.
const maxMemberPages = 20

// isMember reports whether user is a member of channel.
func (w *webClient) isMember(ctx context.Context, channel, user string) (bool, error) {
	cursor := ""
	for page := 0; page < maxMemberPages; page++ {
		if err := w.pace.wait(ctx, "conversations.members", ""); err != nil {
			return false, fmt.Errorf("conversations.members of %s: %w", channel, err)
		}
		members, next, err := w.api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: channel, Cursor: cursor, Limit: 1000})
		if err != nil {
			return false, fmt.Errorf("conversations.members of %s: %w", channel, err)
		}
		for _, m := range members {
			if m == user {
				return true, nil
			}
		}
		if next == "" {
			return false, nil
		}
		cursor = next
	}
	return false, nil
}

// publishHome publishes user's App Home tab.
func (w *webClient) publishHome(ctx context.Context, user string, view slack.HomeTabViewRequest) error {
	if err := w.pace.wait(ctx, "views.publish", ""); err != nil {
		return fmt.Errorf("views.publish for %s: %w", user, err)
	}
	if _, err := w.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		return fmt.Errorf("views.publish for %s: %w", user, err)
	}
	return nil
}

// openView opens a modal on a click's trigger.
func (w *webClient) openView(ctx context.Context, triggerID string, view slack.ModalViewRequest) error {
	if err := w.pace.wait(ctx, "views.open", ""); err != nil {
		return fmt.Errorf("views.open: %w", err)
	}
	if _, err := w.api.OpenViewContext(ctx, triggerID, view); err != nil {
		return fmt.Errorf("views.open: %w", err)
	}
	return nil
}

// createCanvas creates a canvas titled title from Markdown, tabbed in channel (the user's DM),
// and gives user write access to it: a canvas the bot creates is the bot's, and reports differ
// on whether tabbing it in a DM lets the user edit it. It returns the canvas id; an access that
// cannot be set is an error with the id still returned, since the canvas exists.
func (w *webClient) createCanvas(ctx context.Context, title, markdown, channel, user string) (string, error) {
	if err := w.pace.wait(ctx, "canvases.create", ""); err != nil {
		return "", fmt.Errorf("canvases.create in %s: %w", channel, err)
	}
	id, err := w.api.CreateCanvasContext(ctx, title, slack.DocumentContent{Type: "markdown", Markdown: markdown}, slack.CreateCanvasOptionChannelID(channel))
	if err != nil {
		return "", fmt.Errorf("canvases.create in %s: %w", channel, err)
	}
	if err := w.pace.wait(ctx, "canvases.access.set", ""); err != nil {
		return id, fmt.Errorf("canvases.access.set on %s: %w", id, err)
	}
	if err := w.api.SetCanvasAccessContext(ctx, slack.SetCanvasAccessParams{CanvasID: id, AccessLevel: "write", UserIDs: []string{user}}); err != nil {
		return id, fmt.Errorf("canvases.access.set on %s: %w", id, err)
	}
	return id, nil
}

// uploadMarkdown shares markdown as a file in channel's thread threadTS, with comment, and returns
// the file's id. slack-go makes the two-step upload (files.getUploadURLExternal, the upload,
// files.completeUploadExternal), paced as one call of each method.
func (w *webClient) uploadMarkdown(ctx context.Context, channel, threadTS, filename, title, markdown, comment string) (string, error) {
	for _, m := range []string{"files.getUploadURLExternal", "files.completeUploadExternal"} {
		if err := w.pace.wait(ctx, m, ""); err != nil {
			return "", fmt.Errorf("upload %s to %s: %w", filename, channel, err)
		}
	}
	f, err := w.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Content: markdown, FileSize: len(markdown), Filename: filename, Title: title,
		InitialComment: comment, Channel: channel, ThreadTimestamp: threadTS, SnippetType: "markdown",
	})
	if err != nil {
		return "", fmt.Errorf("upload %s to %s: %w", filename, channel, err)
	}
	return f.ID, nil
}
