// Package catalog holds the advisor's knowledge as data: frameworks and their ratings, the
// checklist questions, the scoring weights and the final checklist. It loads them from YAML
// strictly and validates them together, reporting every problem with file, line and column, and
// offers lookups by id (Catalog.Question, Catalog.Framework, Question.Option…) and the checks of a
// set of answers (Catalog.CheckAnswers).
//
// It does not rank: package ranking compiles a catalog into its own model (weight vectors,
// ratings, conditions) and writes every sentence of a recommendation the catalog does not hold
// word for word ("You said: …", "… rates 4/5 on …").
package catalog
