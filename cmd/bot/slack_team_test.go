package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/redisstore"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
	"github.com/stackpick/stackpick/internal/slackfake"
	"github.com/stackpick/stackpick/internal/team"
)

// decision reads team decision id as Redis holds it.
func (e *e2e) decision(id string) team.Decision {
	e.t.Helper()
	if e.env["REDIS_URL"] == "" {
		e.t.Skip("needs Redis to read the stored decision")
	}
	rdb, err := redisstore.Open(e.ctx, e.env["REDIS_URL"], redisstore.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	defer rdb.Close()
	d, err := rdb.Teams(time.Hour, keyPrefix).Load(e.ctx, slackfake.TeamID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// waitMessage waits until message ts of channel, as it stands now, satisfies ok (updates
// included), and returns it.
func (e *e2e) waitMessage(channel, ts string, ok func(slackfake.Message) bool) slackfake.Message {
	e.t.Helper()
	m, err := e.fake.WaitMessage(e.ctx, channel, ts, ok)
	if err != nil {
		now, _ := e.fake.Message(channel, ts)
		e.t.Fatalf("message %s in %s never became what was expected: %v; it reads\n%s\n%s", ts, channel, err, blocksText(now), e.fake.Log())
	}
	return m
}

// blocksText is the text of a message's blocks, one text object a line, for reading.
func blocksText(m slackfake.Message) string {
	var blocks any
	_ = json.Unmarshal(m.Blocks, &blocks)
	var lines []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if text, ok := v["text"].(string); ok {
				lines = append(lines, text)
			}
			for k, x := range v {
				if k != "text" || !isString(x) {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(blocks)
	return strings.Join(lines, "\n")
}

func isString(v any) bool { _, ok := v.(string); return ok }

// waitEphemeral waits for a private note to user, since the last action, containing text.
func (e *e2e) waitEphemeral(user, text string) {
	e.t.Helper()
	e.waitCall("chat.postEphemeral", func(c slackfake.Call) bool {
		return c.Args["user"] == user && (strings.Contains(c.Args["text"], text) || strings.Contains(c.Args["blocks"], text))
	})
}

// decideIn picks channel in the Decide as a team menu of result.
func (e *e2e) decideIn(user string, result slackfake.Message, channel string) {
	e.t.Helper()
	blockID, _ := element(e.t, result, blockkit.ActTeamStart)
	e.next()
	e.send(e.fake.Click(e.ctx, user, result.Channel, result.TS, slackfake.Action{ActionID: blockkit.ActTeamStart, BlockID: blockID, Type: "conversations_select", SelectedConversation: channel}, nil))
}

// A team decides in a channel, end to end on the fake Slack with a real Redis and two bot
// replicas sharing the envelopes: Ana starts it inviting Bob and Cy; Bob brings a finished
// checklist in one click; Ana and Cy answer in free text, Cy finishing at the same instant as Bob
// brings his; Cy withdraws and rejoins; the team shortlist in the thread follows every change
// and lists the disagreement that changes the first choice apart from those that do not; a vote
// with a changed ballot and a non-participant's refused one; closing by anyone but the owner is
// refused; closing writes the record as a channel canvas, bookmarks it and schedules the revisit.
func TestSlackTeamDecisionInAChannel(t *testing.T) {
	e := startE2E(t)
	if e.redis == nil {
		t.Skip("needs Redis: two replicas share the decision")
	}
	second := e.startBot(e.env, 2)
	const ana, bob, cy, dee, channel = "UANA", "UBOB", "UCY", "UDEE", "CTEAM"
	for _, u := range []struct{ id, name string }{{ana, "ana"}, {bob, "bob"}, {cy, "cy"}, {dee, "dee"}} {
		e.fake.AddUser(u.id, strings.ToUpper(u.name[:1])+u.name[1:], u.name)
	}
	e.fake.AddChannel(channel, "backend", ana, bob, cy, dee, slackfake.BotUserID)
	now := time.Now()
	e.fake.SetNow(func() time.Time { return now })

	// Bob has a finished checklist from before: an API in Go under massive traffic.
	e.finished(bob, "an API in golang for massive traffic")

	// Ana starts the decision in the channel and invites Bob and Cy.
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, ana, channel, "/stackpick", "team <@UBOB|bob> <@UCY|cy>"))
	parent := e.waitPost(channel, "<@UANA> is choosing a backend framework with the team")
	shortlist := e.waitPost(channel, "Team shortlist")
	if shortlist.ThreadTS != parent.TS {
		t.Fatalf("the team shortlist is not in the decision's thread")
	}
	_, value := element(t, parent, blockkit.ActTeamJoin)
	tc, err := blockkit.DecodeTeamControl(value)
	if err != nil {
		t.Fatal(err)
	}
	id := tc.Decision
	bobInvite := e.waitPost(e.fake.DMChannel(bob), "<@UANA> invited you")
	cyInvite := e.waitPost(e.fake.DMChannel(cy), "<@UANA> invited you")
	anaDM := e.fake.DMChannel(ana)
	e.waitPost(anaDM, "Your checklist for the team decision in <#CTEAM>")
	anaThread := e.waitPost(anaDM, "Choosing a backend framework")

	// Ana answers in free text, then finishes: her answers are the team's first.
	e.waitPost(anaDM, e.question(1))
	e.say(ana, anaThread.TS, "a B2B SaaS in Python, 4 devs, launch in 6 weeks")
	e.waitPost(anaDM, "Understood: ")
	e.say(ana, anaThread.TS, "done")
	e.waitPost(anaDM, "Your backend shortlist: ")
	e.waitPost(anaDM, "Your answers are in the team decision in <#CTEAM>")
	e.waitMessage(channel, shortlist.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "Merged answers of 1 person") })

	// Bob joins from his invitation and brings his finished checklist; Cy joins from the
	// channel and answers afresh, in free text.
	e.click(bob, bobInvite, blockkit.ActTeamJoin)
	reuse := e.waitPost(e.fake.DMChannel(bob), "You joined the team decision in <#CTEAM>")
	e.click(cy, parent, blockkit.ActTeamJoin)
	cyDM := e.fake.DMChannel(cy)
	cyThread := e.waitPost(cyDM, "Choosing a backend framework")
	e.waitPost(cyDM, e.question(1))
	e.say(cy, cyThread.TS, "an internal tool in python, 4 devs, launch in 4 months")
	e.waitPost(cyDM, "Understood: ")
	_ = cyInvite

	// Bob's one click and Cy's done arrive together, one on each replica: neither is lost.
	before := e.fake.EnvelopesPerConnection()
	e.next()
	blockID, value := element(t, reuse, blockkit.ActTeamReuse)
	bobEnv, err := e.fake.Click(e.ctx, bob, reuse.Channel, reuse.TS, slackfake.Action{ActionID: blockkit.ActTeamReuse, BlockID: blockID, Type: "button", Value: value}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cyEnv, _, err := e.fake.DirectMessage(e.ctx, cy, "done", cyThread.TS)
	e.send(bobEnv, nil)
	e.send(cyEnv, err)
	e.waitMessage(channel, shortlist.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "Merged answers of 3 people") })
	if d := e.decision(id); len(d.Counted()) != 3 {
		t.Fatalf("after Bob and Cy finished together, %d answers count", len(d.Counted()))
	}
	if after := e.fake.EnvelopesPerConnection(); len(after) != 2 || after[0]-before[0] != 1 || after[1]-before[1] != 1 {
		t.Errorf("envelopes per replica %v, then %v: the two finishes should have gone one to each", before, after)
	}

	// The thread shows the disagreement that changes the first choice, and sums up the rest.
	text := blocksText(e.waitMessage(channel, shortlist.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "Merged answers of 3 people") }))
	if !strings.Contains(text, "Disagreements that change the first choice") || !strings.Contains(text, "leads instead of") {
		t.Errorf("the team shortlist shows no disagreement that changes the pick:\n%s", text)
	}
	if !strings.Contains(text, "Answered differently, without changing the first choice: ") {
		t.Errorf("the team shortlist does not sum up the disagreements that change nothing:\n%s", text)
	}

	// Cy withdraws, then rejoins and brings the checklist just finished back in one click.
	e.click(cy, parent, blockkit.ActTeamWithdraw)
	e.waitMessage(channel, shortlist.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "Merged answers of 2 people") })
	e.click(cy, parent, blockkit.ActTeamJoin)
	cyReuse := e.waitPost(cyDM, "You joined the team decision in <#CTEAM>")
	e.click(cy, cyReuse, blockkit.ActTeamReuse)
	shown := e.waitMessage(channel, shortlist.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "Merged answers of 3 people") })

	// Bob's home lists the open decision.
	e.next()
	e.send(e.fake.SendEvent(e.ctx, map[string]any{"type": "app_home_opened", "user": bob, "tab": "home", "channel": e.fake.DMChannel(bob)}))
	home := e.waitCall("views.publish", func(c slackfake.Call) bool { return c.Args["user_id"] == bob })
	if !strings.Contains(home.Args["view"], "Your open team decisions") || !strings.Contains(home.Args["view"], "3 of 3 answered") {
		t.Errorf("Bob's home does not list the open decision: %s", home.Args["view"])
	}

	// Only Ana opens the vote; Dee, who takes no part, may not vote; Bob changes his ballot.
	e.click(bob, shown, blockkit.ActTeamOpenVote)
	e.waitEphemeral(bob, "Only <@UANA>, who started this team decision, can do that.")
	e.click(ana, shown, blockkit.ActTeamOpenVote)
	vote := e.waitPost(channel, "Team vote")
	options := e.decision(id).Vote.Options
	if len(options) < 2 {
		t.Fatalf("the vote offers %v", options)
	}
	first, second2 := options[0], options[1]
	e.click(dee, vote, blockkit.ActTeamVotePrefix+first)
	e.waitEphemeral(dee, "You're not taking part in this team decision")
	e.click(bob, vote, blockkit.ActTeamVotePrefix+first)
	e.click(bob, vote, blockkit.ActTeamVotePrefix+second2)
	e.click(cy, vote, blockkit.ActTeamVotePrefix+second2)
	e.click(ana, vote, blockkit.ActTeamVotePrefix+first)
	e.waitMessage(channel, vote.TS, func(m slackfake.Message) bool {
		return strings.Contains(blocksText(m), ": 2 votes (bob and cy)") && strings.Contains(blocksText(m), ": 1 vote (ana)")
	})
	if d := e.decision(id); d.Vote.Ballots[bob] != second2 || d.Vote.Ballots[dee] != "" {
		t.Errorf("ballots %v: Bob's changed vote or Dee's refused one is wrong", d.Vote.Ballots)
	}

	// Only Ana closes: the record is a channel canvas, bookmarked, with a revisit scheduled.
	e.click(bob, vote, blockkit.ActTeamClose)
	e.waitEphemeral(bob, "Only <@UANA>")
	e.click(ana, vote, blockkit.ActTeamClose)
	closed := e.waitPost(channel, "Decided: ")
	canvas, err := e.fake.WaitCanvas(e.ctx, func(c slackfake.Canvas) bool { return c.ChannelCanvas && c.Channel == channel })
	if err != nil {
		t.Fatalf("no channel canvas: %v\n%s", err, e.fake.Log())
	}
	for _, want := range []string{"Decision-makers: ana, bob, cy", "### Disagreements and how they were settled", "by the team's vote: ", "2 (bob, cy)"} {
		if !strings.Contains(canvas.Markdown, want) {
			t.Errorf("the record lacks %q:\n%s", want, canvas.Markdown)
		}
	}
	bookmark, err := e.fake.WaitBookmark(e.ctx, func(b slackfake.Bookmark) bool { return b.Channel == channel })
	if err != nil || !strings.Contains(bookmark.Link, canvas.ID) {
		t.Errorf("bookmark %+v (%v) does not link the canvas %s", bookmark, err, canvas.ID)
	}
	revisit, err := e.fake.WaitScheduled(e.ctx, func(s slackfake.Scheduled) bool { return s.Channel == channel })
	if err != nil || revisit.ThreadTS != parent.TS || revisit.PostAt.Sub(now).Round(time.Hour) != 28*24*time.Hour {
		t.Errorf("revisit %+v (%v): want the thread, four weeks on", revisit, err)
	}
	if !strings.Contains(blocksText(closed), canvas.ID) {
		t.Errorf("the closing note does not link the record: %s", blocksText(closed))
	}
	e.waitMessage(channel, parent.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "*Decided: ") })
	if d := e.decision(id); !d.Closed() || d.Outcome.Chosen != second2 {
		t.Errorf("closed %v, chose %q; want %s by 2 votes to 1", d.Closed(), d.Outcome.Chosen, second2)
	}
	t.Logf("the channel thread:\n%s", threadTranscript(e.fake.Messages(channel)))
	t.Logf("the record:\n%s", canvas.Markdown)
	if err := second.stop(); err != nil {
		t.Fatal(err)
	}
}

