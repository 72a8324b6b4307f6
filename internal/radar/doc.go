// Package radar reads an organisation's tech radar: a file in the Backstage tech-radar JSON
// format (title, quadrants, rings, and entries with a timeline of moves between rings), decoded
// strictly and validated whole, every problem reported with file, line, column and field in
// package catalog's Problem shape, so the program prints them like the YAML config's. It maps
// the entries to the catalog's frameworks by id or title and returns the radar's stance on each
// (catalog.Stance): its current ring, the date it moved there and what the radar says of it.
//
// It reads no environment and ranks nothing: the program puts the stances in catalog.Catalog's
// Radar, and package ranking decides what a ring does to a framework.
package radar
