// Package ranking turns a catalog and a user's answers into a ranked shortlist with reasons.
//
// It owns everything about ranking that the catalog only holds as data: Compile turns a loaded
// catalog into a Model (criteria weights and ratings as vectors, recommendation, watchout and
// emerging conditions as the options that trigger them), and Model.Rank scores every framework
// (model.go, scoring.go), explains each entry with the reasons that moved it most and its
// watchouts, those the answers trigger marked apart from general caveats (explain.go), says how
// confident the result is and which entries are siblings of one choice (confidence.go), fills the
// final checklist (checklist.go) and writes the proof-of-concept plan (plan.go). Every sentence a
// ranking shows that is not quoted from the catalog ("You said: …", "… rates 4/5 on …", "your
// team doesn't know … yet") is written here; a seed recommendation's reason is its own text.
//
// The score is a weighted multi-criteria fit, a strong preference for the team's languages,
// a bonus once per seed recommendation that picks the framework, and penalties for watchouts the answers trigger; see
// scoring.go. The organisation's tech radar (catalog.Catalog.Radar) takes a framework on hold out
// of the ranking altogether and gives one in adopt a stated bonus (radar.go). Rank is a pure,
// deterministic function of the model and the answers.
package ranking
