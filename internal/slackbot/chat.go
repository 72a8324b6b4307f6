package slackbot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/tidwall/gjson"
)

// chatJSON posts and updates messages with a JSON body, which Slack's Web API accepts for
// chat.postMessage and chat.update, and reads only what the bot needs of the reply. slack-go
// sends them as forms, the blocks' JSON URL-escaped (about a third of the bytes the bot
// allocated under load), and decodes the copy of the message Slack sends back, blocks into
// typed values (a quarter of its CPU). Like the bot's slack-go client it retries a 429 after
// Retry-After and a 5xx with backoff, slackRetries times. It calls the transport itself: the
// Web API needs none of an http.Client's redirects, cookies or timeout (see call), which cost
// every call a copy of its headers, a timer and a context. It counts its calls as
// countingTransport counts slack-go's, from the reply it reads anyway.
type chatJSON struct {
	transport http.RoundTripper // the bot's pooled transport
	m         Metrics
	url       string      // the Web API's base URL, ending in /
	header    http.Header // every call's: JSON and the bot's token; read, never changed
}

func newChatJSON(transport http.RoundTripper, m Metrics, url, token string) chatJSON {
	header := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Authorization": {"Bearer " + token}}
	return chatJSON{transport: transport, m: m, url: url, header: header}
}

// chatMessage is a message to post, or (with TS) to update.
type chatMessage struct {
	Channel  string        `json:"channel"`
	TS       string        `json:"ts,omitempty"`
	ThreadTS string        `json:"thread_ts,omitempty"`
	Text     string        `json:"text"`
	Blocks   []slack.Block `json:"blocks,omitempty"`
	// Unfurl is false for a post: a link in it shows no preview. Updates keep the message's.
	UnfurlLinks *bool `json:"unfurl_links,omitempty"`
	UnfurlMedia *bool `json:"unfurl_media,omitempty"`
}

// wireMessage is a chatMessage as it is sent: its blocks' elements written in line.
type wireMessage struct {
	chatMessage
	Blocks []any `json:"blocks,omitempty"`
}

// inlineElements returns blocks to marshal into the same JSON, byte for byte, with each actions
// and context block's elements written in line. slack-go gives those elements a MarshalJSON of
// their own, and encoding/json compacts and validates again whatever a MarshalJSON returns: a
// question's blocks took two and a half times as long to marshal.
func inlineElements(blocks []slack.Block) []any {
	type actionsBlock struct {
		Type     slack.MessageBlockType `json:"type"`
		BlockID  string                 `json:"block_id,omitempty"`
		Elements []slack.BlockElement   `json:"elements"`
	}
	type contextBlock struct {
		Type     slack.MessageBlockType `json:"type"`
		BlockID  string                 `json:"block_id,omitempty"`
		Elements []slack.MixedElement   `json:"elements"`
	}
	out, as, cs := make([]any, len(blocks)), make([]actionsBlock, len(blocks)), make([]contextBlock, len(blocks))
	for i, b := range blocks {
		out[i] = b
		switch b := b.(type) {
		case *slack.ActionBlock:
			if b.Elements != nil {
				as[i] = actionsBlock{b.Type, b.BlockID, b.Elements.ElementSet}
				out[i] = &as[i]
			}
		case *slack.ContextBlock:
			cs[i] = contextBlock{b.Type, b.BlockID, b.ContextElements.Elements}
			out[i] = &cs[i]
		}
	}
	return out
}

// chatReply is what the bot reads of the reply.
type chatReply struct {
	OK               bool                   `json:"ok"`
	Error            string                 `json:"error"`
	TS               string                 `json:"ts"`
	ResponseMetadata slack.ResponseMetadata `json:"response_metadata"`
}

