package blockkit

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
	// ActTeamBallot is the multi-select, beside Open the vote, of the frameworks to vote on;
	// picking sends nothing to act on: the button reads the pick from the click's state.
	ActTeamBallot     = "team_ballot"
	ActTeamVotePrefix = "team_vote:" // "team_vote:<framework id>": a ballot
	ActTeamClose      = "team_close" // close the vote and decide
	ActTeamReuse      = "team_reuse" // use my finished answers
	ActTeamAfresh     = "team_afresh"
	// ActTeamStart is the conversations select on a result that starts a team decision in the
	// channel picked, with the user's answers (its Control rides in the block id).
	ActTeamStart = "team_start"
)

// TeamControl is what a team decision's button carries: the decision and, for a ballot, the
// framework.
type TeamControl struct {
	Decision  string
	Framework string
	// Session is the conversation a Use my answers offer brings in, so an offer made for an
	// earlier checklist is recognised as stale.
	Session string
}

const teamControlKind = "team"

// Encode packs the control into a button value.
func (c TeamControl) Encode() string {
	return strings.Join([]string{teamControlKind, c.Decision, c.Framework, c.Session}, controlSep)
}

// DecodeTeamControl reverses Encode; it fails on a value this package did not encode.
func DecodeTeamControl(s string) (TeamControl, error) {
	parts := strings.Split(s, controlSep)
	if len(parts) != 4 || parts[0] != teamControlKind || parts[1] == "" {
		return TeamControl{}, fmt.Errorf("team control %q: not one of ours", s)
	}
	return TeamControl{Decision: parts[1], Framework: parts[2], Session: parts[3]}, nil
}

// Team is what a team decision's messages show. Analysis may be nil for the invite and the reuse
// DM, which show none of it.
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

// Rendering budget of a team decision's messages, within the message budget of render.go.
const (
	maxNameText     = 60  // a participant's name, escaped
	maxMatters      = 5   // disagreements that change the first choice, listed one by one
	maxMatterText   = 550 // one of them
	maxBallot       = 100 // frameworks on the ballot, as buttons
	ballotPerBlock  = 25  // buttons in one actions block: Slack's limit
	maxVoteLineText = 600 // a framework's votes and its voters
)

// BookmarkTitle is the channel bookmark's title for the decision record titled title, held to
// what a bookmark shows.
func BookmarkTitle(title string) string { return clip("Decision: "+title, maxBookmarkTitle) }

// maxBookmarkTitle is how much of a bookmark's title the channel header shows.
const maxBookmarkTitle = 60

// BallotBlock is the block id of a decision's Open the vote controls, whose picker's selection
// the click's state holds under ActTeamBallot.
func BallotBlock(decision string) string { return "team_vote|" + decision }

// ballotPicker offers the frameworks the team's ranking considers, best first, as many as a vote
// may have, the shortlist's preselected: the owner may put others on the ballot.
func ballotPicker(a *team.Analysis) *slack.MultiSelectBlockElement {
	var opts, picked []*slack.OptionBlockObject
	ballot := TeamBallot(a)
	for _, e := range a.Result.Shortlist[:min(len(a.Result.Shortlist), team.MaxBallot)] {
		o := option(e.ID, e.Name)
		opts = append(opts, o)
		if slices.Contains(ballot, e.ID) {
			picked = append(picked, o)
		}
	}
	ms := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain("Frameworks to vote on", maxPlaceholder), ActTeamBallot, opts...)
	most := team.MaxBallot
	ms.InitialOptions, ms.MaxSelectedItems = picked, &most
	return ms
}

// TeamBallot is the frameworks the team shortlist shows, in its order: those its ballot picker
// preselects, and the bot's ballot when nothing is picked (team.Decision.OpenVote).
func TeamBallot(a *team.Analysis) []string {
	if a == nil || a.Counted == 0 {
		return nil
	}
	var ids []string
	for _, i := range a.Result.Choices(compactTop) {
		ids = append(ids, a.Result.Shortlist[i].ID)
	}
	return ids
}

func teamButton(actionID, label string, c TeamControl) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, c.Encode(), plain(label, maxButtonText))
}

// confirm is the dialog that asks before an action that cannot be undone.
func confirm(title, text, yes string) *slack.ConfirmationBlockObject {
	return slack.NewConfirmationBlockObject(plain(title, 100), plain(text, 300), plain(yes, 30), plain("Not yet", 30))
}

// ownerNote says who may use the owner's controls: everyone sees them, the bot refuses others.
func ownerNote(d *team.Decision, may string) *slack.ContextBlock {
	return contextText(fmt.Sprintf("Only <@%s>, who started this decision, can %s.", d.Owner, may))
}

