package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/record"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
	"github.com/stackpick/stackpick/internal/team"
)

// teamView is where a team decision lives in Slack: the channel, the message its thread hangs
// from, the team shortlist and the vote in that thread and, once closed, the record's link and
// when the revisit reminder is due. It is the decision's View, saved with it.
type teamView struct {
	Channel   string `json:"c"`
	Parent    string `json:"p"`
	Shortlist string `json:"s,omitempty"`
	Vote      string `json:"v,omitempty"`
	Record    string `json:"r,omitempty"`
	Revisit   int64  `json:"rv,omitempty"` // Unix seconds
}

func decodeTeamView(data []byte) teamView {
	var v teamView
	_ = json.Unmarshal(data, &v) // a bad view shows nothing rather than failing the decision
	return v
}

func (v teamView) encode() []byte {
	data, _ := json.Marshal(v)
	return data
}

const (
	// DefaultRevisit is when a closed decision's revisit reminder is due: the end of a proof of
	// concept of about four weeks. MaxRevisit is the furthest chat.scheduleMessage allows.
	DefaultRevisit = 28 * 24 * time.Hour
	MaxRevisit     = 120 * 24 * time.Hour
	// maxInvited bounds the people one /stackpick team invites.
	maxInvited = 20
	// maxHomeTeams bounds the open team decisions listed on App Home, of the homeTeamsLooked
	// latest the user took part in (closed ones are not listed).
	maxHomeTeams    = 10
	homeTeamsLooked = 30
	// refreshRounds bounds how often the team's messages are rendered again because the decision
	// changed while they were being updated.
	refreshRounds = 4
)

// userRefRE matches the user mentions Slack puts in an escaped slash command: "<@U123|ana>".
var userRefRE = regexp.MustCompile(`<@([A-Z0-9]{2,32})(?:\|[^>]*)?>`)

