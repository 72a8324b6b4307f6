// Package ranking turns a catalog and a user's answers into a ranked shortlist: a weighted
// multi-criteria score per framework, a strong preference for the team's languages, bonuses for
// the sources' outright picks and penalties for watchouts that hit the answers, each entry with
// the reasons that moved it most. It also fills the final checklist and the proof-of-concept
// plan. Rank is a pure, deterministic function.
package ranking
