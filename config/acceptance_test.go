// Package config_test is the acceptance suite of the shipped config: the YAML embedded in the
// binary. It checks that the config loads, that it is complete against itself (every criterion
// rated and weighed, every option reachable, every source cited) and holds the expectations that
// are about the shipped data and nothing else: its inventory, what its words mean to the parser,
// and the rankings the seed articles call for.
//
// The code's own tests run on fixtures and never read this config, so a retune (a new question,
// a changed weight, a reworded cue) touches the YAML and, at most, this suite. When a test here
// fails after a retune, decide whether the retune or the expectation is wrong, and update one.
package config_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stackpick/stackpick/config"
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/memstore"
)

// loadShipped loads the embedded config as the binary does, once: a catalog is read-only, and
// loading it under the race detector is the slowest part of this suite.
var loadShipped = sync.OnceValues(func() (*catalog.Catalog, error) { return catalog.Load(config.FS, "config") })

// shippedCatalog returns the embedded config, failing the test when it does not load.
func shippedCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := loadShipped()
	if err != nil {
		t.Fatalf("the shipped config does not load:\n%v", err)
	}
	return c
}

// chat is one user's conversation with an engine over the shipped config.
type chat struct {
	t     *testing.T
	cat   *catalog.Catalog
	store *memstore.Store
	eng   *dialog.Engine
}

var user = dialog.Key{Team: "T1", User: "U1"}

func newChat(t *testing.T, cat *catalog.Catalog) *chat {
	t.Helper()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(time.Millisecond); return now }
	store := memstore.New(time.Hour, clock)
	return &chat{t: t, cat: cat, store: store, eng: dialog.New(cat, store, clock)}
}

func (c *chat) do(in dialog.Input) dialog.Reply {
	c.t.Helper()
	r, err := c.eng.Handle(context.Background(), user, in)
	if err != nil {
		c.t.Fatalf("Handle(%+v): %v", in, err)
	}
	return r
}

func (c *chat) say(text string) dialog.Reply {
	c.t.Helper()
	return c.do(dialog.Input{Action: dialog.ActText, Text: text})
}