// threadTranscript renders the channel's messages as they stand, as text.
func threadTranscript(ms []slackfake.Message) string {
	var b strings.Builder
	for _, m := range ms {
		if m.Ephemeral {
			continue
		}
		var blocks []json.RawMessage
		_ = json.Unmarshal(m.Blocks, &blocks)
		indent := ""
		if m.ThreadTS != "" && m.ThreadTS != m.TS {
			indent = "    "
		}
		b.WriteString(indent + "— " + m.TS + "\n")
		for _, line := range strings.Split(blocksText(m), "\n") {
			b.WriteString(indent + line + "\n")
		}
	}
	return b.String()
}

// The edges of a team decision, one owner on one replica: started from a finished shortlist's
// Decide as a team menu, so the owner's answers are in at once; refused in a DM and in a channel
// the bot is not in; joining closed to the uninvited; a vote nobody votes in, closed for the
// team's first choice; a click on a closed decision refused; and the record, a channel canvas
// the first time, a standalone canvas the channel may read once the channel has its own, and a
// Markdown file in the thread, bookmarked, where canvases are refused.
func TestSlackTeamDecisionEdges(t *testing.T) {
	e := startE2E(t)
	const ana, bob, cy = "UANA", "UBOB", "UCY"
	e.fake.AddChannel("CTEAM", "backend", ana, bob, cy, slackfake.BotUserID)
	e.fake.AddChannel("CNOBOT", "nobot", ana)
	dm, _, result := e.finished(ana, "a B2B SaaS in Python, 4 devs, launch in 6 weeks")

	e.next()
	e.send(e.fake.SlashCommand(e.ctx, ana, dm, "/stackpick", "team"))
	e.waitCall("response_url", func(c slackfake.Call) bool { return strings.Contains(c.Args["text"], "A team decides in a channel") })

	e.decideIn(ana, result, "CNOBOT")
	e.waitPost(dm, "I'm not a member of <#CNOBOT> yet.")

	// decide starts a decision in CTEAM from Ana's finished shortlist, opens the vote (on the
	// frameworks picked, or the shortlist's) and closes it with no ballot; it returns the parent
	// message as it was posted, with its controls.
	decide := func(picked ...string) slackfake.Message {
		t.Helper()
		result := lastResult(e.fake.Messages(dm))
		e.decideIn(ana, result, "CTEAM")
		parent := e.waitPost("CTEAM", "<@UANA> is choosing a backend framework with the team")
		shortlist := e.waitPost("CTEAM", "Team shortlist")
		shown := e.waitMessage("CTEAM", shortlist.TS, func(m slackfake.Message) bool { return strings.Contains(blocksText(m), "Merged answers of 1 person") })
		if len(picked) == 0 {
			e.click(ana, shown, blockkit.ActTeamOpenVote)
		} else {
			blockID, value := element(t, shown, blockkit.ActTeamOpenVote)
			state := map[string]map[string]slackfake.StateValue{blockID: {blockkit.ActTeamBallot: {Type: "multi_static_select", SelectedOptions: picked}}}
			e.next()
			e.send(e.fake.Click(e.ctx, ana, shown.Channel, shown.TS, slackfake.Action{ActionID: blockkit.ActTeamOpenVote, BlockID: blockID, Type: "button", Value: value}, state))
		}
		vote := e.waitPost("CTEAM", "Team vote")
		for _, f := range picked {
			element(t, vote, blockkit.ActTeamVotePrefix+f)
		}
		if len(picked) > 0 && strings.Count(string(vote.Blocks), `"action_id":"`+blockkit.ActTeamVotePrefix) != len(picked) {
			t.Errorf("the vote does not offer exactly the frameworks picked %v: %s", picked, vote.Blocks)
		}
		e.click(ana, vote, blockkit.ActTeamClose)
		e.waitPost("CTEAM", "Decided: ")
		return parent
	}

	first := decide()
	e.waitPost("CTEAM", "Decided: Quill")
	if c, err := e.fake.WaitCanvas(e.ctx, func(c slackfake.Canvas) bool { return c.ChannelCanvas && c.Channel == "CTEAM" }); err != nil || !strings.Contains(c.Markdown, "nobody voted") {
		t.Errorf("the first record is not the channel's canvas saying nobody voted: %+v, %v", c, err)
	}
	e.click(bob, first, blockkit.ActTeamJoin)
	e.waitEphemeral(bob, "That team decision is closed")

	// The channel has its canvas now: the next record is a canvas the channel may read. This
	// vote is on two frameworks Ana picks, the shortlist's first left out.
	decide("fernwork", "tidewater")
	e.waitPost("CTEAM", "Decided: Fernwork") // nobody voted: the best ranked of the ballot
	shared, err := e.fake.WaitCanvas(e.ctx, func(c slackfake.Canvas) bool { return !c.ChannelCanvas && c.Access["CTEAM"] == "read" })
	if err != nil {
		t.Fatalf("the second record is not a canvas the channel may read: %v\n%s", err, e.fake.Log())
	}
	if _, err := e.fake.WaitBookmark(e.ctx, func(b slackfake.Bookmark) bool { return strings.Contains(b.Link, shared.ID) }); err != nil {
		t.Errorf("the second record is not bookmarked: %v", err)
	}

	// Where canvases are refused, the record is a Markdown file in the thread, bookmarked.
	e.fake.RefuseCanvases("free_teams_cannot_create_standalone_canvases")
	third := decide()
	file, err := e.fake.WaitFile(e.ctx, func(f slackfake.File) bool { return f.ThreadTS == third.TS })
	if err != nil || !strings.Contains(file.Comment, "free_teams_cannot_create_standalone_canvases") || !strings.Contains(string(file.Content), "## Decision Outcome") {
		t.Fatalf("no record file in the thread saying why: %+v, %v\n%s", file, err, e.fake.Log())
	}
	if _, err := e.fake.WaitBookmark(e.ctx, func(b slackfake.Bookmark) bool { return strings.Contains(b.Link, file.ID) }); err != nil {
		t.Errorf("the record file is not bookmarked: %v", err)
	}
	e.fake.RefuseCanvases("")

	// Joining closed: the uninvited are refused, with who to ask.
	e.next()
	e.send(e.fake.SlashCommand(e.ctx, ana, "CTEAM", "/stackpick", "team <@UBOB|bob>"))
	open := e.waitPost("CTEAM", "<@UANA> is choosing a backend framework with the team")
	e.click(ana, open, blockkit.ActTeamCloseJoining)
	e.waitMessage("CTEAM", open.TS, func(m slackfake.Message) bool {
		return !strings.Contains(string(m.Blocks), blockkit.ActTeamCloseJoining)
	})
	e.click(cy, open, blockkit.ActTeamJoin)
	e.waitEphemeral(cy, "Joining this team decision is closed. Ask <@UANA>")
	// Bob, invited before joining closed, joins in the middle of a checklist: that checklist
	// now answers for the team, and he is asked its question again in its thread.
	thread, _ := e.startConversation(bob)
	e.click(bob, open, blockkit.ActTeamJoin)
	note := e.waitPost(e.fake.DMChannel(bob), "The checklist you are answering now counts for the team decision in <#CTEAM>")
	if note.ThreadTS != thread {
		t.Errorf("the note is not in Bob's checklist thread")
	}
	e.waitPost(e.fake.DMChannel(bob), e.question(1))
}
