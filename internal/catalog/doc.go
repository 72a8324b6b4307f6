// Package catalog holds the advisor's knowledge: frameworks and their ratings, the checklist
// questions, the scoring weights and the final checklist. It loads them from YAML strictly and
// validates them together, reporting every problem with file, line and column.
package catalog
