package team

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// Errors of the operations on a decision; nothing is changed when one is returned.
var (
	// ErrNotFound means there is no such decision (never made, or expired).
	ErrNotFound = errors.New("no such team decision")
	// ErrConflict means the decision changed since it was loaded; load and apply again.
	ErrConflict = errors.New("team decision changed concurrently")
	// ErrClosed means the decision is closed: nothing more can change.
	ErrClosed = errors.New("team decision closed")
	// ErrJoiningClosed means the owner closed joining.
	ErrJoiningClosed = errors.New("joining closed")
	// ErrNotOwner means only the owner may do that.
	ErrNotOwner = errors.New("only the owner may do that")
	// ErrNotParticipant means the user is not (or no longer) a participant.
	ErrNotParticipant = errors.New("not a participant")
	// ErrNoVote means no vote is open.
	ErrNoVote = errors.New("no vote open")
	// ErrNotOnBallot means the framework is not one of the vote's options.
	ErrNotOnBallot = errors.New("not on the ballot")
	// ErrBallotSize means a vote was asked on fewer than two frameworks, or more than MaxBallot.
	ErrBallotSize = errors.New("a vote is on 2 to 25 frameworks")
	// ErrTooMany means the decision holds as many participants as it may.
	ErrTooMany = errors.New("too many participants")
)

// MaxParticipants bounds a decision, so its record stays small and its analysis fast;
// MaxBallot bounds the frameworks of a vote.
const (
	MaxParticipants = 25
	MaxBallot       = 25
)

// Decision is one team's choice of a framework: who takes part and what they answered, the
// vote, and the outcome. It holds no front-end data but View, which the front end keeps (for
// Slack, the channel thread and its messages) and the decision never reads.
type Decision struct {
	ID      string
	Version int64 // the store's compare-and-set version; 0 = never saved
	Owner   string
	Created time.Time
	// JoiningClosed: nobody else may join.
	JoiningClosed bool
	// Participants in the order they joined; withdrawn ones stay, marked, so a rejoin keeps the
	// place.
	Participants []Participant
	Invited      []string
	Vote         *Vote
	Outcome      *Outcome
	View         []byte
}

// Participant is one person's part in a decision.
type Participant struct {
	User string
	Name string // how the front end names them, for disagreements and the record
	// Answers and Unsure are the participant's answers once they finished their checklist.
	Answers catalog.Answers
	Unsure  []string
	// Done: their answers count. Withdrawn: they took them back (and may rejoin).
	Done, Withdrawn bool
}

// Vote is the team's vote on a few frameworks: one ballot per participant, changeable until
// the owner closes it.
type Vote struct {
	Options []string          // framework ids, in the order shown
	Ballots map[string]string // user -> framework id
	// Cast is when each ballot was cast (by the front end's clock of the click), so that of two
	// clicks applied out of order the later one stands.
	Cast map[string]time.Time
}

// Outcome is how the decision was closed.
type Outcome struct {
	Chosen string // framework id; "" when nothing was chosen
	Closed time.Time
	// Tally is the vote as it was closed, most votes first.
	Tally []Count
}

// Count is one option of a vote and who voted for it.
type Count struct {
	Framework string
	Users     []string
}

// New returns a decision owned by owner, who takes part; invited are asked to join.
func New(id, owner, ownerName string, invited []string, now time.Time) Decision {
	d := Decision{ID: id, Owner: owner, Created: now}
	d.Participants = []Participant{{User: owner, Name: ownerName}}
	for _, u := range invited {
		if u != owner && !slices.Contains(d.Invited, u) {
			d.Invited = append(d.Invited, u)
		}
	}
	return d
}

// Closed reports whether the decision is closed.
func (d *Decision) Closed() bool { return d.Outcome != nil }

// participant returns user's entry, withdrawn or not; nil when they never joined.
func (d *Decision) participant(user string) *Participant {
	i := slices.IndexFunc(d.Participants, func(p Participant) bool { return p.User == user })
	if i < 0 {
		return nil
	}
	return &d.Participants[i]
}

