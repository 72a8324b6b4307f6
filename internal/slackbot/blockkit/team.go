package blockkit

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/team"
)

// Action ids of a team decision's controls, whose value is an encoded TeamControl.
const (
	ActTeamJoin         = "team_join"     // join and add my answers
	ActTeamWithdraw     = "team_withdraw" // take my answers out
	ActTeamCloseJoining = "team_close_joining"
	ActTeamOpenVote     = "team_open_vote"
	ActTeamVotePrefix   = "team_vote:" // "team_vote:<framework id>": a ballot
	ActTeamClose        = "team_close" // close the vote and decide
	ActTeamReuse        = "team_reuse" // use my finished answers
	ActTeamAfresh       = "team_afresh"
	// ActTeamStart is the conversations select on a result that starts a team decision in the
	// channel picked, with the user's answers (its Control rides in the block id).
	ActTeamStart = "team_start"
)

// TeamControl is what a team decision's button carries: the decision and, for a ballot, the
// framework.
type TeamControl struct {
	Decision  string
	Framework string
}

const teamControlKind = "team"

// Encode packs the control into a button value.
func (c TeamControl) Encode() string {
	return strings.Join([]string{teamControlKind, c.Decision, c.Framework}, controlSep)
}

// DecodeTeamControl reverses Encode; it fails on a value this package did not encode.
func DecodeTeamControl(s string) (TeamControl, error) {
	parts := strings.Split(s, controlSep)
	if len(parts) != 3 || parts[0] != teamControlKind || parts[1] == "" {
		return TeamControl{}, fmt.Errorf("team control %q: not one of ours", s)
	}
	return TeamControl{Decision: parts[1], Framework: parts[2]}, nil
}

// Team is what a team decision's messages show.
type Team struct {
	Decision *team.Decision
	Analysis *team.Analysis
	// Channel is where the team decides.
	Channel string
	// Record links to the decision record once closed; Revisit is when the revisit reminder is
	// due (zero when none was scheduled).
	Record  string
	Revisit time.Time
}

const (
	teamTop        = 3  // frameworks of the team shortlist, and on the ballot by default
	maxTeamShown   = 25 // participants named in a list
	maxMattersLine = 5  // disagreements that change the first choice, listed one by one
)

func teamButton(actionID, label string, c TeamControl) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, c.Encode(), plain(label, maxButtonText))
}

// participantsLine names who takes part and who has finished: "Ana ✓, Bob (answering)".
func participantsLine(d *team.Decision) string {
	joined := d.Joined()
	names := make([]string, 0, min(len(joined), maxTeamShown))
	for i, p := range joined {
		if i == maxTeamShown {
			names = append(names, fmt.Sprintf("and %d more", len(joined)-i))
			break
		}
		if p.Done {
			names = append(names, esc(p.Name)+" ✓")
		} else {
			names = append(names, esc(p.Name)+" _(answering)_")
		}
	}
	return fmt.Sprintf("*Taking part (%d answered of %d):* %s", len(d.Counted()), len(joined), strings.Join(names, ", "))
}

// TeamParent is the message in the channel that a team decision's thread hangs from: who
// started it, who takes part, where it stands, and the controls to join or withdraw (and, for
// the owner, to close joining).
func TeamParent(t Team) Message {
	d := t.Decision
	c := TeamControl{Decision: d.ID}
	title := fmt.Sprintf("*<@%s> is choosing a backend framework with the team*", d.Owner)
	status := "Press *Add my answers* to answer the checklist in a DM with me; your answers are merged with the team's here, in the thread."
	switch {
	case d.Closed():
		status = "*Decided:* " + esc(chosenName(t)) + recordNote(t)
	case d.Vote != nil:
		status = "*The vote is open* in the thread."
	case d.JoiningClosed:
		status = "Joining is closed; those taking part are answering."
	}
	blocks := []slack.Block{section(title + "\n" + status), contextText(participantsLine(d))}
	if !d.Closed() {
		buttons := []slack.BlockElement{teamButton(ActTeamWithdraw, "Withdraw my answers", c)}
		if !d.JoiningClosed {
			buttons = append([]slack.BlockElement{teamButton(ActTeamJoin, "Add my answers", c).WithStyle(slack.StylePrimary)}, buttons...)
			buttons = append(buttons, teamButton(ActTeamCloseJoining, "Close joining", c))
		}
		blocks = append(blocks, slack.NewActionBlock("team|"+d.ID, buttons...))
	}
	return Message{Text: fallback(fmt.Sprintf("<@%s> is choosing a backend framework with the team", d.Owner)), Blocks: blocks}
}