// escClip escapes s and holds the result to n characters, cutting s (never an entity) and
// marking the cut.
func escClip(s string, n int) string {
	if e := esc(s); utf8.RuneCountInString(e) <= n {
		return e
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		piece := esc(string(r))
		if used+utf8.RuneCountInString(piece) > n-1 {
			break
		}
		b.WriteString(piece)
		used += utf8.RuneCountInString(piece)
	}
	return b.String() + "…"
}

// joinWithin lists items within budget characters, counting those that do not fit: "Ana, Bob
// and Cy", or "Ana, Bob and 3 more".
func joinWithin(items []string, budget int) string {
	if len(items) == 0 {
		return ""
	}
	for k := len(items); k > 0; k-- {
		text := strings.Join(items[:k-1], ", ") + " and " + items[k-1]
		switch {
		case k < len(items):
			text = strings.Join(items[:k], ", ") + fmt.Sprintf(" and %d more", len(items)-k)
		case k == 1:
			text = items[0]
		}
		if utf8.RuneCountInString(text) <= budget {
			return text
		}
	}
	return fmt.Sprintf("%d more", len(items))
}

// participantsLine names who takes part and who has finished: "Ana ✓ and Bob (answering)".
// The withdrawn are not listed.
func participantsLine(d *team.Decision) string {
	joined := d.Joined()
	head, pending := "*Taking part (%d of %d answered):* ", " _(answering)_"
	if d.Closed() {
		head, pending = "*Took part (%d of %d answered):* ", " _(no answers)_"
	}
	head = fmt.Sprintf(head, len(d.Counted()), len(joined))
	names := make([]string, len(joined))
	for i, p := range joined {
		names[i] = escClip(p.Name, maxNameText) + pending
		if p.Done {
			names[i] = escClip(p.Name, maxNameText) + " ✓"
		}
	}
	return head + joinWithin(names, maxContextText-utf8.RuneCountInString(head))
}

// TeamParent is the message in the channel that a team decision's thread hangs from: who
// started it, who takes part, where it stands, and the controls to join or withdraw (and, for
// the owner, to close joining). A closed decision shows its outcome and no controls.
func TeamParent(t Team) Message {
	d := t.Decision
	c := TeamControl{Decision: d.ID}
	what := fmt.Sprintf("<@%s> is choosing a backend framework with the team", d.Owner)
	if d.Closed() {
		what = fmt.Sprintf("<@%s> chose a backend framework with the team", d.Owner)
	}
	status := "Press *Add my answers* to answer the checklist in a DM with me. The answers are merged into one team shortlist in this thread; where you disagree, it shows who answered what."
	switch {
	case d.Closed():
		status = decided(t) + recordNote(t)
	case d.Vote != nil:
		status = "*The vote is open* in the thread."
	case d.JoiningClosed:
		status = "*Joining is closed.* The team shortlist in the thread updates as answers come in."
	}
	blocks := []slack.Block{section("*" + what + "*\n" + status), contextText(participantsLine(d))}
	withdraw := teamButton(ActTeamWithdraw, "Withdraw my answers", c)
	switch {
	case d.Closed():
	case d.JoiningClosed:
		blocks = append(blocks, slack.NewActionBlock("team|"+d.ID, withdraw))
	default:
		join := teamButton(ActTeamJoin, "Add my answers", c).WithStyle(slack.StylePrimary)
		closeJoining := teamButton(ActTeamCloseJoining, "Close joining", c).
			WithConfirm(confirm("Close joining?", "Nobody else can join after this; those invited still can. It cannot be undone.", "Close joining"))
		blocks = append(blocks, slack.NewActionBlock("team|"+d.ID, join, withdraw, closeJoining), ownerNote(d, "close joining; everyone else can withdraw"))
	}
	return Message{Text: fallback(what), Blocks: blocks}
}

