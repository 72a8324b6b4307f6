// Package record writes a ranking as a decision record: a Markdown document in the layout of
// MADR 4.0 (https://adr.github.io/madr/), for a team to keep next to its code.
//
// It owns the record's layout and its wording: which parts of a ranking.Result go under which
// MADR heading, the "Chosen option: …, because …" and "Good, because …" sentences around the
// ranking's own, and the escaping that keeps a user's or the config's text inert in Markdown and
// in the YAML front matter. It writes what the ranking says and nothing else: every fact in a
// record comes from the Decision it is written from. Markdown and Filename are pure functions;
// front ends (bot rank --adr, a Slack file upload) only choose the deciders and the date.
package record
