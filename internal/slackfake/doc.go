// Package slackfake is an in-process fake Slack for end-to-end tests.
//
// It owns the wire formats only: the Socket Mode handshake and envelopes
// (apps.connections.open, the WebSocket at /link/, hello, PING control frames,
// disconnect, acks, view_submission response actions) and the Web API methods stackpick
// calls or may call:
//
//   - auth.test, conversations.open/info/members;
//   - chat.postMessage/postEphemeral/update and views.publish/open, whose blocks are
//     checked against Block Kit's limits and answered as Slack answers (invalid_blocks or
//     invalid_arguments with response_metadata.messages, msg_blocks_too_long);
//   - modals: views.open on the trigger_ids the fake hands out, and SubmitView;
//   - canvases.create/edit/access.set, conversations.canvases.create, and files.info for
//     canvases (with their permalinks) and uploaded files;
//   - the two-step upload: files.getUploadURLExternal, the upload URL,
//     files.completeUploadExternal, which shares the file in a message;
//   - for decisions in a team channel: chat.scheduleMessage (post_at checked against the fake's
//     clock, SetNow; scheduled messages are recorded, never posted), chat.scheduledMessages.list,
//     chat.deleteScheduledMessage, bookmarks.add/list (links only), users.info (the users added
//     with AddUser), and ChannelMessage for what users type in a channel;
//
// plus the response_url endpoint of slash commands and clicks. Tests point the real
// slack-go client at it:
//
//	s := slackfake.New()
//	defer s.Close()
//	api := slack.New(slackfake.BotToken,
//		slack.OptionAppLevelToken(slackfake.AppToken),
//		slack.OptionAPIURL(s.APIURL()))
//	client := socketmode.New(api)
//
// The fake records every Web API call, every stored message, view, canvas, file, scheduled
// message and bookmark, every ack and how many envelopes each socket was sent, and exposes Wait*
// methods that block on those records (never on timers), so tests synchronise on events. Faults
// are one-shot (FailNext), rate limits (SetLimits) or persistent refusals (Refuse,
// RefuseCanvases, RefuseUploads). It knows nothing about stackpick's dialog or rendering.
package slackfake