// decided says how a closed decision came out, as mrkdwn: "*Decided: Beta*, by the vote: 2 for
// Beta and 1 for Alpha."
func decided(t Team) string {
	o := t.Decision.Outcome
	switch {
	case o == nil:
		return "*Not decided yet.*"
	case o.Chosen == "" && (t.Analysis == nil || t.Analysis.Counted == 0):
		return "*Closed without a choice*: nobody had added their answers."
	case o.Chosen == "":
		return "*Closed without a choice*: nobody voted, and the team's answers cover too little to name a winner."
	}
	head := "*Decided: " + escClip(frameworkName(t.Analysis, o.Chosen), maxLineText) + "*"
	if len(o.Tally) == 0 || len(o.Tally[0].Users) == 0 {
		if t.Analysis != nil && len(t.Analysis.Result.Shortlist) > 0 && t.Analysis.Result.Shortlist[0].ID != o.Chosen {
			return head + ", the best ranked of the frameworks put to the vote (no votes were cast)."
		}
		return head + ", the team's first choice (no votes were cast)."
	}
	text := head + ", by the vote: " + tallyText(t, o.Tally) + "."
	if len(o.Tally) > 1 && len(o.Tally[1].Users) == len(o.Tally[0].Users) {
		tie := " It was a tie, which goes to the one the team's ranking puts first."
		if t.Analysis == nil || t.Analysis.Counted == 0 {
			tie = " It was a tie, which goes to the first on the ballot."
		}
		text += tie
	}
	return text
}

// decidedText is decided as plain words for a fallback: "Decided: Beta".
func decidedText(t Team) string {
	if o := t.Decision.Outcome; o != nil && o.Chosen != "" {
		return "Decided: " + esc(frameworkName(t.Analysis, o.Chosen))
	}
	return "Closed without a choice"
}

func recordNote(t Team) string {
	if t.Record == "" {
		return ""
	}
	return fmt.Sprintf(" <%s|The decision record>", esc(t.Record))
}

// frameworkName is the name of framework id in the analysis' ranking, or the id.
func frameworkName(a *team.Analysis, id string) string {
	if a != nil {
		for _, e := range a.Result.Shortlist {
			if e.ID == id {
				return e.Name
			}
		}
	}
	return id
}

// slackDate shows the day of at in each reader's own time zone, with the UTC day as fallback.
func slackDate(at time.Time) string {
	return fmt.Sprintf("<!date^%d^{date}|%s>", at.Unix(), at.UTC().Format("2 January 2006"))
}

// TeamShortlist is the team's shortlist in the thread, updated in place as answers come: the
// first choices for the merged answers (rendered as a person's compact result), the disagreements
// that change the first choice with how the team's answer was settled, one line for those that
// do not, and (while no vote is open) the owner's control that opens the vote on TeamBallot.
func TeamShortlist(t Team) Message {
	d, a := t.Decision, t.Analysis
	if a == nil || a.Counted == 0 {
		return Message{Text: "Team shortlist: waiting for the first answers", Blocks: []slack.Block{
			slack.NewHeaderBlock(plain("Team shortlist", maxHeaderText)),
			section("Nobody has finished the checklist yet. The shortlist appears here when the first answers are in."),
		}}
	}
	res := &a.Result
	head := fmt.Sprintf("Merged answers of %d %s · ", a.Counted, plural(a.Counted, "person", "people"))
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain("Team shortlist", maxHeaderText)),
		contextText(head + escClip(situation(res.Situation), maxContextText-utf8.RuneCountInString(head))),
	}
	choices := res.Choices(compactTop)
	blocks = append(blocks, choiceBlocks(res, choices)...)
	if len(a.Matters) > 0 {
		blocks = append(blocks, listSections("*Disagreements that change the first choice*", mattersLines(a.Matters, res.Shortlist[0].Name))...)
	}
	if text := team.MinorText(a.Minor); text != "" {
		blocks = append(blocks, contextText(escClip(text, maxContextText)))
	}
	if len(a.Tied) > 0 {
		blocks = append(blocks, contextText(escClip("Split evenly, so left open (neutral): "+tiedShorts(a)+".", maxContextText)))
	}
	if !d.Closed() && d.Vote == nil {
		blocks = append(blocks,
			slack.NewActionBlock(BallotBlock(d.ID), ballotPicker(a), teamButton(ActTeamOpenVote, "Open the vote", TeamControl{Decision: d.ID})),
			ownerNote(d, "open the vote"))
	}
	var names []string
	for _, i := range choices {
		names = append(names, esc(res.Shortlist[i].Name))
	}
	return Message{Text: fallback("Team shortlist: " + strings.Join(names, ", ")), Blocks: blocks}
}

// mattersLines are the first disagreements that change the first choice (top), each with how
// the team's answer was settled, then how many more there are.
func mattersLines(matters []team.Disagreement, top string) []string {
	var lines []string
	for i, dis := range matters {
		if i == maxMatters {
			var rest []string
			for _, r := range matters[i:] {
				rest = append(rest, r.Short)
			}
			lines = append(lines, escClip(fmt.Sprintf("…and %d more: %s", len(rest), strings.Join(rest, ", ")), maxMatterText))
			break
		}
		prefix := "• *" + escClip(dis.Short, 100) + ":* "
		settled := dis.Settled()
		text := shortSides(dis).Text(top) + " " + strings.ToUpper(settled[:1]) + settled[1:] + "."
		lines = append(lines, prefix+escClip(text, maxMatterText-utf8.RuneCountInString(prefix)))
	}
	return lines
}