func chosenName(t Team) string {
	if t.Decision.Outcome == nil || t.Decision.Outcome.Chosen == "" {
		return "nothing chosen"
	}
	return frameworkName(t.Analysis, t.Decision.Outcome.Chosen)
}

func recordNote(t Team) string {
	if t.Record == "" {
		return ""
	}
	return fmt.Sprintf(" · <%s|Decision record>", t.Record)
}

// frameworkName is the name of framework id in the analysis' ranking, or the id.
func frameworkName(a *team.Analysis, id string) string {
	for _, e := range a.Result.Shortlist {
		if e.ID == id {
			return e.Name
		}
	}
	return id
}

// TeamShortlist is the team's shortlist in the thread, updated in place as answers come: the
// first choices for the merged answers, then the disagreements that change the first choice, one
// line for those that do not, and (for the owner) the control that opens the vote.
func TeamShortlist(t Team) Message {
	d, a := t.Decision, t.Analysis
	if a.Counted == 0 {
		text := "*Team shortlist*\nNobody has finished the checklist yet. The shortlist appears here when the first answers are in."
		return Message{Text: "Team shortlist: waiting for the first answers", Blocks: []slack.Block{section(text)}}
	}
	res := &a.Result
	blocks := []slack.Block{
		section(fmt.Sprintf("*Team shortlist* for the merged answers of %d %s", a.Counted, plural(a.Counted, "person", "people"))),
		contextText(esc(situation(res.Situation))),
	}
	if text := res.ConfidenceText(); text != "" {
		blocks = append(blocks, contextText(esc(text)))
	}
	choices := res.Choices(teamTop)
	var names []string
	for _, i := range choices {
		e := res.Shortlist[i]
		names = append(names, esc(e.Name))
		blocks = append(blocks, sectionN(entryText(rankMark(res.Place(i), res.Confidence.Level), e, 1, maxEntryText), maxEntryText))
	}
	top := res.Shortlist[0].Name
	if len(a.Matters) > 0 {
		lines := make([]string, 0, maxMattersLine)
		for i, dis := range a.Matters {
			if i == maxMattersLine {
				lines = append(lines, fmt.Sprintf("…and %d more", len(a.Matters)-i))
				break
			}
			lines = append(lines, fmt.Sprintf("• *%s:* %s", esc(dis.Short), esc(dis.Text(top))))
		}
		blocks = append(blocks, listSections("*Disagreements that change the first choice*", lines)...)
	}
	if text := team.MinorText(a.Minor); text != "" {
		blocks = append(blocks, contextText(esc(text)))
	}
	if len(a.Tied) > 0 {
		blocks = append(blocks, contextText(esc(fmt.Sprintf("Split evenly, so left open: %d %s.", len(a.Tied), plural(len(a.Tied), "question", "questions")))))
	}
	if !d.Closed() && d.Vote == nil {
		blocks = append(blocks, slack.NewActionBlock("team_vote|"+d.ID, teamButton(ActTeamOpenVote, "Open a vote on these", TeamControl{Decision: d.ID})))
		blocks = append(blocks, contextText(fmt.Sprintf("Only <@%s> can open the vote.", d.Owner)))
	}
	return Message{Text: fallback("Team shortlist: " + strings.Join(names, ", ")), Blocks: blocks}
}

// TeamVote is the vote in the thread: a button per framework, the counts with names, and (for
// the owner) the control that closes it and decides; once closed, the outcome.
func TeamVote(t Team) Message {
	d := t.Decision
	tally := d.Tally()
	if d.Closed() {
		tally = d.Outcome.Tally
	}
	lines := make([]string, 0, len(tally))
	for _, c := range tally {
		var names []string
		for _, u := range c.Users {
			if p, ok := d.Participant(u); ok {
				names = append(names, esc(p.Name))
			}
		}
		line := fmt.Sprintf("• *%s*: %d", esc(frameworkName(t.Analysis, c.Framework)), len(c.Users))
		if len(names) > 0 {
			line += " (" + strings.Join(names, ", ") + ")"
		}
		lines = append(lines, line)
	}
	title := "*Vote: which framework does the team pick?* One vote each; you can change yours until the vote closes."
	if d.Closed() {
		title = "*The vote is closed.* Decided: *" + esc(chosenName(t)) + "*" + recordNote(t)
	}
	blocks := listSections(title, lines)
	if !d.Closed() && d.Vote != nil {
		var buttons []slack.BlockElement
		for _, f := range d.Vote.Options {
			buttons = append(buttons, teamButton(ActTeamVotePrefix+f, frameworkName(t.Analysis, f), TeamControl{Decision: d.ID, Framework: f}))
		}
		blocks = append(blocks,
			slack.NewActionBlock("ballot|"+d.ID, buttons...),
			slack.NewActionBlock("close|"+d.ID, teamButton(ActTeamClose, "Close the vote and decide", TeamControl{Decision: d.ID}).WithStyle(slack.StyleDanger)),
			contextText(fmt.Sprintf("Only <@%s> can close the vote.", d.Owner)))
	}
	return Message{Text: fallback("Team vote: " + strings.Join(lines, " ")), Blocks: blocks}
}

