package team_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/team"
)

// BenchmarkAnalyseTenPeople merges and re-ranks, for every disagreement, the answers of ten
// people who each answered every question of the shipped catalog at random: about as many
// disagreements, with as many sides, as a team of ten can have.
func BenchmarkAnalyseTenPeople(b *testing.B) {
	cat, err := catalog.LoadDir("../../config")
	if err != nil {
		b.Fatal(err)
	}
	m := ranking.Compile(cat)
	d := team.New("d1", "U0", "p0", nil, now)
	d.Participants = nil
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 10 {
		a := catalog.Answers{}
		for _, q := range cat.Questions {
			if q.Kind == catalog.One {
				a[q.ID] = []string{q.Options[rng.IntN(len(q.Options))].ID}
				continue
			}
			for _, o := range q.Options {
				if !o.Exclusive && rng.IntN(2) == 0 {
					a[q.ID] = append(a[q.ID], o.ID)
				}
			}
			if len(a[q.ID]) == 0 {
				a[q.ID] = []string{q.Options[0].ID}
			}
		}
		d.Participants = append(d.Participants, done(fmt.Sprintf("U%d", i), fmt.Sprintf("p%d", i), a))
	}
	an := team.Analyse(cat, m, &d)
	sides := 0
	for _, dis := range append(an.Matters, an.Minor...) {
		sides += len(dis.Sides)
	}
	for b.Loop() {
		team.Analyse(cat, m, &d)
	}
	b.ReportMetric(float64(len(an.Matters)+len(an.Minor)), "disagreements")
	b.ReportMetric(float64(sides), "reranks")
}