// shortSides is dis naming at most a few people of each side, each shortly, so that what they
// answered and what it changes still fit its line in a large team.
func shortSides(dis team.Disagreement) team.Disagreement {
	const few, name = 3, 30
	sides := slices.Clone(dis.Sides)
	for i, s := range sides {
		var names []string
		for _, n := range s.Names[:min(len(s.Names), few)] {
			names = append(names, clip(n, name))
		}
		if len(s.Names) > few+1 {
			names = append(names, fmt.Sprintf("%d more", len(s.Names)-few))
		} else if len(s.Names) == few+1 {
			names = append(names, clip(s.Names[few], name))
		}
		sides[i].Names = names
	}
	dis.Sides = sides
	return dis
}

// tiedShorts names the questions a majority left open, by their short names.
func tiedShorts(a *team.Analysis) string {
	shorts := make([]string, len(a.Tied))
	for i, qid := range a.Tied {
		shorts[i] = qid
		for _, dis := range slices.Concat(a.Matters, a.Minor) {
			if dis.QuestionID == qid {
				shorts[i] = dis.Short
			}
		}
	}
	return strings.Join(shorts, ", ")
}

// TeamVote is the vote in the thread: a button per framework, the votes with the voters' names,
// and the owner's control that closes it and decides; once closed, the outcome and no controls.
func TeamVote(t Team) Message {
	d := t.Decision
	tally := d.Tally()
	if d.Closed() {
		tally = d.Outcome.Tally
	}
	var lines, none, counts, seen []string
	for _, c := range tally {
		if slices.Contains(seen, c.Framework) {
			continue
		}
		seen = append(seen, c.Framework)
		name := escClip(frameworkName(t.Analysis, c.Framework), maxLineText/4)
		if len(c.Users) == 0 {
			none = append(none, name)
			continue
		}
		var voters []string
		for _, u := range c.Users {
			if p, ok := d.Participant(u); ok {
				voters = append(voters, escClip(p.Name, maxNameText))
			}
		}
		line := fmt.Sprintf("• *%s*: %d %s", name, len(c.Users), plural(len(c.Users), "vote", "votes"))
		if len(voters) > 0 {
			line += " (" + joinWithin(voters, maxVoteLineText-utf8.RuneCountInString(line)-3) + ")"
		}
		lines = append(lines, line)
		counts = append(counts, fmt.Sprintf("%s %d", name, len(c.Users)))
	}
	if len(none) > 0 {
		head := "• No votes yet for "
		if d.Closed() {
			head = "• No votes for "
		}
		lines = append(lines, head+joinWithin(none, maxLineText-utf8.RuneCountInString(head)))
	}
	if d.Vote != nil && !d.Closed() {
		var waiting []string
		for _, p := range d.Joined() {
			if _, voted := d.Vote.Ballots[p.User]; !voted {
				waiting = append(waiting, escClip(p.Name, maxNameText))
			}
		}
		if len(waiting) > 0 {
			lines = append(lines, "_Still to vote:_ "+joinWithin(waiting, maxLineText-20))
		}
	}
	title := "*Vote: which framework does the team pick?* One vote each for those taking part; you can change yours until the vote closes."
	text := "Team vote: " + joinWithin(counts, maxLineText/4)
	if len(counts) == 0 {
		text = "Team vote: no votes yet"
	}
	if d.Closed() {
		title, text = "*The vote is closed.* "+decided(t)+recordNote(t), "Team vote closed. "+decidedText(t)
		if d.Vote == nil {
			title, text = decided(t)+recordNote(t), decidedText(t)
		}
	}
	blocks := listSections(title, lines)
	if !d.Closed() && d.Vote != nil {
		blocks = append(blocks, ballot(t)...)
		closeVote := teamButton(ActTeamClose, "Close the vote and decide", TeamControl{Decision: d.ID}).WithStyle(slack.StyleDanger).
			WithConfirm(confirm("Close the vote?", "The votes cast so far decide for the team, and nothing can change afterwards.", "Close and decide"))
		blocks = append(blocks, slack.NewActionBlock("close|"+d.ID, closeVote), ownerNote(d, "close the vote"))
	}
	return Message{Text: fallback(text), Blocks: blocks}
}