// TeamInvite is the DM to a person invited to a team decision.
func TeamInvite(t Team) Message {
	d := t.Decision
	text := fmt.Sprintf("<@%s> invited you to choose a backend framework with the team in <#%s>. Answer the checklist here; your answers are merged with the team's, and what you answer stays private unless you share it.", d.Owner, t.Channel)
	return Message{Text: fallback(text), Blocks: []slack.Block{
		section(text),
		slack.NewActionBlock("team|"+d.ID, teamButton(ActTeamJoin, "Add my answers", TeamControl{Decision: d.ID}).WithStyle(slack.StylePrimary)),
	}}
}

// TeamReuse asks, in a DM, whether a person who has a finished checklist (finished on day)
// brings those answers to the team decision or answers afresh.
func TeamReuse(t Team, facts []ranking.Fact, day time.Time) Message {
	c := TeamControl{Decision: t.Decision.ID}
	text := fmt.Sprintf("You joined the team decision in <#%s>. You finished a checklist on %s: bring those answers, or answer afresh?", t.Channel, day.UTC().Format("2 January 2006"))
	return Message{Text: fallback(text), Blocks: []slack.Block{
		section(text),
		contextText(esc(situation(facts))),
		slack.NewActionBlock("team|"+t.Decision.ID,
			teamButton(ActTeamReuse, "Use my answers", c).WithStyle(slack.StylePrimary),
			teamButton(ActTeamAfresh, "Answer afresh", c)),
	}}
}

// TeamClosed is the thread's last word on a decision: what was chosen, how, the record and the
// revisit date.
func TeamClosed(t Team) Message {
	d := t.Decision
	how := "the team's first choice (no votes were cast)"
	if o := d.Outcome; len(o.Tally) > 0 && len(o.Tally[0].Users) > 0 {
		how = fmt.Sprintf("the vote, %s", tallyText(t, o.Tally))
	}
	text := fmt.Sprintf("*Decided: %s*, by %s.", esc(chosenName(t)), how)
	if t.Record != "" {
		text += fmt.Sprintf("\nThe decision record: <%s|%s>.", t.Record, "open it")
	}
	if !t.Revisit.IsZero() {
		text += fmt.Sprintf("\nI'll remind this thread to revisit it on %s, when the proof of concept should be done.", t.Revisit.UTC().Format("2 January 2006"))
	}
	return Message{Text: fallback(fmt.Sprintf("Decided: %s", esc(chosenName(t)))), Blocks: []slack.Block{section(text)}}
}

// tallyText is "3 for Django, 1 for FastAPI".
func tallyText(t Team, tally []team.Count) string {
	var parts []string
	for _, c := range tally {
		if len(c.Users) > 0 {
			parts = append(parts, fmt.Sprintf("%d for %s", len(c.Users), esc(frameworkName(t.Analysis, c.Framework))))
		}
	}
	return strings.Join(parts, ", ")
}

// TeamRevisit is the reminder scheduled in the thread for the end of the proof of concept.
func TeamRevisit(t Team) Message {
	text := fmt.Sprintf("*Time to revisit the team's choice of %s.* The proof of concept should be done: did it confirm the choice? If not, start again with `/stackpick team`.", esc(chosenName(t)))
	if t.Record != "" {
		text += fmt.Sprintf(" The decision record: <%s|open it>.", t.Record)
	}
	return Message{Text: fallback(fmt.Sprintf("Time to revisit the team's choice of %s", esc(chosenName(t)))), Blocks: []slack.Block{section(text)}}
}

// HomeTeam is one open team decision listed on the App Home tab.
type HomeTeam struct {
	Channel, Owner string
	Link           string // to the decision's message in the channel
	Answered       int
	Joined         int
	Voting         bool
}

func homeTeamLine(h HomeTeam) string {
	state := fmt.Sprintf("%d of %d answered", h.Answered, h.Joined)
	if h.Voting {
		state += ", vote open"
	}
	return fmt.Sprintf("• <%s|Team decision> in <#%s>, started by <@%s>: %s", h.Link, h.Channel, h.Owner, state)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
