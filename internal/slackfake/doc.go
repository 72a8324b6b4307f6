// Package slackfake is an in-process fake Slack for end-to-end tests.
//
// It owns the wire formats only: the Socket Mode handshake and envelopes
// (apps.connections.open, the WebSocket at /link/, hello, PING control frames,
// disconnect, acks) and the handful of Web API methods stackpick calls
// (auth.test, conversations.open/info/members, chat.postMessage/postEphemeral/update,
// views.publish) plus the response_url endpoint of slash commands and clicks.
// Tests point the real slack-go client at it:
//
//	s := slackfake.New()
//	defer s.Close()
//	api := slack.New(slackfake.BotToken,
//		slack.OptionAppLevelToken(slackfake.AppToken),
//		slack.OptionAPIURL(s.APIURL()))
//	client := socketmode.New(api)
//
// The fake records every Web API call, every stored message and every ack, and
// exposes Wait* methods that block on those records (never on timers), so tests
// synchronise on events. It knows nothing about stackpick's dialog or rendering.
package slackfake
