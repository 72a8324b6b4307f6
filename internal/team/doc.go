// Package team is a team's decision: the participants and their finished answers, merged by the
// catalog's team rules into one set that ranks like one person's; the disagreements, with which
// of them would change the team's first choice; a vote; and the outcome. It is pure (no Slack,
// no Redis): a Store keeps decisions, Update applies a change with compare-and-set, and the front
// end renders what Analyse returns.
package team