// parseUsers returns the user ids mentioned in text, in order, without repeats.
func parseUsers(text string) []string {
	var out []string
	for _, m := range userRefRE.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// teamReady says whether the bot keeps team decisions; when not, the user is told.
func (t *turn) teamReady(say func(string)) bool {
	if t.b.cfg.Teams == nil {
		say("Team decisions are not available here: this stackpick keeps no team decisions.")
		return false
	}
	return true
}

// startTeam starts a team decision in channel owned by the user (named name), invites the
// people named, and asks the owner for their answers; with reuse, the owner's finished answers
// go in at once. say reports problems to the owner, as safe mrkdwn.
func (t *turn) startTeam(ctx context.Context, channel string, invited []string, name string, reuse bool, say func(string)) {
	if !t.teamReady(say) {
		return
	}
	if !slackIDRE.MatchString(channel) || strings.HasPrefix(channel, "D") {
		say("A team decides in a channel: type `/stackpick team` in the team's channel (invite me there first), optionally naming people to invite: `/stackpick team @ana @bob`.")
		return
	}
	if ok := t.checkChannel(ctx, channel, say); !ok {
		return
	}
	invited = slices.DeleteFunc(invited, func(u string) bool { return u == t.b.botUserID })
	d := team.New(newTurnToken(), t.k.User, t.nameOf(ctx, name), invited[:min(len(invited), maxInvited)], t.b.cfg.Now())
	cat, model := t.b.cfg.Engine.Ranker()
	a := team.Analyse(cat, model, &d)
	view := blockkit.Team{Decision: &d, Analysis: &a, Channel: channel}
	parent, err := t.b.web.post(ctx, channel, "", blockkit.TeamParent(view))
	if err != nil {
		t.lg.Error().Err(err).Str("channel_id", channel).Msg("cannot post the team decision")
		say(shareError(err, channel))
		return
	}
	shortlist, err := t.b.web.post(ctx, channel, parent, blockkit.TeamShortlist(view))
	if err != nil {
		t.lg.Warn().Err(err).Msg("cannot post the team shortlist; it is posted with the first answers")
	}
	d.View = teamView{Channel: channel, Parent: parent, Shortlist: shortlist}.encode()
	if _, err := t.b.cfg.Teams.Save(ctx, t.k.Team, d); err != nil {
		t.lg.Error().Err(err).Msg("cannot save the team decision")
		t.postMrkdwn(ctx, channel, parent, "I couldn't save this team decision, so its buttons won't work. Please start it again in a minute with `/stackpick team`.")
		return
	}
	t.lg.Info().Str("decision_id", d.ID).Str("channel_id", channel).Int("invited", len(d.Invited)).Msg("team decision started")
	t.remember(ctx, d.ID)
	for _, u := range d.Invited {
		t.invite(ctx, view, u)
	}
	if reuse {
		t.reuse(ctx, d.ID)
		return
	}
	t.offerAnswers(ctx, d, channel)
}

// checkChannel checks that the bot can post in channel and the user is a member.
func (t *turn) checkChannel(ctx context.Context, channel string, say func(string)) bool {
	info, err := t.b.web.conversationInfo(ctx, channel)
	switch {
	case err != nil:
		t.lg.Warn().Err(err).Str("channel_id", channel).Msg("cannot check the team's channel")
		say(shareError(err, channel))
		return false
	case info.IsArchived:
		say(fmt.Sprintf("<#%s> is archived, so the team can't decide there.", channel))
		return false
	case !info.IsMember:
		say(fmt.Sprintf("I'm not a member of <#%s> yet. Invite me there with `/invite @stackpick`, then start the team decision again.", channel))
		return false
	}
	member, err := t.b.web.isMember(ctx, channel, t.k.User)
	if err != nil {
		t.lg.Warn().Err(err).Msg("cannot check the user's membership of the team's channel")
		say(shareError(err, channel))
		return false
	}
	if !member {
		say(fmt.Sprintf("You can only start a team decision in a channel you are a member of, and you are not in <#%s>.", channel))
	}
	return member
}

// invite asks user, in a DM, to join the decision.
func (t *turn) invite(ctx context.Context, view blockkit.Team, user string) {
	dm, err := t.b.web.dm(ctx, user)
	if err == nil {
		_, err = t.b.web.post(ctx, dm, "", blockkit.TeamInvite(view))
	}
	if err != nil {
		t.lg.Warn().Err(err).Str("invited_id", user).Msg("cannot invite a person to the team decision")
	}
}

// nameOf is how the workspace names the user, for the team's messages and record; fallback
// (how the event named them) when Slack cannot say.
func (t *turn) nameOf(ctx context.Context, fallback string) string {
	name, err := t.b.web.userName(ctx, t.k.User)
	if err == nil {
		return name
	}
	t.lg.Debug().Err(err).Msg("no name for the user; using the event's")
	if fallback == "" {
		return t.k.User
	}
	return fallback
}

func (t *turn) remember(ctx context.Context, id string) {
	if err := t.b.cfg.Teams.Remember(ctx, t.k.Team, t.k.User, id); err != nil {
		t.lg.Warn().Err(err).Str("decision_id", id).Msg("cannot list the team decision on the user's home")
	}
}

// join adds the user (named name) to decision id, then asks for their answers. say explains a
// refusal where the click came from.
func (t *turn) join(ctx context.Context, id, name string, say func(string)) {
	name = t.nameOf(ctx, name)
	d, changed := t.change(ctx, id, say, func(d *team.Decision) (bool, error) { return d.Join(t.k.User, name) })
	if _, ok := d.Participant(t.k.User); !ok {
		return // refused, and said why
	}
	t.remember(ctx, id)
	if !changed {
		t.lg.Debug().Str("decision_id", id).Msg("joined a team decision already joined")
	}
	t.offerAnswers(ctx, d, decodeTeamView(d.View).Channel)
}

// offerAnswers asks a participant for their answers in their DM: one who has a finished
// checklist may bring it; one in the middle of a checklist goes on with it; anyone else starts
// one. The checklist is linked to the decision, so its shortlist brings its answers in.
func (t *turn) offerAnswers(ctx context.Context, d team.Decision, channel string) {
	if p, _ := d.Participant(t.k.User); p.Done {
		t.tellUser(ctx, fmt.Sprintf("Your answers are already in the team decision in <#%s>. Change them in our thread, and the team's shortlist follows.", channel))
		return
	}
	dm, ok := t.openDM(ctx, "")
	if !ok {
		return
	}
	switch {
	case t.st.Exists && t.st.Session.Finished:
		fin, err := t.b.cfg.Engine.Finished(ctx, t.k)
		if err != nil {
			t.lg.Warn().Err(err).Msg("cannot read the finished answers to offer them; starting afresh")
			t.freshFor(ctx, dm, d.ID, channel)
			return
		}
		_, model := t.b.cfg.Engine.Ranker()
		if _, err := t.b.web.post(ctx, dm, "", blockkit.TeamReuse(blockkit.Team{Decision: &d, Channel: channel}, t.st.Session.ID, model.Rank(fin.Answers).Situation, fin.Updated)); err != nil {
			t.lg.Error().Err(err).Msg("cannot offer the finished answers to the team decision")
		}
	case t.st.Exists:
		t.th.Team = d.ID
		t.continueFor(ctx, dm, fmt.Sprintf("The checklist you are answering now counts for the team decision in <#%s>: when you reach your shortlist, your answers join the team's. Your own shortlist stays here, private unless you share it.", channel), dialog.Input{Action: dialog.ActResume})
	default:
		t.freshFor(ctx, dm, d.ID, channel)
	}
}

// freshFor starts a new checklist for decision id in a thread of its own in the user's DM.
func (t *turn) freshFor(ctx context.Context, dm, id, channel string) {
	t.th, t.joining, t.newThread = thread{Channel: dm}, id, true
	t.continueFor(ctx, dm, fmt.Sprintf("Your checklist for the team decision in <#%s> is in the thread below: when you reach your shortlist, your answers join the team's. Your own shortlist stays here, private unless you share it.", channel), dialog.Input{Action: dialog.ActStart})
}

// continueFor says, in the user's DM (in the checklist's thread when there is one), why the
// checklist runs, then runs in.
func (t *turn) continueFor(ctx context.Context, dm, note string, in dialog.Input) {
	if t.th.Channel != dm {
		t.th = thread{Channel: dm, Team: t.th.Team}
	}
	t.postMrkdwn(ctx, dm, t.th.TS, note)
	if _, err := t.run(ctx, in, ""); err != nil {
		t.explain(ctx, dm, err, false)
	}
}

// reuseFor brings the user's finished answers into decision id when they take part in it and the
// offer was made for the checklist they have now (session).
func (t *turn) reuseFor(ctx context.Context, id, session string, say func(string)) {
	if !t.teamReady(say) {
		return
	}
	if _, err := t.takingPart(ctx, id); err != nil {
		say(err.Error())
		return
	}
	if session != t.st.Session.ID {
		say("That offer was for an earlier checklist. Press *Add my answers* on the team decision again to bring the one you have now.")
		return
	}
	t.reuse(ctx, id)
}

// reuse brings the user's finished answers into decision id and links their checklist to it,
// so a later change of an answer reaches the team too.
func (t *turn) reuse(ctx context.Context, id string) {
	if !t.st.Exists || !t.st.Session.Finished {
		t.tellUser(ctx, "You have no finished checklist any more, so there is nothing to bring. Press *Add my answers* on the team decision to answer afresh.")
		return
	}
	t.th.Team = id
	// A turn that changes nothing but the thread record saves the link with the session.
	_, err := t.b.cfg.Engine.Run(ctx, t.k, dialog.Input{Action: dialog.ActStatus}, t.st, func(context.Context, dialog.Reply) dialog.Delivery {
		return dialog.Delivery{View: t.view()}
	})
	if err != nil {
		t.lg.Error().Err(err).Msg("cannot link the checklist to the team decision")
		t.tellUser(ctx, userMessage(err))
		return
	}
	t.saved = true
	t.contribute(ctx)
}

// contribute brings the answers of the user's finished checklist into the team decision it is
// linked to, and tells the user the first time. A decision the user left, or that closed, keeps
// what it had.
func (t *turn) contribute(ctx context.Context) {
	id := t.th.Team
	fin, err := t.b.cfg.Engine.Finished(ctx, t.k)
	if err != nil {
		t.lg.Warn().Err(err).Str("decision_id", id).Msg("no finished answers to bring to the team decision")
		return
	}
	first := false
	d, changed, err := team.Update(ctx, t.b.cfg.Teams, t.k.Team, id, func(d *team.Decision) (bool, error) {
		p, _ := d.Participant(t.k.User)
		first = !p.Done
		return d.Contribute(t.k.User, fin.Answers, fin.Unsure)
	})
	switch {
	case errors.Is(err, team.ErrNotParticipant), errors.Is(err, team.ErrClosed), errors.Is(err, team.ErrNotFound):
		t.lg.Debug().Err(err).Str("decision_id", id).Msg("answers not brought to the team decision")
		return
	case err != nil:
		t.lg.Error().Err(err).Str("decision_id", id).Msg("cannot bring the answers to the team decision")
		t.tellUser(ctx, "I couldn't add your answers to the team decision just now. They are safe here; change any answer, or press Use my answers again, in a minute.")
		return
	case !changed:
		return
	}
	t.lg.Info().Str("decision_id", id).Msg("answers brought to the team decision")
	t.refresh(ctx, id)
	if first {
		v := decodeTeamView(d.View)
		t.postMrkdwn(ctx, t.th.Channel, t.th.TS, fmt.Sprintf("Your answers are in the team decision in <#%s>; the team's shortlist there follows any change you make here. Your own shortlist stays private unless you share it.", v.Channel))
	}
}

// afresh starts a new checklist for decision id, for a participant who had a finished one.
func (t *turn) afresh(ctx context.Context, id string) {
	d, err := t.takingPart(ctx, id)
	if err != nil {
		t.tellUser(ctx, err.Error())
		return
	}
	dm, ok := t.openDM(ctx, "")
	if ok {
		t.freshFor(ctx, dm, id, decodeTeamView(d.View).Channel)
	}
}

// takingPart loads decision id, open and with the user taking part; otherwise the error's text
// is the refusal to show them, as safe mrkdwn.
func (t *turn) takingPart(ctx context.Context, id string) (team.Decision, error) {
	d, err := t.b.cfg.Teams.Load(ctx, t.k.Team, id)
	if err == nil && d.Closed() {
		err = team.ErrClosed
	} else if _, ok := d.Participant(t.k.User); err == nil && !ok {
		err = team.ErrNotParticipant
	}
	if err != nil {
		return d, errors.New(t.teamRefusal(err, &d))
	}
	return d, nil
}

// withdraw takes the user's answers (and ballot) out of decision id.
func (t *turn) withdraw(ctx context.Context, id string, say func(string)) {
	t.change(ctx, id, say, func(d *team.Decision) (bool, error) { return d.Withdraw(t.k.User) })
}

// closeJoining stops others joining decision id (the owner only).
func (t *turn) closeJoining(ctx context.Context, id string, say func(string)) {
	t.change(ctx, id, say, func(d *team.Decision) (bool, error) { return d.CloseJoining(t.k.User) })
}

// vote records the user's ballot for framework in decision id, clicked at at.
func (t *turn) vote(ctx context.Context, id, framework string, at time.Time, say func(string)) {
	t.change(ctx, id, say, func(d *team.Decision) (bool, error) { return d.Cast(t.k.User, framework, at) })
}

// change applies a change to decision id and shows it in the channel, or explains a refusal.
func (t *turn) change(ctx context.Context, id string, say func(string), change func(*team.Decision) (bool, error)) (team.Decision, bool) {
	d, changed := t.apply(ctx, id, say, change)
	if changed {
		t.refresh(ctx, id)
	}
	return d, changed
}

// apply applies a change to decision id, or explains a refusal, and leaves showing it to the
// caller (which has more to do first).
func (t *turn) apply(ctx context.Context, id string, say func(string), change func(*team.Decision) (bool, error)) (team.Decision, bool) {
	if !t.teamReady(say) {
		return team.Decision{}, false
	}
	var loaded team.Decision
	d, changed, err := team.Update(ctx, t.b.cfg.Teams, t.k.Team, id, func(d *team.Decision) (bool, error) {
		loaded = d.Clone()
		return change(d)
	})
	if err != nil {
		t.lg.Info().Err(err).Str("decision_id", id).Msg("team decision change refused")
		say(t.teamRefusal(err, &loaded))
		return d, false
	}
	return d, changed
}

// openVote opens the vote (the owner only) on the frameworks picked that the team's ranking
// considers, best first; with none picked, on the shortlist's.
func (t *turn) openVote(ctx context.Context, id string, picked []string, say func(string)) {
	cat, model := t.b.cfg.Engine.Ranker()
	// Shown once its message is posted (setView), so the channel never says a vote is open that
	// it cannot show.
	d, _ := t.apply(ctx, id, say, func(d *team.Decision) (bool, error) {
		if d.Vote != nil {
			return false, nil // a double click, or a vote whose message is still to post
		}
		a := team.Analyse(cat, model, d)
		if a.Counted == 0 {
			return false, errNoAnswersYet
		}
		ballot := blockkit.TeamBallot(&a)
		if len(picked) > 0 {
			ballot = nil
			for _, e := range a.Result.Shortlist {
				if slices.Contains(picked, e.ID) {
					ballot = append(ballot, e.ID)
				}
			}
		}
		return true, d.OpenVote(t.k.User, ballot)
	})
	v := decodeTeamView(d.View)
	if d.Vote == nil || d.Closed() || v.Vote != "" {
		return
	}
	a := team.Analyse(cat, model, &d)
	ts, err := t.b.web.post(ctx, v.Channel, v.Parent, blockkit.TeamVote(blockkit.Team{Decision: &d, Analysis: &a, Channel: v.Channel}))
	if err != nil {
		t.lg.Error().Err(err).Msg("cannot post the team vote")
		say("I opened the vote but couldn't post it in the thread. Press *Open the vote* again in a minute.")
		return
	}
	t.setView(ctx, id, func(v *teamView) { v.Vote = ts })
}

// errNoAnswersYet refuses a vote before anyone's answers are in.
var errNoAnswersYet = errors.New("no answers yet")

// setView changes the decision's view (where it lives in Slack) and shows the decision again.
func (t *turn) setView(ctx context.Context, id string, set func(*teamView)) {
	_, _, err := team.Update(ctx, t.b.cfg.Teams, t.k.Team, id, func(d *team.Decision) (bool, error) {
		v := decodeTeamView(d.View)
		set(&v)
		d.View = v.encode()
		return true, nil
	})
	if err != nil {
		t.lg.Error().Err(err).Str("decision_id", id).Msg("cannot record where the team decision is shown")
	}
	t.refresh(ctx, id)
}

// closeDecision closes decision id (the owner only): the vote's winner, or the team's first
// choice, is decided; the record is written as a channel canvas (or a file) and bookmarked, and
// a revisit reminder scheduled in the thread.
func (t *turn) closeDecision(ctx context.Context, id string, say func(string)) {
	cat, model := t.b.cfg.Engine.Ranker()
	var a team.Analysis
	d, changed := t.apply(ctx, id, say, func(d *team.Decision) (bool, error) {
		a = team.Analyse(cat, model, d)
		if a.Counted == 0 {
			return false, errNoAnswersYet
		}
		var ranked []string
		for _, e := range a.Result.Shortlist {
			ranked = append(ranked, e.ID)
		}
		// With nobody's vote, the team's first choice is chosen unless the ranking names none.
		return true, d.Close(t.k.User, ranked, a.Result.Confidence.Level != ranking.Low, t.b.cfg.Now())
	})
	if !changed {
		return
	}
	v := decodeTeamView(d.View)
	t.lg.Info().Str("decision_id", id).Str("chosen", d.Outcome.Chosen).Msg("team decision closed")
	link := t.teamRecord(ctx, d, a, v)
	revisit := t.scheduleRevisit(ctx, d, a, v, link)
	t.setView(ctx, id, func(v *teamView) { v.Record, v.Revisit = link, revisit })
	view := blockkit.Team{Decision: &d, Analysis: &a, Channel: v.Channel, Record: link}
	if revisit > 0 {
		view.Revisit = time.Unix(revisit, 0)
	}
	t.postMessage(ctx, v.Channel, v.Parent, blockkit.TeamClosed(view))
}

// teamRecord writes the decision record of a closed decision in the channel and bookmarks it,
// returning its link ("" when it could not be written; the thread is told why).
func (t *turn) teamRecord(ctx context.Context, d team.Decision, a team.Analysis, v teamView) string {
	rec := teamDecisionRecord(d, a, t.b.cfg.Engine.Catalog(), t.b.cfg.Now())
	title, canvas := record.Title(rec), record.Canvas(rec)
	id, err := t.b.web.channelCanvas(ctx, v.Channel, title, canvas)
	if slackError(err) == "channel_canvas_already_exists" {
		id, err = t.b.web.sharedCanvas(ctx, v.Channel, title, canvas)
		if err != nil && id != "" {
			t.lg.Warn().Err(err).Str("canvas_id", id).Msg("created the team's record, but cannot open it to the channel")
			t.postMrkdwn(ctx, v.Channel, v.Parent, "I wrote the decision record, but Slack didn't let me open it to the channel's members, so some may not be able to read it. Ask a workspace admin to let stackpick share canvases.")
			err = nil
		}
	}
	link := ""
	switch code := slackError(err); {
	case err == nil:
		link = t.b.canvasURL(id)
	case slices.Contains(noCanvases, code):
		fileID, ferr := t.shareRecordFile(ctx, v.Channel, v.Parent, rec, "the team's", code)
		if ferr == nil {
			link, ferr = t.b.web.permalink(ctx, fileID)
		}
		if ferr != nil {
			t.lg.Error().Err(ferr).Msg("cannot share the team's decision record as a file")
			t.postMrkdwn(ctx, v.Channel, v.Parent, exportFailed(ferr))
			return ""
		}
	default:
		t.lg.Error().Err(err).Msg("cannot create the team's decision record")
		t.postMrkdwn(ctx, v.Channel, v.Parent, exportFailed(err))
		return ""
	}
	if err := t.b.web.bookmark(ctx, v.Channel, blockkit.BookmarkTitle(title), link); err != nil {
		t.lg.Warn().Err(err).Msg("cannot bookmark the team's decision record")
		t.postMrkdwn(ctx, v.Channel, v.Parent, "I couldn't bookmark the decision record in the channel"+slackSaid(err)+"; its link is in this thread.")
	}
	return link
}

// scheduleRevisit schedules the reminder to revisit the decision in its thread, and returns when
// it is due (Unix seconds), or 0 when it could not be scheduled.
func (t *turn) scheduleRevisit(ctx context.Context, d team.Decision, a team.Analysis, v teamView, link string) int64 {
	at := t.b.cfg.Now().Add(t.b.revisit())
	m := blockkit.TeamRevisit(blockkit.Team{Decision: &d, Analysis: &a, Channel: v.Channel, Record: link})
	if _, err := t.b.web.schedule(ctx, v.Channel, v.Parent, at, m); err != nil {
		t.lg.Warn().Err(err).Msg("cannot schedule the revisit reminder")
		t.postMrkdwn(ctx, v.Channel, v.Parent, "I couldn't schedule the reminder to revisit this decision"+slackSaid(err)+"; set one yourself for when the proof of concept should be done.")
		return 0
	}
	return at.Unix()
}

// revisit is how long after closing a decision its reminder is due, within Slack's limit.
func (b *Bot) revisit() time.Duration {
	if b.cfg.Revisit <= 0 {
		return DefaultRevisit
	}
	return min(b.cfg.Revisit, MaxRevisit)
}

// teamDecisionRecord is the record of a closed decision: the team's merged ranking, the
// participants as deciders, the disagreements with how each was settled, and the vote.
func teamDecisionRecord(d team.Decision, a team.Analysis, cat *catalog.Catalog, now time.Time) record.Decision {
	rec := record.Decision{Date: now, Result: a.Result, Seeds: cat.Seeds, Open: cat.Open(a.Answers)}
	names := map[string]string{}
	for _, p := range d.Joined() {
		rec.Deciders = append(rec.Deciders, p.Name)
		names[p.User] = p.Name
	}
	tm := &record.Team{Participants: a.Counted, Chosen: d.Outcome.Chosen}
	top := ""
	if len(a.Result.Shortlist) > 0 {
		top = a.Result.Shortlist[0].Name
	}
	for _, group := range []struct {
		ds      []team.Disagreement
		matters bool
	}{{a.Matters, true}, {a.Minor, false}} {
		for _, dis := range group.ds {
			tm.Disagreements = append(tm.Disagreements, record.Disagreement{Question: dis.Short, Text: dis.Text(top), Settled: dis.Settled(), Matters: group.matters})
		}
	}
	for _, c := range d.Outcome.Tally {
		b := record.Ballot{Framework: c.Framework}
		if e, ok := a.Result.Entry(c.Framework); ok {
			b.Framework = e.Name
		}
		for _, u := range c.Users {
			b.Voters = append(b.Voters, names[u])
		}
		tm.Vote = append(tm.Vote, b)
	}
	rec.Team = tm
	return rec
}

// slackSaid is " (Slack said <code>)" for a Web API refusal, "" for anything else.
func slackSaid(err error) string {
	if code := slackError(err); code != "" {
		return " (Slack said " + blockkit.Escape(code) + ")"
	}
	return ""
}

// refresh shows decision id as it is now in its channel: the parent message, the team shortlist
// and the vote, updated in place. When the decision changed meanwhile (another participant, on
// this or another replica), it renders again, so the messages never stay behind what is stored.
func (t *turn) refresh(ctx context.Context, id string) {
	cat, model := t.b.cfg.Engine.Ranker()
	d, err := t.b.cfg.Teams.Load(ctx, t.k.Team, id)
	for round := 1; err == nil; round++ {
		a := team.Analyse(cat, model, &d)
		v := decodeTeamView(d.View)
		view := blockkit.Team{Decision: &d, Analysis: &a, Channel: v.Channel, Record: v.Record}
		if v.Revisit > 0 {
			view.Revisit = time.Unix(v.Revisit, 0)
		}
		t.edit(ctx, v.Channel, v.Parent, blockkit.TeamParent(view))
		if v.Shortlist == "" {
			t.postShortlist(ctx, id, v, view)
		}
		t.edit(ctx, v.Channel, v.Shortlist, blockkit.TeamShortlist(view))
		t.edit(ctx, v.Channel, v.Vote, blockkit.TeamVote(view))
		shown := d.Version
		if d, err = t.b.cfg.Teams.Load(ctx, t.k.Team, id); err == nil && d.Version == shown {
			return
		}
		if round == refreshRounds {
			t.lg.Warn().Str("decision_id", id).Msg("the team decision kept changing while it was shown; the next change shows it again")
			return
		}
	}
	t.lg.Warn().Err(err).Str("decision_id", id).Msg("cannot load the team decision to show it")
}

// postShortlist posts the team shortlist of a decision whose shortlist could not be posted at
// its start, and records where; the next refresh shows it as it is.
func (t *turn) postShortlist(ctx context.Context, id string, v teamView, view blockkit.Team) {
	ts, err := t.b.web.post(ctx, v.Channel, v.Parent, blockkit.TeamShortlist(view))
	if err != nil {
		t.lg.Warn().Err(err).Msg("cannot post the team shortlist; the next change tries again")
		return
	}
	_, _, err = team.Update(ctx, t.b.cfg.Teams, t.k.Team, id, func(d *team.Decision) (bool, error) {
		dv := decodeTeamView(d.View)
		dv.Shortlist = ts
		d.View = dv.encode()
		return true, nil
	})
	if err != nil {
		t.lg.Error().Err(err).Msg("cannot record where the team shortlist is")
	}
}

// edit updates message ts (when there is one) in channel, paced; a failure is logged.
func (t *turn) edit(ctx context.Context, channel, ts string, m blockkit.Message) {
	if ts == "" {
		return
	}
	if err := t.b.web.edit(ctx, channel, ts, m); err != nil {
		t.lg.Warn().Err(err).Str("ts", ts).Msg("cannot update a team decision's message")
	}
}

// postMessage posts m in channel's thread threadTS; a failure is logged.
func (t *turn) postMessage(ctx context.Context, channel, threadTS string, m blockkit.Message) {
	if _, err := t.b.web.post(ctx, channel, threadTS, m); err != nil {
		t.lg.Error().Err(err).Msg("cannot post in the team decision's thread")
	}
}

// teamRefusal explains, as safe mrkdwn, why a change to a team decision was refused; d is the
// decision as loaded, when it was.
func (t *turn) teamRefusal(err error, d *team.Decision) string {
	owner := "its owner"
	if d != nil && d.Owner != "" {
		owner = fmt.Sprintf("<@%s>", d.Owner)
	}
	switch {
	case errors.Is(err, team.ErrNotFound):
		return "That team decision has expired or never existed. Start a new one with `/stackpick team` in the team's channel."
	case errors.Is(err, team.ErrClosed):
		return "That team decision is closed, so nothing more can change. Start a new one with `/stackpick team`."
	case errors.Is(err, team.ErrJoiningClosed):
		return "Joining this team decision is closed. Ask " + owner + " if you should take part."
	case errors.Is(err, team.ErrTooMany):
		return fmt.Sprintf("This team decision already has %d people taking part, as many as it can.", team.MaxParticipants)
	case errors.Is(err, team.ErrNotOwner):
		return "Only " + owner + ", who started this team decision, can do that."
	case errors.Is(err, team.ErrNotParticipant) && d != nil && d.Owner == t.k.User:
		return "You started this team decision, so you can't withdraw from it; close it instead."
	case errors.Is(err, team.ErrNotParticipant):
		return "You're not taking part in this team decision: press *Add my answers* on it first."
	case errors.Is(err, team.ErrNoVote), errors.Is(err, team.ErrNotOnBallot):
		return "That ballot is from an earlier vote. Use the vote in the thread as it is now."
	case errors.Is(err, team.ErrBallotSize):
		return fmt.Sprintf("A vote is on 2 to %d frameworks: pick them in *Frameworks to vote on*, then press *Open the vote*.", team.MaxBallot)
	case errors.Is(err, errNoAnswersYet):
		return "Nobody's answers are in yet, so there is nothing to vote on or decide. Wait for the first shortlist in the thread."
	case errors.Is(err, team.ErrConflict):
		return "Many changes reached the team decision at once. Please try that again."
	}
	t.lg.Error().Err(err).Msg("team decision store failed")
	return "I can't reach the team decision right now, so nothing was changed. Please try again in a minute."
}

// home lists the user's open team decisions for App Home.
func (t *turn) homeTeams(ctx context.Context) []blockkit.HomeTeam {
	if t.b.cfg.Teams == nil {
		return nil
	}
	ids, err := t.b.cfg.Teams.Mine(ctx, t.k.Team, t.k.User, homeTeamsLooked)
	if err != nil {
		t.lg.Warn().Err(err).Msg("cannot list the user's team decisions")
		return nil
	}
	var out []blockkit.HomeTeam
	for _, id := range ids {
		d, err := t.b.cfg.Teams.Load(ctx, t.k.Team, id)
		if err != nil || d.Closed() {
			continue
		}
		if _, ok := d.Participant(t.k.User); !ok {
			continue
		}
		if len(out) == maxHomeTeams {
			break
		}
		v := decodeTeamView(d.View)
		out = append(out, blockkit.HomeTeam{Channel: v.Channel, Owner: d.Owner, Link: t.b.messageURL(v.Channel, v.Parent),
			Answered: len(d.Counted()), Joined: len(d.Joined()), Voting: d.Vote != nil})
	}
	return out
}

// messageURL links to message ts of channel in the bot's workspace.
func (b *Bot) messageURL(channel, ts string) string {
	return b.workspaceURL + "archives/" + channel + "/p" + strings.ReplaceAll(ts, ".", "")
}
