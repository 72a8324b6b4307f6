package config_test

import (
	"fmt"
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// The seeds keep I/O throughput and CPU-bound work apart: an event loop or async I/O serves many
// concurrent I/O-bound requests, while heavy computation stalls it (004's Node.js weaknesses:
// "not ideal for heavy computational tasks due to its single-threaded nature"; 003 on FastAPI:
// "plan your container and worker strategy for CPU-bound tasks"), and compiled Go and Java lead
// raw CPU-bound benchmarks (000 on Laravel and on Rails; 004: Go's raw performance is "often
// comparable to C++ or Java"). The shipped catalog therefore rates I/O throughput (performance)
// and CPU-bound work (compute) as two criteria, and the CPU-heavy answer weighs compute.

const (
	ioCriterion      = "performance"
	computeCriterion = "compute"
)

// The frameworks the seeds place on either side of the line, named only where a seed does.
var (
	// compiledStacks: Go (004's Go section names Gin and Echo; 002 and 003 pair Fiber with Gin),
	// Java (000 on Laravel and Rails, 004 on Spring Boot) and C# (000: ASP.NET Core often beats
	// Java in raw throughput; 004: one of the fastest frameworks).
	compiledStacks = []string{"gin", "fiber", "echo", "spring-boot", "aspnet-core"}
	// eventLoopStacks: Node's single thread (004 names Express and NestJS; Fastify is a Node
	// framework, 000 and 002) and FastAPI's async I/O (003's CPU-bound caveat).
	eventLoopStacks = []string{"express", "nestjs", "fastify", "fastapi"}
)

// criterionLabel returns the shipped label of a criterion, failing when there is none.
func criterionLabel(t testing.TB, c *catalog.Catalog, id string) string {
	t.Helper()
	i := slices.IndexFunc(c.Criteria, func(cr catalog.Criterion) bool { return cr.ID == id })
	if i < 0 {
		t.Fatalf("the shipped catalog has no %q criterion", id)
	}
	return c.Criteria[i].Label
}

// cpuReason is the reason phrase of the CPU-heavy workload answer.
func cpuReason(t testing.TB, c *catalog.Catalog) string {
	t.Helper()
	o, ok := question(t, c, "workload").Option("cpu")
	if !ok || o.Reason == "" {
		t.Fatal("the shipped workload question has no cpu option with a reason")
	}
	return o.Reason
}

// Both criteria exist, the I/O one says so, and every framework carries a rating note for its
// compute rating (each compute rating rests on a seed or says what it is inferred from).
func TestEveryFrameworkIsRatedOnIOAndOnCompute(t *testing.T) {
	c := shippedCatalog(t)
	if l := criterionLabel(t, c, ioCriterion); !strings.Contains(l, "I/O") {
		t.Errorf("the %s criterion's label %q does not say it is about I/O", ioCriterion, l)
	}
	criterionLabel(t, c, computeCriterion)
	for _, f := range c.Frameworks {
		for _, id := range []string{ioCriterion, computeCriterion} {
			if r := f.Ratings[id]; r < catalog.MinRating || r > catalog.MaxRating {
				t.Errorf("%s: %s rating is %d", f.ID, id, r)
			}
		}
		note := regexp.MustCompile(fmt.Sprintf(`\b%s %d\b`, computeCriterion, f.Ratings[computeCriterion]))
		if !slices.ContainsFunc(f.RatingNotes, note.MatchString) {
			t.Errorf("%s: no rating note explains compute %d", f.ID, f.Ratings[computeCriterion])
		}
	}
}

// A small Go team building an AI product with CPU-heavy work (the fourth profile), and
// any other profile with CPU-heavy work: the CPU-heavy answer is credited to compute, never to an
// I/O rating, and no event-loop framework is argued for because of it.
func TestCPUHeavyWorkIsNeverCreditedToIOThroughput(t *testing.T) {
	c := rankCatalog(t)
	ioLabel := criterionLabel(t, c, ioCriterion)
	cpu := cpuReason(t, c)
	computeLabel := "" // checked below, so that an I/O citation is reported on a catalog without compute too
	if i := slices.IndexFunc(c.Criteria, func(cr catalog.Criterion) bool { return cr.ID == computeCriterion }); i >= 0 {
		computeLabel = c.Criteria[i].Label
	} else {
		t.Errorf("the shipped catalog has no %q criterion", computeCriterion)
	}
	profiles := []catalog.Answers{
		{"team": {"small"}, "languages": {"go"}, "project": {"ai"}, "workload": {"cpu"}},
		{"workload": {"cpu"}},
		{"project": {"api"}, "workload": {"cpu"}, "performance": {"important"}},
	}
	// And a seeded, so deterministic, sample of profiles with CPU-heavy work among their answers.
	rng := rand.New(rand.NewSource(11))
	for range 300 {
		a := catalog.Answers{}
		for _, q := range c.Questions {
			if rng.Intn(2) == 0 {
				continue
			}
			a[q.ID] = []string{q.Options[rng.Intn(len(q.Options))].ID}
		}
		if !slices.Contains(a["workload"], "cpu") {
			a["workload"] = append(a["workload"], "cpu")
		}
		profiles = append(profiles, a)
	}
	for _, a := range profiles {
		r := rankShipped(c, a)
		for _, e := range r.Shortlist {
			for _, reason := range e.Reasons {
				if !strings.Contains(reason.Text, cpu) {
					continue
				}
				if strings.Contains(reason.Text, ioLabel+" ") {
					t.Errorf("%v: %s: reason %q cites the I/O rating (%s) for %q", a, e.ID, reason.Text, ioLabel, cpu)
				} else if computeLabel != "" && !strings.Contains(reason.Text, computeLabel+" ") {
					t.Errorf("%v: %s: reason %q does not cite %s for %q", a, e.ID, reason.Text, computeLabel, cpu)
				}
				if reason.Positive && slices.Contains(eventLoopStacks, e.ID) {
					t.Errorf("%v: event-loop framework %s is argued for because %s: %q", a, e.ID, cpu, reason.Text)
				}
			}
		}
	}
}

// When the team's language does not decide, CPU-heavy work puts the compiled stacks above the
// event-loop ones, and the answer itself is what widens the gap.
func TestCPUHeavyWorkRanksCompiledStacksAboveEventLoops(t *testing.T) {
	c := rankCatalog(t)
	positions := func(r ranking.Result) map[string]int {
		pos := map[string]int{}
		for i, e := range r.Shortlist {
			pos[e.ID] = i
		}
		return pos
	}
	scores := func(r ranking.Result) map[string]int {
		s := map[string]int{}
		for _, e := range r.Shortlist {
			s[e.ID] = e.Score
		}
		return s
	}
	t.Run("compiled stacks rank above event loops", func(t *testing.T) {
		for _, a := range []catalog.Answers{
			{"workload": {"cpu"}},
			{"languages": {"none"}, "workload": {"cpu"}},
			// The evaluation set's cpu-heavy-api-no-language (004, 000, 003).
			{"project": {"api"}, "workload": {"cpu"}, "performance": {"important"}},
		} {
			pos := positions(rankShipped(c, a))
			for _, fast := range compiledStacks {
				for _, slow := range eventLoopStacks {
					if pos[fast] > pos[slow] {
						t.Errorf("%v: %s (#%d) ranks below %s (#%d)", a, fast, pos[fast]+1, slow, pos[slow]+1)
					}
				}
			}
		}
	})
	t.Run("the CPU-heavy answer widens each compiled stack's lead", func(t *testing.T) {
		for _, base := range []catalog.Answers{
			{},
			{"project": {"api"}},
			{"project": {"saas"}, "team": {"small"}},
			{"languages": {"none"}, "scale": {"large"}},
			{"project": {"realtime"}, "performance": {"important"}},
		} {
			with := catalog.Answers{"workload": {"cpu"}}
			for q, o := range base {
				with[q] = o
			}
			before, after := scores(rankShipped(c, base)), scores(rankShipped(c, with))
			for _, fast := range compiledStacks {
				for _, slow := range eventLoopStacks {
					if gapBefore, gapAfter := before[fast]-before[slow], after[fast]-after[slow]; gapAfter <= gapBefore {
						t.Errorf("%v: adding CPU-heavy work moves %s - %s from %d to %d points", base, fast, slow, gapBefore, gapAfter)
					}
				}
			}
		}
	})
}