func (c *chat) session() dialog.Session {
	c.t.Helper()
	s, err := c.store.Load(context.Background(), user)
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

// open starts a conversation if there is none and makes qid the open question.
func (c *chat) open(qid string) {
	c.t.Helper()
	if _, err := c.store.Load(context.Background(), user); err != nil {
		c.do(dialog.Input{Action: dialog.ActStart})
	}
	if r := c.say("change " + qid); r.Ask == nil || r.Ask.QuestionID != qid {
		c.t.Fatalf("change %s asks %+v", qid, r.Ask)
	}
}

// question returns the shipped question qid.
func question(t testing.TB, cat *catalog.Catalog, qid string) *catalog.Question {
	t.Helper()
	q, ok := cat.Question(qid)
	if !ok {
		t.Fatalf("the shipped config has no question %q", qid)
	}
	return q
}

func noted(r dialog.Reply, kind dialog.NoteKind, substr string) bool {
	for _, n := range r.Notes {
		if n.Kind == kind && strings.Contains(n.Text, substr) {
			return true
		}
	}
	return false
}

func TestTheShippedConfigLoads(t *testing.T) {
	c := shippedCatalog(t)
	if len(c.Frameworks) == 0 || len(c.Questions) == 0 || len(c.Criteria) == 0 || len(c.Checklist.Items) == 0 {
		t.Fatalf("the shipped config is empty: %d frameworks, %d questions, %d criteria, %d checklist items",
			len(c.Frameworks), len(c.Questions), len(c.Criteria), len(c.Checklist.Items))
	}
}

func TestEveryFrameworkIsRatedDescribedAndSourced(t *testing.T) {
	c := shippedCatalog(t)
	langs := question(t, c, catalog.LanguagesQuestion)
	for _, f := range c.Frameworks {
		for _, cr := range c.Criteria {
			if r, ok := f.Ratings[cr.ID]; !ok || r < catalog.MinRating || r > catalog.MaxRating {
				t.Errorf("%s: rating on %s is %d (given: %v)", f.ID, cr.ID, r, ok)
			}
		}
		if len(f.Ratings) != len(c.Criteria) {
			t.Errorf("%s: %d ratings for %d criteria", f.ID, len(f.Ratings), len(c.Criteria))
		}
		if f.Name == "" || f.Summary == "" || f.Style == "" || f.Concurrency == "" || !strings.HasPrefix(f.Website, "https://") {
			t.Errorf("%s: needs a name, summary, style, concurrency and https website", f.ID)
		}
		if len(f.Strengths) == 0 || len(f.Watchouts) == 0 || len(f.UseCases) == 0 || len(f.Sources) == 0 {
			t.Errorf("%s: needs strengths, watchouts, use cases and sources", f.ID)
		}
		for _, l := range f.Languages {
			if _, ok := langs.Option(l); !ok {
				t.Errorf("%s: language %q is not an option of %s", f.ID, l, langs.ID)
			}
		}
	}
}

// A seed nobody cites is dead weight; a citation of an unknown seed would not load at all.
func TestEverySeedIsCited(t *testing.T) {
	c := shippedCatalog(t)
	cited := map[string]bool{}
	for _, f := range c.Frameworks {
		for _, s := range f.Sources {
			cited[s] = true
		}
		for _, cl := range f.Strengths {
			for _, s := range cl.Sources {
				cited[s] = true
			}
		}
		for _, w := range f.Watchouts {
			for _, s := range w.Sources {
				cited[s] = true
			}
		}
	}
	for _, s := range c.Seeds {
		if !cited[s.ID] {
			t.Errorf("seed %s (%s) is cited by no framework", s.ID, s.Title)
		}
		if s.Title == "" {
			t.Errorf("seed %s has no title", s.ID)
		}
	}
}

// Every criterion is written down in weights.yaml (a missing one silently weighs 0) and can move
// a ranking: it has a positive base weight or some answer weighs it.
func TestEveryCriterionIsWeighed(t *testing.T) {
	c := shippedCatalog(t)
	movedBy := map[string][]string{}
	for _, q := range c.Questions {
		for _, o := range q.Options {
			for crit, d := range o.Weights {
				if d != 0 {
					movedBy[crit] = append(movedBy[crit], q.ID+"."+o.ID)
				}
			}
		}
	}
	for _, cr := range c.Criteria {
		base, ok := c.Weights.Base[cr.ID]
		if !ok {
			t.Errorf("criterion %s has no base weight in %s", cr.ID, catalog.WeightsFile)
		}
		if base <= 0 && len(movedBy[cr.ID]) == 0 {
			t.Errorf("criterion %s can never count: base weight %g and no answer weighs it", cr.ID, base)
		}
		if cr.Label == "" || cr.Low == "" || cr.High == "" {
			t.Errorf("criterion %s needs a label and what its low and high ratings mean", cr.ID)
		}
	}
}

// Every language a user can pick is spoken by some framework, or picking it could favour none.
func TestEveryLanguageHasAFramework(t *testing.T) {
	c := shippedCatalog(t)
	spoken := map[string]bool{}
	for _, f := range c.Frameworks {
		for _, l := range f.Languages {
			spoken[l] = true
		}
	}
	for _, o := range question(t, c, catalog.LanguagesQuestion).Options {
		if !o.Exclusive && !spoken[o.ID] {
			t.Errorf("language %s is the language of no framework", o.ID)
		}
	}
}

func TestEveryQuestionIsWrittenOut(t *testing.T) {
	c := shippedCatalog(t)
	for _, q := range c.Questions {
		if q.Text == "" || q.Help == "" || q.Short == "" {
			t.Errorf("%s: needs text, help and a short name", q.ID)
		}
		labels := map[string]bool{}
		for _, o := range q.Options {
			if o.Reason == "" {
				t.Errorf("%s.%s: needs a reason", q.ID, o.ID)
			}
			if l := strings.ToLower(o.Label); labels[l] {
				t.Errorf("%s.%s: label %q is used twice", q.ID, o.ID, o.Label)
			} else {
				labels[l] = true
			}
		}
	}
}

// Each option can be chosen by typing its label or its number ("option 3" where a number alone is
// an amount), and each cue on its own selects its option: a cue that another option's phrases
// shadow could never be recognised. A cue two options share ("aws") is asked about instead.
func TestEveryOptionCanBeChosenByLabelNumberAndCue(t *testing.T) {
	cat := shippedCatalog(t)
	for _, q := range cat.Questions {
		for i, o := range q.Options {
			number := fmt.Sprint(i + 1)
			if q.BareNumber != "" {
				number = "option " + number
			}
			ways := map[string]string{"label": o.Label, "number": number}
			for _, cue := range o.Cues {
				ways["cue "+cue] = cue
			}
			for way, text := range ways {
				t.Run(q.ID+"/"+o.ID+"/"+way, func(t *testing.T) {
					c := newChat(t, cat)
					c.do(dialog.Input{Action: dialog.ActStart})
					c.open(q.ID)
					r := c.say(text)
					got := c.session().Answers[q.ID]
					if shared := sharedCue(q, o, text); shared != "" {
						if got != nil || !noted(r, dialog.NoteUnclear, "That fits more than one answer") {
							t.Errorf("%s: %q, a cue %s shares, saved %v or was not asked about: %v", q.ID, text, shared, got, r.Notes)
						}
						return
					}
					if q.Kind == catalog.One && !slices.Equal(got, []string{o.ID}) || !slices.Contains(got, o.ID) {
						t.Errorf("%s: %q saved %v, want %s", q.ID, text, got, o.ID)
					}
				})
			}
		}
	}
}

// sharedCue returns another option of q that has cue too, if any.
func sharedCue(q catalog.Question, o catalog.Option, cue string) string {
	for _, other := range q.Options {
		if other.ID != o.ID && slices.Contains(other.Cues, cue) {
			return other.ID
		}
	}
	return ""
}

// Each question is found by its id, short name and aliases, and no two questions share a name.
func TestEveryQuestionCanBeNamed(t *testing.T) {
	cat := shippedCatalog(t)
	owner := map[string]string{}
	for _, q := range cat.Questions {
		for _, ref := range append([]string{q.ID, q.Short}, q.Aliases...) {
			ref = strings.ToLower(ref)
			if o, ok := owner[ref]; ok && o != q.ID {
				t.Errorf("%q names both %s and %s", ref, o, q.ID)
				continue
			}
			owner[ref] = q.ID
			c := newChat(t, cat)
			c.do(dialog.Input{Action: dialog.ActStart})
			if r := c.say("change " + ref); r.Ask == nil || r.Ask.QuestionID != q.ID {
				t.Errorf("change %s asks %+v, want %s", ref, r.Ask, q.ID)
			}
		}
	}
}

func TestTheChecklistAndPlanAreComplete(t *testing.T) {
	c := shippedCatalog(t)
	for _, it := range c.Checklist.Items {
		if it.Title == "" || it.Verify == "" {
			t.Errorf("checklist item %s needs a title and what to verify", it.ID)
		}
	}
	var steps []string
	for _, st := range c.Checklist.POC {
		steps = append(steps, st.Text)
	}
	plan := strings.Join(steps, "\n")
	for _, slot := range []string{"{first}", "{second}"} {
		if !strings.Contains(plan, slot) {
			t.Errorf("the proof-of-concept plan never names %s", slot)
		}
	}
}

// A conversation over the shipped config asks every question in order and ends in a shortlist of
// every framework.
func TestAFullConversationByNumbersEndsInAResult(t *testing.T) {
	cat := shippedCatalog(t)
	c := newChat(t, cat)
	r := c.do(dialog.Input{Action: dialog.ActStart})
	for i, q := range cat.Questions {
		if r.Ask == nil || r.Ask.QuestionID != q.ID || r.Ask.Number != i+1 || r.Ask.Total != len(cat.Questions) {
			t.Fatalf("turn %d asks %+v, want %s", i+1, r.Ask, q.ID)
		}
		r = c.say("1")
	}
	if r.Result == nil || len(r.Result.Shortlist) != len(cat.Frameworks) {
		t.Fatalf("the last answer gave %+v, want a shortlist of all %d frameworks", r.Result, len(cat.Frameworks))
	}
}

// The shipped inventory, as the seed articles support it. Adding or removing a framework,
// criterion, question or option is a decision: update this list with it.
func TestTheShippedInventory(t *testing.T) {
	c := shippedCatalog(t)
	wantFrameworks := []string{"spring-boot", "aspnet-core", "django", "fastapi", "laravel", "nestjs", "rails", "express",
		"fastify", "gin", "fiber", "echo", "phoenix", "flask", "symfony", "hono", "ktor", "bun"}
	wantEmerging := []string{"hono", "ktor", "bun"}
	var frameworks, emerging []string
	for _, f := range c.Frameworks {
		frameworks = append(frameworks, f.ID)
		if f.Emerging {
			emerging = append(emerging, f.ID)
		}
	}
	if !slices.Equal(frameworks, wantFrameworks) {
		t.Errorf("frameworks = %v\nwant %v", frameworks, wantFrameworks)
	}
	if !slices.Equal(emerging, wantEmerging) {
		t.Errorf("emerging = %v, want %v", emerging, wantEmerging)
	}

	wantCriteria := []string{"performance", "compute", "scalability", "dev_speed", "enterprise", "ecosystem", "talent", "ease",
		"realtime", "microservices", "footprint", "ai_data", "type_safety", "batteries"}
	var criteria []string
	for _, cr := range c.Criteria {
		criteria = append(criteria, cr.ID)
	}
	if !slices.Equal(criteria, wantCriteria) {
		t.Errorf("criteria = %v\nwant %v", criteria, wantCriteria)
	}

	wantQuestions := []struct {
		id      string
		options []string
	}{
		{"project", []string{"mvp", "saas", "enterprise", "api", "ai", "realtime", "content", "gateway"}},
		{"languages", []string{"java", "kotlin", "csharp", "python", "javascript", "typescript", "php", "ruby", "go", "elixir", "none"}},
		{"team", []string{"solo", "small", "large"}},
		{"deadline", []string{"weeks", "months", "long_term"}},
		{"scale", []string{"small", "growing", "large", "massive"}},
		{"performance", []string{"normal", "important", "critical"}},
		{"workload", []string{"crud", "io", "cpu", "streaming", "batch"}},
		{"architecture", []string{"monolith", "modular", "microservices", "serverless", "undecided"}},
		{"compliance", []string{"standard", "regulated"}},
		{"hosting", []string{"containers", "serverless_edge", "paas_shared", "azure_windows", "on_prem"}},
		{"batteries", []string{"batteries", "minimal", "no_preference"}},
		{"hiring", []string{"yes", "no"}},
		{"typing", []string{"important", "nice", "not_important"}},
		{"footprint", []string{"yes", "no"}},
	}
	if len(c.Questions) != len(wantQuestions) {
		t.Errorf("%d questions, want %d", len(c.Questions), len(wantQuestions))
	}
	for i, want := range wantQuestions {
		if i >= len(c.Questions) {
			break
		}
		q := c.Questions[i]
		var got []string
		for _, o := range q.Options {
			got = append(got, o.ID)
		}
		if q.ID != want.id || !slices.Equal(got, want.options) {
			t.Errorf("question %d = %s %v\nwant %s %v", i+1, q.ID, got, want.id, want.options)
		}
	}
}