// ballot is a button per framework of the open vote, in as many actions blocks as Slack needs.
func ballot(t Team) []slack.Block {
	d := t.Decision
	var options []string
	for _, f := range d.Vote.Options {
		if !slices.Contains(options, f) && len(options) < maxBallot { // two equal action ids would void the block
			options = append(options, f)
		}
	}
	var blocks []slack.Block
	for part := range slices.Chunk(options, ballotPerBlock) {
		var buttons []slack.BlockElement
		for _, f := range part {
			buttons = append(buttons, teamButton(ActTeamVotePrefix+f, frameworkName(t.Analysis, f), TeamControl{Decision: d.ID, Framework: f}))
		}
		id := "ballot|" + d.ID
		if len(blocks) > 0 {
			id = fmt.Sprintf("ballot|%s|%d", d.ID, len(blocks)+1)
		}
		blocks = append(blocks, slack.NewActionBlock(id, buttons...))
	}
	return blocks
}

// TeamInvite is the DM to a person invited to a team decision.
func TeamInvite(t Team) Message {
	d := t.Decision
	text := fmt.Sprintf("<@%s> invited you to choose a backend framework with the team in <#%s>. Press *Add my answers* to answer the checklist here. Your answers are merged with the others' into one team shortlist in the decision's thread in <#%s>; where you disagree, it shows who answered what.", d.Owner, t.Channel, t.Channel)
	return Message{Text: fallback(fmt.Sprintf("<@%s> invited you to choose a backend framework with the team in <#%s>", d.Owner, t.Channel)), Blocks: []slack.Block{
		section(text),
		slack.NewActionBlock("team|"+d.ID, teamButton(ActTeamJoin, "Add my answers", TeamControl{Decision: d.ID}).WithStyle(slack.StylePrimary)),
	}}
}

// TeamReuse asks, in a DM, whether a person who has a finished checklist (its facts, finished on
// day) brings those answers to the team decision or answers afresh.
func TeamReuse(t Team, session string, facts []ranking.Fact, day time.Time) Message {
	c := TeamControl{Decision: t.Decision.ID, Session: session}
	text := fmt.Sprintf("You joined the team decision in <#%s>. You finished a checklist on %s: use those answers, or answer afresh?", t.Channel, slackDate(day))
	return Message{Text: fallback(text), Blocks: []slack.Block{
		section(text),
		contextText(escClip(situation(facts), maxContextText)),
		slack.NewActionBlock("team|"+t.Decision.ID,
			teamButton(ActTeamReuse, "Use my answers", c).WithStyle(slack.StylePrimary),
			teamButton(ActTeamAfresh, "Answer afresh", c)),
	}}
}

// TeamClosed is the thread's last word on a decision: what was chosen, how, the record and the
// revisit date.
func TeamClosed(t Team) Message {
	text := decided(t)
	if t.Record != "" {
		text += fmt.Sprintf("\nThe decision record: <%s|open it>.", esc(t.Record))
	}
	if !t.Revisit.IsZero() {
		text += fmt.Sprintf("\nI'll remind this thread on %s to revisit the choice, when the proof of concept should be done.", slackDate(t.Revisit))
	}
	return Message{Text: fallback(decidedText(t)), Blocks: []slack.Block{section(text)}}
}

// tallyText is "3 for Django, 1 for FastAPI": the frameworks that got votes.
func tallyText(t Team, tally []team.Count) string {
	var parts []string
	for _, c := range tally {
		if len(c.Users) > 0 {
			parts = append(parts, fmt.Sprintf("%d for %s", len(c.Users), escClip(frameworkName(t.Analysis, c.Framework), maxLineText/4)))
		}
	}
	return joinWithin(parts, maxLineText/2)
}

// TeamRevisit is the reminder scheduled in the thread for the end of the proof of concept.
func TeamRevisit(t Team) Message {
	name := "its framework"
	if o := t.Decision.Outcome; o != nil && o.Chosen != "" {
		name = escClip(frameworkName(t.Analysis, o.Chosen), maxLineText)
	}
	text := fmt.Sprintf("*Time to revisit the team's choice of %s.* The proof of concept should be done: did it confirm the choice? If not, start again with `/stackpick team`.", name)
	if t.Record != "" {
		text += fmt.Sprintf(" The decision record: <%s|open it>.", esc(t.Record))
	}
	return Message{Text: fallback("Time to revisit the team's choice of " + name), Blocks: []slack.Block{section(text)}}
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
		state += " · vote open"
	}
	what := "Team decision"
	if h.Link != "" {
		what = fmt.Sprintf("<%s|Team decision>", esc(h.Link))
	}
	return fmt.Sprintf("• %s in <#%s>, started by <@%s>: %s", what, h.Channel, h.Owner, state)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
