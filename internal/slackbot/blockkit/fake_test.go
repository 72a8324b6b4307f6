package blockkit

import (
	"context"
	"testing"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// Every message of the worst case posts on the fake Slack, whose checks answer as Slack does
// (invalid_blocks, msg_blocks_too_long), through the real slack-go client.
func TestWorstCasePassesTheFakeSlacksChecks(t *testing.T) {
	fake := slackfake.New()
	defer fake.Close()
	api := slack.New(slackfake.BotToken, slack.OptionAPIURL(fake.APIURL()))
	res, _, questions := worstCase()
	for name, m := range everyMessage(res, questions, worstText) {
		_, _, err := api.PostMessageContext(context.Background(), fake.DMChannel("U1"), slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
		if err != nil {
			t.Errorf("%s: Slack would refuse it: %v", name, err)
		}
	}
	teamMsgs, home := teamWorstCase(t)
	for name, m := range teamMsgs {
		_, _, err := api.PostMessageContext(context.Background(), fake.DMChannel("U1"), slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
		if err != nil {
			t.Errorf("team %s: Slack would refuse it: %v", name, err)
		}
	}
	if _, err := api.PublishViewContext(context.Background(), slack.PublishViewContextRequest{UserID: "U1", View: home}); err != nil {
		t.Errorf("home with team decisions: Slack would refuse it: %v", err)
	}
}
