package ranking_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
	"github.com/stackpick/stackpick/internal/ranking/rankingtest"
)

// The radar tests run on the ranking's test catalog with a radar set as the program sets it
// after loading: Beta and Gamma (Delta's sibling) on hold, Epsilon adopted, Alpha in trial.

const adoptBonus = 0.05

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

var (
	gammaHeld = catalog.Stance{Ring: catalog.Hold, Date: date("2025-03-01"), Description: "No new Ruby services.", Entry: "Gamma"}
	betaHeld  = catalog.Stance{Ring: catalog.Hold, Date: date("2024-11-20"), Entry: "Beta"}
	epsAdopt  = catalog.Stance{Ring: catalog.Adopt, Date: date("2025-01-10"), Description: "Our default for new services", Entry: "Epsilon"}
	alphaTry  = catalog.Stance{Ring: catalog.Trial, Date: date("2025-06-30"), Entry: "Alpha"}
)

// withRadar is the test catalog with radar as its Radar and the adopt bonus set.
func withRadar(t testing.TB, radar map[string]catalog.Stance) (*catalog.Catalog, *ranking.Model) {
	t.Helper()
	c, _ := load(t)
	c.Weights.RadarAdopt = adoptBonus
	c.Radar = radar
	return c, ranking.Compile(c)
}

func fullRadar(t testing.TB) (*catalog.Catalog, *ranking.Model) {
	return withRadar(t, map[string]catalog.Stance{"beta": betaHeld, "gamma": gammaHeld, "epsilon": epsAdopt, "alpha": alphaTry})
}

// A framework on hold never comes back: not in the shortlist, the choices, a sibling group, the
// plan, a firmness flip, a movement or a why-not's top pick, whatever the answers, for one
// person's answers and a team's alike; it is listed as not considered, with the radar's reason.
func TestAFrameworkOnHoldIsNeverRecommended(t *testing.T) {
	c, m := fullRadar(t)
	held := []string{"beta", "gamma"}
	isHeld := func(id string) bool { return slices.Contains(held, id) }
	heldName := func(s string) bool { return strings.Contains(s, "Beta") || strings.Contains(s, "Gamma") }
	team := ranking.Fluency{"go": {Know: 1, Of: 3}, "python": {Know: 2, Of: 3}, "ruby": {Know: 3, Of: 3}}
	for _, a := range rankingtest.Profiles(c, 7, 300) {
		for _, r := range []ranking.Result{m.Rank(a), m.RankTeam(a, team)} {
			if got := sortedIDs(r); !slices.Equal(got, []string{"alpha", "delta", "epsilon"}) {
				t.Fatalf("%v: the shortlist holds %v", a, got)
			}
			var ids []string
			for _, h := range r.NotConsidered {
				ids = append(ids, h.ID)
			}
			if !slices.Equal(ids, held) {
				t.Fatalf("%v: not considered %v, want %v", a, ids, held)
			}
			for _, e := range r.Shortlist {
				if isHeld(e.SiblingOf) || slices.ContainsFunc(e.Alternatives, heldName) {
					t.Fatalf("%v: %s stands with a framework on hold: %q / %v", a, e.ID, e.SiblingOf, e.Alternatives)
				}
			}
			for _, i := range r.Choices(len(r.Shortlist)) {
				if isHeld(r.Shortlist[i].ID) {
					t.Fatalf("%v: %s is a choice", a, r.Shortlist[i].ID)
				}
			}
			if slices.ContainsFunc(r.POC, heldName) || slices.ContainsFunc(r.Checklist, func(it ranking.CheckItem) bool { return heldName(it.Text) }) {
				t.Fatalf("%v: the plan or the checklist names a framework on hold: %v %v", a, r.POC, r.Checklist)
			}
		}
		f := m.Firmness(a)
		if heldName(f.Top) || slices.ContainsFunc(f.Flips, func(fl ranking.Flip) bool { return heldName(fl.Leader) }) {
			t.Fatalf("%v: the firmness names a framework on hold: %+v", a, f)
		}
		for _, alt := range otherAnswers(c, a)[:3] {
			for _, mv := range m.Movement(a, alt).Moves {
				if isHeld(mv.ID) {
					t.Fatalf("%v → %v: %s moves", a, alt, mv.ID)
				}
			}
		}
		if w, _ := m.WhyNot(a, "delta"); isHeld(w.Top.ID) || w.Lever != nil && w.Lever.Place < 1 {
			t.Fatalf("%v: why not delta names %s first, lever %+v", a, w.Top.ID, w.Lever)
		}
	}
	r := m.Rank(catalog.Answers{"languages": {"ruby"}})
	if got, want := r.NotConsidered[1], (ranking.Held{ID: "gamma", Name: "Gamma", Languages: []string{"Ruby"}, Stance: gammaHeld,
		Reason: "your organisation's radar puts Gamma on hold (2025-03-01): No new Ruby services"}); !reflect.DeepEqual(got, want) {
		t.Errorf("gamma not considered as %+v, want %+v", got, want)
	}
	if got := r.NotConsidered[0].Reason; got != "your organisation's radar puts Beta on hold (2024-11-20)" {
		t.Errorf("beta, held without a word, not considered as %q", got)
	}
	if d := entry(t, r, "delta"); d.Alternatives != nil || d.SiblingOf != "" {
		t.Errorf("delta, whose only sibling is on hold, stands with %v / %q", d.Alternatives, d.SiblingOf)
	}
}

