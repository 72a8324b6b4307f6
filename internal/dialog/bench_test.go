package dialog

import (
	"testing"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
)

// BenchmarkUnderstand reads typical messages with the shipped words, which are what a turn reads
// with: what it costs per message, the lexicon compiled beforehand as Engine.SetCatalog does.
func BenchmarkUnderstand(b *testing.B) {
	cat, err := catalog.Load(config.FS, "config")
	if err != nil {
		b.Fatal(err)
	}
	lx := compileLexicon(cat)
	answered := catalog.Answers{"project": {"saas"}, "languages": {"python", "typescript"}, "team": {"small"}, "deadline": {"weeks"}, "scale": {"growing"}}
	for _, bm := range []struct {
		name, question, text string
	}{
		{"description", "project", "a B2B SaaS in Python and TypeScript, 4 devs, launch in 6 weeks, EU customers"},
		{"option", "scale", "growing"},
		{"sentence", "performance", "fast responses matter"},
		{"typo", "hosting", "we run everything on kuberentes"},
		{"doubt", "architecture", "not sure about the hosting yet"},
		{"question back", "architecture", "what is a modular monolith?"},
		{"change", "performance", "change traffic to massive"},
		{"why not", "", "why not flask?"},
		{"compare", "", "django vs fastapi"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			p := Point{Question: bm.question, Answers: answered}
			b.ReportAllocs()
			for b.Loop() {
				lx.understand(p, bm.text, testDay)
			}
		})
	}
}