// readReply reads a reply's ok and ts, and the rest only when they are not both there: a post's
// reply is mostly the copy of the message, which gjson passes over without decoding it, where
// encoding/json decodes every member, or allocates a syntax error it never returns at the end of
// every token read one by one. A reply cut short after ok and ts is a post Slack made: sending it
// again would post it twice.
func readReply(body io.Reader) (chatReply, error) {
	buf := replyBuffers.Get().(*bytes.Buffer)
	defer replyBuffers.Put(buf)
	buf.Reset()
	_, readErr := buf.ReadFrom(io.LimitReader(body, maxReply))
	reply := buf.Bytes()
	// ok's text, not its type: gjson takes a reply cut off at "tru" for true.
	if ok, ts := gjson.GetBytes(reply, "ok"), gjson.GetBytes(reply, "ts"); ok.Raw == "true" && ts.Type == gjson.String {
		return chatReply{OK: true, TS: ts.Str}, nil
	}
	var r chatReply
	if err := json.Unmarshal(reply, &r); err != nil {
		return r, errors.Join(errors.New("slack's reply is not a JSON object"), err, readErr)
	}
	return r, nil
}

// maxReply bounds the reply read: a post's is a few KiB, its message's blocks included.
const maxReply = 1 << 20

// replyBuffers hold replies while they are read, so each post does not allocate its reply again.
var replyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ChatPost posts m and returns its ts.
func (c chatJSON) ChatPost(ctx context.Context, m chatMessage) (string, error) {
	no := false
	m.UnfurlLinks, m.UnfurlMedia = &no, &no
	return c.call(ctx, "chat.postMessage", m)
}

// ChatUpdate replaces message m.TS in m.Channel with m.
func (c chatJSON) ChatUpdate(ctx context.Context, m chatMessage) error {
	_, err := c.call(ctx, "chat.update", m)
	return err
}

// Backoff of a retried 5xx: chatBackoff, doubling, at most slackBackoffMax.
const chatBackoff = 100 * time.Millisecond

// call sends m to method and returns the reply's ts, or the error as slack-go would return it:
// slack.SlackErrorResponse, *slack.RateLimitedError or slack.StatusCodeError. Like every call of
// the bot's client it takes at most slackCallTimeout, bounded by ctx's deadline when that comes
// sooner (a turn's does).
func (c chatJSON) call(ctx context.Context, method string, m chatMessage) (string, error) {
	if deadline, ok := ctx.Deadline(); !ok || time.Until(deadline) > slackCallTimeout {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, slackCallTimeout)
		defer cancel()
	}
	body, err := json.Marshal(wireMessage{m, inlineElements(m.Blocks)})
	if err != nil {
		return "", err
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+method, bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		req.Header = c.header
		resp, err := c.transport.RoundTrip(req)
		if err != nil {
			c.m.SlackCall(method, httpOutcome(resp, err))
			return "", fmt.Errorf("%s: %w", method, err)
		}
		r, decoded := readReply(resp.Body)
		_, _ = io.Copy(io.Discard, resp.Body) // past maxReply, so the connection is reused
		_ = resp.Body.Close()
		c.m.SlackCall(method, chatOutcome(resp, r, decoded))
		wait, retry := chatRetry(resp, attempt)
		switch {
		case retry && attempt < slackRetries:
			if err := sleep(ctx, wait); err != nil {
				return "", err
			}
			continue
		case resp.StatusCode == http.StatusTooManyRequests:
			return "", &slack.RateLimitedError{RetryAfter: wait}
		case resp.StatusCode != http.StatusOK:
			return "", slack.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
		case decoded != nil:
			return "", decoded
		case !r.OK:
			return "", slack.SlackErrorResponse{Err: r.Error, ResponseMetadata: r.ResponseMetadata}
		}
		return r.TS, nil
	}
}

// chatOutcome is a call's outcome as countingTransport names them: by its HTTP status, else ok
// or slack_error by its reply.
func chatOutcome(resp *http.Response, r chatReply, decoded error) string {
	switch outcome := httpOutcome(resp, nil); {
	case outcome != "":
		return outcome
	case decoded != nil || !r.OK:
		return "slack_error"
	}
	return "ok"
}

// chatRetry says whether a reply is retried and after how long: a 429 after its Retry-After (a
// second when it has none) and up to a second of jitter, so that calls held together do not come
// back together; a 5xx after the attempt's backoff.
func chatRetry(resp *http.Response, attempt int) (time.Duration, bool) {
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := time.Second
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		return wait + rand.N(time.Second), true
	case resp.StatusCode >= http.StatusInternalServerError:
		return min(chatBackoff<<attempt, slackBackoffMax), true
	}
	return 0, false
}