// Asked about, a framework on hold is explained by the radar, not by a score gap, and compared
// on its ratings without a place.
func TestAFrameworkOnHoldIsExplainedByTheRadar(t *testing.T) {
	_, m := fullRadar(t)
	a := catalog.Answers{"languages": {"ruby"}, "deadline": {"weeks"}}
	w, ok := m.WhyNot(a, "gamma")
	if !ok || w.Place != 0 || w.Costs != nil || w.Lever != nil || w.Entry.Stance == nil || *w.Entry.Stance != gammaHeld {
		t.Fatalf("WhyNot(gamma) = %+v, %v; want it placed nowhere, with its stance and no costs or lever", w, ok)
	}
	if want := "Gamma is not considered: your organisation's radar puts Gamma on hold (2025-03-01): No new Ruby services. No answer given differently brings it back; only the radar can."; w.Standing() != want || w.LeverText() != "" {
		t.Errorf("Standing = %q, LeverText = %q; want %q and none", w.Standing(), w.LeverText(), want)
	}
	cmp, ok := m.Compare(a, "delta", "gamma")
	if !ok || cmp.PlaceA != 1 || cmp.PlaceB != 0 || len(cmp.Rows) == 0 {
		t.Fatalf("Compare(delta, gamma) = %+v, %v", cmp, ok)
	}
	if !strings.Contains(cmp.Title(), "Gamma (on hold, ") || !strings.HasSuffix(cmp.Verdict, " Gamma is not considered: your organisation's radar puts Gamma on hold (2025-03-01): No new Ruby services.") {
		t.Errorf("the comparison reads %q / %q", cmp.Title(), cmp.Verdict)
	}
}

// Adopt adds the stated bonus: the adopted framework's lead over every other never shrinks (a
// rounding point aside), it leads for answers it did not lead without it, and it always says
// why, whatever else argues for it; why-not and compare count it.
func TestAnAdoptedFrameworkGainsTheBonusAndItsReason(t *testing.T) {
	c, tried := withRadar(t, map[string]catalog.Stance{"epsilon": {Ring: catalog.Trial, Date: epsAdopt.Date, Entry: "Epsilon"}})
	_, adopted := withRadar(t, map[string]catalog.Stance{"epsilon": epsAdopt})
	gained := 0
	for _, a := range rankingtest.Profiles(c, 5, 300) {
		before, after := tried.Rank(a), adopted.Rank(a)
		e := entry(t, after, "epsilon")
		if !hasReason(e, "your organisation has adopted Epsilon", true) {
			t.Fatalf("%v: epsilon's reasons %v do not say it is adopted", a, reasonTexts(e))
		}
		if hasReason(entry(t, before, "epsilon"), "your organisation has adopted Epsilon", true) {
			t.Fatalf("%v: in trial, epsilon says it is adopted", a)
		}
		for _, x := range after.Shortlist {
			if lead0, lead1 := scoreOf(before, "epsilon")-scoreOf(before, x.ID), e.Score-x.Score; lead1 < lead0-1 {
				t.Errorf("%v: adopting epsilon shrinks its lead over %s from %d to %d", a, x.ID, lead0, lead1)
			}
		}
		if leadOf(after) == "epsilon" && leadOf(before) != "epsilon" {
			gained++
		}
		if leadOf(after) == "epsilon" {
			if w, _ := adopted.WhyNot(a, "alpha"); len(w.Costs) < 3 && !slices.ContainsFunc(w.Costs, func(cost ranking.Cost) bool {
				return strings.HasPrefix(cost.Text, "your organisation has adopted Epsilon, not Alpha")
			}) {
				t.Errorf("%v: why not alpha lists %v, not the adoption", a, w.Costs)
			}
		}
	}
	if gained == 0 {
		t.Error("adopting epsilon never put it first")
	}
	cmp, _ := adopted.Compare(catalog.Answers{}, "alpha", "epsilon")
	if !strings.Contains(cmp.Verdict, "Your organisation having adopted Epsilon is worth ") {
		t.Errorf("the comparison's verdict %q does not count the adoption", cmp.Verdict)
	}
}

// Trial and assess are notes: the ranking is the one without a radar, every entry carrying its
// stance.
func TestTrialAndAssessAreNotesThatWeighNothing(t *testing.T) {
	c, plain := load(t)
	_, noted := withRadar(t, map[string]catalog.Stance{"alpha": alphaTry, "delta": {Ring: catalog.Assess, Date: date("2024-02-29"), Description: "Spike in Q3.", Entry: "Delta"}})
	for _, a := range rankingtest.Profiles(c, 9, 200) {
		got, want := noted.Rank(a), plain.Rank(a)
		for i := range got.Shortlist {
			e := &got.Shortlist[i]
			if (e.Stance != nil) != (e.ID == "alpha" || e.ID == "delta") {
				t.Fatalf("%v: %s carries stance %+v", a, e.ID, e.Stance)
			}
			e.Stance = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%v: notes changed the ranking", a)
		}
	}
	r := noted.Rank(catalog.Answers{})
	for id, want := range map[string]string{
		"alpha": "Your organisation's radar: trial since 2025-06-30.",
		"delta": "Your organisation's radar: assess since 2024-02-29: Spike in Q3.",
		"beta":  "",
	} {
		if got := entry(t, r, id).RadarNote(); got != want {
			t.Errorf("%s's radar note = %q, want %q", id, got, want)
		}
	}
}

// Without a radar nothing changes, and a radar naming no framework is no radar.
func TestARadarNamingNothingChangesNothing(t *testing.T) {
	c, plain := load(t)
	_, empty := withRadar(t, map[string]catalog.Stance{})
	for _, a := range rankingtest.Profiles(c, 13, 100) {
		if !reflect.DeepEqual(empty.Rank(a), plain.Rank(a)) || !reflect.DeepEqual(empty.Firmness(a), plain.Firmness(a)) {
			t.Fatalf("%v: an empty radar changed the ranking", a)
		}
	}
}