// Participant returns user's entry and whether they take part (joined, not withdrawn).
func (d *Decision) Participant(user string) (Participant, bool) {
	p := d.participant(user)
	if p == nil || p.Withdrawn {
		return Participant{}, false
	}
	return *p, true
}

// Counted are the participants whose answers count: finished, not withdrawn.
func (d *Decision) Counted() []Participant {
	var out []Participant
	for _, p := range d.Participants {
		if p.Done && !p.Withdrawn {
			out = append(out, p)
		}
	}
	return out
}

// Joined are the participants who take part, finished or not.
func (d *Decision) Joined() []Participant {
	return slices.DeleteFunc(slices.Clone(d.Participants), func(p Participant) bool { return p.Withdrawn })
}

// Join adds user (named name); joining again, or rejoining after a withdrawal, keeps their
// place and asks for their answers again. It reports whether anything changed.
func (d *Decision) Join(user, name string) (bool, error) {
	if d.Closed() {
		return false, ErrClosed
	}
	if p := d.participant(user); p != nil {
		if !p.Withdrawn {
			return false, nil
		}
		*p = Participant{User: user, Name: name}
		return true, nil
	}
	if d.JoiningClosed && user != d.Owner && !slices.Contains(d.Invited, user) {
		return false, ErrJoiningClosed
	}
	if len(d.Participants) >= MaxParticipants {
		return false, ErrTooMany
	}
	d.Participants = append(d.Participants, Participant{User: user, Name: name})
	return true, nil
}

// Contribute records user's finished answers (replacing earlier ones). It reports whether
// anything changed.
func (d *Decision) Contribute(user string, answers catalog.Answers, unsure []string) (bool, error) {
	if d.Closed() {
		return false, ErrClosed
	}
	p := d.participant(user)
	if p == nil || p.Withdrawn {
		return false, ErrNotParticipant
	}
	if p.Done && p.Answers.Same(answers) && catalog.SameOptions(p.Unsure, unsure) {
		return false, nil
	}
	p.Answers, p.Unsure, p.Done = answers.Clone(), slices.Clone(unsure), true
	return true, nil
}

// Withdraw takes user's answers out (and their ballot); the owner cannot withdraw. It reports
// whether anything changed: withdrawing again changes nothing.
func (d *Decision) Withdraw(user string) (bool, error) {
	if d.Closed() {
		return false, ErrClosed
	}
	p := d.participant(user)
	switch {
	case p == nil:
		return false, ErrNotParticipant
	case p.Withdrawn:
		return false, nil
	case user == d.Owner:
		return false, fmt.Errorf("the owner cannot withdraw: %w", ErrNotParticipant)
	}
	*p = Participant{User: user, Name: p.Name, Withdrawn: true}
	if d.Vote != nil {
		delete(d.Vote.Ballots, user)
		delete(d.Vote.Cast, user)
	}
	return true, nil
}

// CloseJoining stops anyone else from joining (the invited still may). It reports whether
// anything changed.
func (d *Decision) CloseJoining(by string) (bool, error) {
	if err := d.ownerOpen(by); err != nil {
		return false, err
	}
	changed := !d.JoiningClosed
	d.JoiningClosed = true
	return changed, nil
}

// OpenVote opens a vote on frameworks (replacing one open with others; ballots for options
// kept stay).
func (d *Decision) OpenVote(by string, frameworks []string) error {
	if err := d.ownerOpen(by); err != nil {
		return err
	}
	var options []string
	for _, f := range frameworks {
		if !slices.Contains(options, f) {
			options = append(options, f)
		}
	}
	if len(options) < 2 || len(options) > MaxBallot {
		return fmt.Errorf("vote on %d frameworks: %w", len(options), ErrBallotSize)
	}
	v := &Vote{Options: options, Ballots: map[string]string{}, Cast: map[string]time.Time{}}
	if d.Vote != nil {
		for u, f := range d.Vote.Ballots {
			if slices.Contains(v.Options, f) {
				v.Ballots[u], v.Cast[u] = f, d.Vote.Cast[u]
			}
		}
	}
	d.Vote = v
	return nil
}

