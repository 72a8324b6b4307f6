// Package config embeds the default YAML files (catalog, questions, weights, checklist, understanding), so the
// binary runs with no files beside it. The YAML files are the documentation of their own format.
package config

import "embed"

// FS holds the default config files.
//
//go:embed *.yaml
var FS embed.FS
