// Command baseline is the bot a team would write instead of stackpick, kept only so that
// `make bench` can measure stackpick against it under the same load driver, fake Slack and
// Redis: a bare slack-go Socket Mode bot that acks each event, does one Redis GET and one SET of
// a session-sized value, and posts one plain-text reply. It is not shipped.
//
// It walks a person through the same number of questions as stackpick, so the driver reads the
// same texts from both: "Question N of M" after each answer, "Your backend shortlist" after the
// last. A DM message with nothing stored starts a conversation, as it does in stackpick. Its
// Slack client retries a rate-limited call after Retry-After (slack-go's OptionRetry), the one
// line a team adds once Slack's limits have lost it a reply.
//
// Environment: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL and REDIS_URL as for stackpick;
// BASELINE_QUESTIONS (how many questions) and BASELINE_SESSION_BYTES (the stored value's size);
// STACKPICK_DEBUG_ADDR serves net/http/pprof, which the driver reads allocations from.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

func main() {
	questions, _ := strconv.Atoi(os.Getenv("BASELINE_QUESTIONS"))
	size, _ := strconv.Atoi(os.Getenv("BASELINE_SESSION_BYTES"))
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil || questions < 1 {
		log.Fatalf("baseline: REDIS_URL (%v) and BASELINE_QUESTIONS are needed", err)
	}
	// The same pooled HTTP client stackpick uses: the baseline is not to pay for dialling Slack
	// again and again, a cost any team would fix.
	pooled := http.DefaultTransport.(*http.Transport).Clone()
	pooled.MaxIdleConns, pooled.MaxIdleConnsPerHost = 64, 64
	api := slack.New(os.Getenv("SLACK_BOT_TOKEN"), slack.OptionAppLevelToken(os.Getenv("SLACK_APP_TOKEN")),
		slack.OptionAPIURL(os.Getenv("SLACK_API_URL")), slack.OptionHTTPClient(&http.Client{Transport: pooled, Timeout: 10 * time.Second}),
		slack.OptionRetry(3))
	b := &bot{api: api, rdb: redis.NewClient(opt), questions: questions, size: size}
	if addr := os.Getenv("STACKPICK_DEBUG_ADDR"); addr != "" {
		go func() { log.Println(http.ListenAndServe(addr, nil)) }()
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	client := socketmode.New(api)
	go func() {
		for evt := range client.Events {
			b.handle(ctx, client, evt)
		}
	}()
	if err := client.RunContext(ctx); ctx.Err() == nil {
		log.Fatal(err)
	}
}

type bot struct {
	api       *slack.Client
	rdb       *redis.Client
	questions int
	size      int
}

// handle acks an envelope and answers it in a goroutine of its own.
func (b *bot) handle(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	if evt.Request == nil {
		return // connection events
	}
	client.Ack(*evt.Request)
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, _ := evt.Data.(slack.SlashCommand)
		go b.turn(ctx, cmd.UserID, "", true)
	case socketmode.EventTypeEventsAPI:
		ev, _ := evt.Data.(slackevents.EventsAPIEvent)
		if m, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent); ok && m.ChannelType == "im" && m.BotID == "" && m.User != "" {
			go b.turn(ctx, m.User, m.Channel, false)
		}
	}
}

// turn reads the person's step, stores the next one and posts the next question. A slash
// command starts afresh in the person's DM (opened first); a DM message answers.
func (b *bot) turn(ctx context.Context, user, channel string, start bool) {
	key := "baseline:" + user
	step := 0 // questions answered so far
	stored, err := b.rdb.Get(ctx, key).Result()
	switch {
	case err != nil && err != redis.Nil:
		log.Printf("baseline: %v", err)
		return
	case err == nil && !start:
		n, _, _ := strings.Cut(stored, ":")
		step, _ = strconv.Atoi(n)
		step++
	}
	value := strconv.Itoa(step) + ":"
	value += strings.Repeat(".", max(0, b.size-len(value)))
	if err := b.rdb.Set(ctx, key, value, 24*time.Hour).Err(); err != nil {
		log.Printf("baseline: %v", err)
		return
	}
	if channel == "" {
		ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
		if err != nil {
			log.Printf("baseline: %v", err)
			return
		}
		channel = ch.ID
	}
	text := "Your backend shortlist is ready."
	if step < b.questions {
		text = fmt.Sprintf("Question %d of %d", step+1, b.questions)
	}
	if _, _, err := b.api.PostMessageContext(ctx, channel, slack.MsgOptionText(text, false)); err != nil {
		log.Printf("baseline: %v", err)
	}
}