// Cast records user's ballot for framework, cast at at, replacing theirs unless theirs was cast
// later (two clicks applied out of order). It reports whether anything changed.
func (d *Decision) Cast(user, framework string, at time.Time) (bool, error) {
	switch {
	case d.Closed():
		return false, ErrClosed
	case d.Vote == nil:
		return false, ErrNoVote
	case !slices.Contains(d.Vote.Options, framework):
		return false, ErrNotOnBallot
	}
	if _, ok := d.Participant(user); !ok {
		return false, ErrNotParticipant
	}
	if d.Vote.Ballots[user] == framework || at.Before(d.Vote.Cast[user]) {
		return false, nil
	}
	if d.Vote.Cast == nil {
		d.Vote.Cast = map[string]time.Time{}
	}
	d.Vote.Ballots[user], d.Vote.Cast[user] = framework, at
	return true, nil
}

// Tally is the open vote's count, most votes first, ties in ballot order; nil without a vote.
// Voters are listed in the order they joined.
func (d *Decision) Tally() []Count {
	if d.Vote == nil {
		return nil
	}
	out := make([]Count, len(d.Vote.Options))
	for i, f := range d.Vote.Options {
		out[i].Framework = f
		for _, p := range d.Participants {
			if d.Vote.Ballots[p.User] == f {
				out[i].Users = append(out[i].Users, p.User)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Count) int { return len(b.Users) - len(a.Users) })
	return out
}

// Close records the outcome among ranked, the frameworks the team's ranking considers, best
// first: the vote's winner among them when any was voted for (a tie goes to the one ranked
// higher), else, with pickFirst, the first of ranked on the ballot (of ranked, without a vote);
// else nothing is chosen.
func (d *Decision) Close(by string, ranked []string, pickFirst bool, now time.Time) error {
	if err := d.ownerOpen(by); err != nil {
		return err
	}
	o := &Outcome{Closed: now, Tally: d.Tally()}
	most := 0
	for _, c := range o.Tally {
		if slices.Contains(ranked, c.Framework) {
			most = max(most, len(c.Users))
		}
	}
	for _, id := range ranked {
		if i := slices.IndexFunc(o.Tally, func(c Count) bool { return c.Framework == id }); most > 0 && i >= 0 && len(o.Tally[i].Users) == most {
			o.Chosen = id
			break
		}
	}
	if o.Chosen == "" && most == 0 && pickFirst {
		for _, id := range ranked {
			if d.Vote == nil || slices.Contains(d.Vote.Options, id) {
				o.Chosen = id
				break
			}
		}
	}
	d.Outcome = o
	return nil
}

// ownerOpen checks that by owns the decision and that it is still open.
func (d *Decision) ownerOpen(by string) error {
	switch {
	case d.Closed():
		return ErrClosed
	case by != d.Owner:
		return ErrNotOwner
	}
	return nil
}

// Clone returns a deep copy, sharing nothing with d.
func (d Decision) Clone() Decision {
	c := d
	c.Participants = make([]Participant, len(d.Participants))
	for i, p := range d.Participants {
		p.Answers, p.Unsure = p.Answers.Clone(), slices.Clone(p.Unsure)
		c.Participants[i] = p
	}
	c.Invited, c.View = slices.Clone(d.Invited), slices.Clone(d.View)
	if d.Vote != nil {
		c.Vote = &Vote{Options: slices.Clone(d.Vote.Options), Ballots: maps.Clone(d.Vote.Ballots), Cast: maps.Clone(d.Vote.Cast)}
		if c.Vote.Ballots == nil {
			c.Vote.Ballots = map[string]string{}
		}
	}
	if d.Outcome != nil {
		o := *d.Outcome
		o.Tally = make([]Count, len(d.Outcome.Tally))
		for i, t := range d.Outcome.Tally {
			o.Tally[i] = Count{Framework: t.Framework, Users: slices.Clone(t.Users)}
		}
		c.Outcome = &o
	}
	return c
}
