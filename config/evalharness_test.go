package config_test

// The evaluation harness: loading and checking the evaluation set, scoring it against a model,
// the sensitivity report over generated profiles, and the markdown both are printed as. It knows
// the ranking only through its public API (Compile, Rank, an entry's ID, Emerging, Score and
// Confidence) and takes a pick's languages as the catalog declares them for its id, so it keeps
// working when the model behind that API is rebuilt.

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// evalFile is where the shipped evaluation set lives, relative to this package, and the name its
// problems are reported under.
const (
	evalFile     = "testdata/eval/profiles.yaml"
	evalFileName = "config/" + evalFile
)

// languagesQuestion is the question whose option ids frameworks list as their languages;
// teamQuestion, when the catalog has it, splits the language-wins rate by team size.
const (
	languagesQuestion = "languages"
	teamQuestion      = "team"
)

// The values of a profile's language expectation.
const (
	langWins  = "wins"
	langLoses = "loses"
	langNone  = "none"
)

// evalSet is the evaluation set file. Its format is documented in the file's header comment.
type evalSet struct {
	Profiles []evalProfile `yaml:"profiles"`
}

// evalProfile is one situation the seeds speak to and the #1 picks they support.
type evalProfile struct {
	ID         string          `yaml:"id"`
	Says       string          `yaml:"says"`
	Answers    catalog.Answers `yaml:"answers"`
	Accept     []string        `yaml:"accept"`
	NeverFirst []string        `yaml:"never_first"`
	Language   string          `yaml:"language"`
	Seeds      []evalSeed      `yaml:"seeds"`
	Note       string          `yaml:"note"`
}

// evalSeed is one seed passage a profile rests on.
type evalSeed struct {
	File string `yaml:"file"`
	Says string `yaml:"says"`
}

// loadedEvalSet is a decoded evaluation set with its node tree, so problems can name line and
// column.
type loadedEvalSet struct {
	name string
	set  evalSet
	root *yaml.Node
}

// loadEvalSet decodes data strictly: unknown fields and type errors are errors, named
// name:line: like the catalog's own problems.
func loadEvalSet(name string, data []byte) (*loadedEvalSet, error) {
	l := &loadedEvalSet{name: name, root: &yaml.Node{}}
	if err := yaml.Unmarshal(data, l.root); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&l.set); err != nil && !errors.Is(err, io.EOF) {
		msgs := []string{err.Error()}
		var te *yaml.TypeError
		if errors.As(err, &te) {
			msgs = te.Errors
		}
		for i, m := range msgs {
			msgs[i] = name + ":" + strings.TrimPrefix(strings.TrimPrefix(m, "yaml: "), "line ")
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return l, nil
}

// at returns "file:line:col: profiles[i] (id).path" for the deepest node of path that exists
// under profile i. Path elements are map keys (string) and sequence indexes (int).
func (l *loadedEvalSet) at(i int, path ...any) string {
	n := l.node(append([]any{"profiles", i}, path...)...)
	where := fmt.Sprintf("profiles[%d]", i)
	if id := l.set.Profiles[i].ID; id != "" {
		where += " (" + id + ")"
	}
	for _, p := range path {
		switch p := p.(type) {
		case string:
			where += "." + p
		case int:
			where += fmt.Sprintf("[%d]", p)
		}
	}
	if n == nil {
		return l.name + ": " + where
	}
	return fmt.Sprintf("%s:%d:%d: %s", l.name, n.Line, n.Column, where)
}

func (l *loadedEvalSet) node(path ...any) *yaml.Node {
	n := l.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	found := n
	for _, p := range path {
		var next *yaml.Node
		switch p := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for k := 0; k+1 < len(n.Content); k += 2 {
					if n.Content[k].Value == p {
						found, next = n.Content[k], n.Content[k+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && p < len(n.Content) {
				next = n.Content[p]
				found = next
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return found
}

// check reports every problem of the set against the catalog at once: unknown questions, options,
// frameworks and seed files; answers the catalog would reject (two options for a one-choice
// question, an exclusive option with others); and profiles that are incomplete or contradict
// themselves.
func (l *loadedEvalSet) check(cat *catalog.Catalog) []string {
	var problems []string
	add := func(where, format string, args ...any) {
		problems = append(problems, where+": "+fmt.Sprintf(format, args...))
	}
	seedFiles := map[string]bool{}
	for _, s := range cat.Seeds {
		seedFiles[s.File] = true
	}
	if len(l.set.Profiles) == 0 {
		problems = append(problems, l.name+": no profiles")
	}
	seen := map[string]int{}
	for i, p := range l.set.Profiles {
		if p.ID == "" {
			add(l.at(i), "no id")
		} else if j, dup := seen[p.ID]; dup {
			add(l.at(i, "id"), "id %q is also profiles[%d]'s", p.ID, j)
		} else {
			seen[p.ID] = i
		}
		if strings.TrimSpace(p.Says) == "" {
			add(l.at(i), "no says")
		}
		if p.Answers == nil {
			add(l.at(i), "no answers (write {} for none)")
		}
		for _, qid := range slices.Sorted(maps.Keys(p.Answers)) {
			opts := p.Answers[qid]
			q, ok := cat.Question(qid)
			if !ok {
				add(l.at(i, "answers", qid), "unknown question %q", qid)
				continue
			}
			if len(opts) == 0 {
				add(l.at(i, "answers", qid), "no options (leave the question out when it is not answered)")
			}
			for k, o := range opts {
				opt, ok := q.Option(o)
				switch {
				case !ok:
					add(l.at(i, "answers", qid, k), "%s has no option %q", qid, o)
				case opt.Exclusive && len(opts) > 1:
					add(l.at(i, "answers", qid, k), "%q cannot be combined with other options", o)
				case slices.Index(opts, o) != k:
					add(l.at(i, "answers", qid, k), "%q is given twice", o)
				}
			}
			if q.Kind == catalog.One && len(opts) > 1 {
				add(l.at(i, "answers", qid), "%s takes one option, got %d", qid, len(opts))
			}
		}
		if len(p.Accept) == 0 {
			add(l.at(i, "accept"), "no framework given")
		}
		for k, id := range p.Accept {
			if _, ok := cat.Framework(id); !ok {
				add(l.at(i, "accept", k), "unknown framework %q", id)
			}
		}
		for k, id := range p.NeverFirst {
			if _, ok := cat.Framework(id); !ok {
				add(l.at(i, "never_first", k), "unknown framework %q", id)
			}
			if slices.Contains(p.Accept, id) {
				add(l.at(i, "never_first", k), "%q is also in accept", id)
			}
		}
		team := teamLanguages(cat, p.Answers)
		switch p.Language {
		case langWins, langLoses:
			if len(team) == 0 {
				add(l.at(i, "language"), "%q needs a team language in answers.%s", p.Language, languagesQuestion)
			}
		case langNone:
			if len(team) > 0 {
				add(l.at(i, "language"), "none, but answers.%s names %v", languagesQuestion, team)
			}
		default:
			add(l.at(i, "language"), "%q is not one of wins, loses, none", p.Language)
		}
		if len(p.Seeds) == 0 {
			add(l.at(i, "seeds"), "no passage given")
		}
		for k, s := range p.Seeds {
			if !seedFiles[s.File] {
				add(l.at(i, "seeds", k, "file"), "%q is not a file in the catalog's seeds", s.File)
			}
			if strings.TrimSpace(s.Says) == "" {
				add(l.at(i, "seeds", k), "no says")
			}
		}
	}
	return problems
}

// teamLanguages returns the languages the answers say the team knows: the languages question's
// options, without an exclusive one ("none of these").
func teamLanguages(cat *catalog.Catalog, a catalog.Answers) []string {
	var out []string
	for i := range cat.Questions {
		if q := &cat.Questions[i]; q.ID == languagesQuestion {
			for _, id := range a[languagesQuestion] {
				if o, ok := q.Option(id); ok && !o.Exclusive {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// declaredLanguages returns the languages the catalog declares for a ranked entry (option ids of
// the languages question; the entry itself carries their labels).
func declaredLanguages(cat *catalog.Catalog, e ranking.Entry) []string {
	for i := range cat.Frameworks {
		if cat.Frameworks[i].ID == e.ID {
			return cat.Frameworks[i].Languages
		}
	}
	return nil
}

// speaksAny reports whether a framework declared in langs is in one of the team's languages.
func speaksAny(langs, team []string) bool {
	return slices.ContainsFunc(langs, func(l string) bool { return slices.Contains(team, l) })
}

// evalOutcome is how one profile fared.
type evalOutcome struct {
	Profile      *evalProfile
	Top          []ranking.Entry // the first three (fewer when the catalog is smaller)
	Accepted     bool            // #1 is in accept
	NeverFirstOK bool            // #1 is not in never_first
	LanguageOK   bool            // the language expectation holds; true when there is none
}

// Agrees reports whether the profile passes: an accepted #1 that breaks no expectation.
func (o evalOutcome) Agrees() bool { return o.Accepted && o.NeverFirstOK && o.LanguageOK }

// evaluate ranks every profile with m. The language expectation is judged by the languages the
// catalog declares for the #1 pick.
func evaluate(m *ranking.Model, cat *catalog.Catalog, profiles []evalProfile) []evalOutcome {
	out := make([]evalOutcome, len(profiles))
	for i := range profiles {
		p := &profiles[i]
		r := m.Rank(p.Answers)
		first := r.Shortlist[0]
		o := evalOutcome{
			Profile:      p,
			Top:          r.Shortlist[:min(3, len(r.Shortlist))],
			Accepted:     slices.Contains(p.Accept, first.ID),
			NeverFirstOK: !slices.Contains(p.NeverFirst, first.ID),
			LanguageOK:   true,
		}
		switch p.Language {
		case langWins:
			o.LanguageOK = speaksAny(declaredLanguages(cat, first), teamLanguages(cat, p.Answers))
		case langLoses:
			o.LanguageOK = !speaksAny(declaredLanguages(cat, first), teamLanguages(cat, p.Answers))
		}
		out[i] = o
	}
	return out
}

// evalTotals counts outcomes; each check is counted over the profiles it applies to.
type evalTotals struct {
	Profiles, Agree              int
	Accepted                     int
	NeverFirst, NeverFirstOK     int // profiles with a never_first list, and those it holds for
	Language, LanguageOK         int // profiles expecting wins or loses, and those it holds for
	Wins, WinsOK, Loses, LosesOK int
}

func totals(outs []evalOutcome) evalTotals {
	var t evalTotals
	count := func(ok bool) int {
		if ok {
			return 1
		}
		return 0
	}
	for _, o := range outs {
		t.Profiles++
		t.Agree += count(o.Agrees())
		t.Accepted += count(o.Accepted)
		if len(o.Profile.NeverFirst) > 0 {
			t.NeverFirst++
			t.NeverFirstOK += count(o.NeverFirstOK)
		}
		switch o.Profile.Language {
		case langWins:
			t.Wins++
			t.WinsOK += count(o.LanguageOK)
		case langLoses:
			t.Loses++
			t.LosesOK += count(o.LanguageOK)
		}
	}
	t.Language, t.LanguageOK = t.Wins+t.Loses, t.WinsOK+t.LosesOK
	return t
}

// seedFamilies is the evaluation file's own assumption about languages, written in its header:
// JavaScript and TypeScript are one family, Spring Boot is Java and Kotlin, Ktor is Kotlin.
func seedFamilies(f *catalog.Framework) []string {
	langs := slices.Clone(f.Languages)
	if slices.Contains(langs, "javascript") || slices.Contains(langs, "typescript") {
		langs = append(langs, "javascript", "typescript")
	}
	switch f.ID {
	case "spring-boot":
		langs = append(langs, "java", "kotlin")
	case "ktor":
		langs = append(langs, "kotlin")
	}
	slices.Sort(langs)
	return slices.Compact(langs)
}

// familyAffected lists the profiles with a wins/loses expectation for which the file's language
// families and the catalog's labels disagree on whether some framework is in the team's
// languages: only there could the verdict depend on which of the two is used.
func familyAffected(cat *catalog.Catalog, profiles []evalProfile) []string {
	var ids []string
	for _, p := range profiles {
		if p.Language != langWins && p.Language != langLoses {
			continue
		}
		team := teamLanguages(cat, p.Answers)
		for i := range cat.Frameworks {
			f := &cat.Frameworks[i]
			if speaksAny(f.Languages, team) != speaksAny(seedFamilies(f), team) {
				ids = append(ids, p.ID)
				break
			}
		}
	}
	return ids
}

// generateProfiles returns n random, valid answer sets over the catalog's questions, the same for
// the same seed: each answers a random non-empty subset of the questions; a one-choice question
// gets one option, a several-choice question one to three, and an exclusive option stands alone.
func generateProfiles(cat *catalog.Catalog, seed uint64, n int) []catalog.Answers {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := make([]catalog.Answers, n)
	for i := range out {
		a := catalog.Answers{}
		k := 1 + rng.IntN(len(cat.Questions))
		for _, qi := range rng.Perm(len(cat.Questions))[:k] {
			q := &cat.Questions[qi]
			first := q.Options[rng.IntN(len(q.Options))]
			chosen := []string{first.ID}
			if q.Kind == catalog.Several && !first.Exclusive {
				for range rng.IntN(3) {
					o := q.Options[rng.IntN(len(q.Options))]
					if !o.Exclusive && !slices.Contains(chosen, o.ID) {
						chosen = append(chosen, o.ID)
					}
				}
			}
			a[q.ID] = chosen
		}
		out[i] = a
	}
	return out
}

// sensitivity is what the model does over many generated profiles.
type sensitivity struct {
	Profiles        int
	First           map[string]int // framework id -> profiles it leads
	NoLanguage      int            // profiles without a team language
	FirstNoLanguage map[string]int
	WithLanguage    int // profiles with a team language
	LanguageWins    int // of those, the #1 is in one of the team's languages
	EmergingFirst   int
	EmergingTop3    int               // an emerging framework is among the first three
	TiedFirst       int               // #1 is level with the next genuinely different choice (siblings aside)
	ByTeam          map[string][2]int // team-size option ("" unanswered) -> language wins, profiles with a language
	Empty           []ranking.Entry   // the top three with no answers at all
	Single          int               // profiles that give one option of one question: one per option
	FirstSingle     map[string]int
}

func measure(m *ranking.Model, cat *catalog.Catalog, profiles []catalog.Answers) sensitivity {
	s := sensitivity{First: map[string]int{}, FirstNoLanguage: map[string]int{}, ByTeam: map[string][2]int{}}
	for _, a := range profiles {
		list := m.Rank(a).Shortlist
		first := list[0]
		s.Profiles++
		s.First[first.ID]++
		if first.Emerging {
			s.EmergingFirst++
		}
		if slices.ContainsFunc(list[:min(3, len(list))], func(e ranking.Entry) bool { return e.Emerging }) {
			s.EmergingTop3++
		}
		if len(list) > 1 && first.Confidence.Margin == 0 {
			s.TiedFirst++
		}
		if team := teamLanguages(cat, a); len(team) > 0 {
			s.WithLanguage++
			size := strings.Join(a[teamQuestion], "+")
			byTeam := s.ByTeam[size]
			byTeam[1]++
			if speaksAny(declaredLanguages(cat, first), team) {
				s.LanguageWins++
				byTeam[0]++
			}
			s.ByTeam[size] = byTeam
		} else {
			s.NoLanguage++
			s.FirstNoLanguage[first.ID]++
		}
	}
	r := m.Rank(catalog.Answers{}).Shortlist
	s.Empty = r[:min(3, len(r))]
	s.FirstSingle = map[string]int{}
	for _, q := range cat.Questions {
		for _, o := range q.Options {
			s.Single++
			s.FirstSingle[m.Rank(catalog.Answers{q.ID: {o.ID}}).Shortlist[0].ID]++
		}
	}
	return s
}

func pct(n, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func ratio(n, of int) string { return fmt.Sprintf("%d/%d (%s)", n, of, pct(n, of)) }

func mark(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func topList(es []ranking.Entry) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("%s %d", e.ID, e.Score)
	}
	return strings.Join(parts, ", ")
}

// agreementTable is the per-profile table `make eval` prints.
func agreementTable(outs []evalOutcome) string {
	var b strings.Builder
	b.WriteString("| profile | #1 | accepted | never_first ok | language ok | top 3 (score) |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, o := range outs {
		nf, lang := "–", "–"
		if len(o.Profile.NeverFirst) > 0 {
			nf = mark(o.NeverFirstOK)
		}
		if o.Profile.Language != langNone {
			lang = o.Profile.Language + ": " + mark(o.LanguageOK)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n",
			o.Profile.ID, o.Top[0].ID, mark(o.Accepted), nf, lang, topList(o.Top))
	}
	return b.String()
}

// agreementSummary is the totals, then the profiles that miss.
func agreementSummary(outs []evalOutcome, affected []string) string {
	t := totals(outs)
	var b strings.Builder
	b.WriteString("| check | holds |\n|---|---|\n")
	fmt.Fprintf(&b, "| all checks (agreement rate) | %s |\n", ratio(t.Agree, t.Profiles))
	fmt.Fprintf(&b, "| #1 is in accept | %s |\n", ratio(t.Accepted, t.Profiles))
	fmt.Fprintf(&b, "| #1 is not in never_first (profiles with one) | %s |\n", ratio(t.NeverFirstOK, t.NeverFirst))
	fmt.Fprintf(&b, "| language expectation (wins or loses) | %s |\n", ratio(t.LanguageOK, t.Language))
	fmt.Fprintf(&b, "| — the team's language should win | %s |\n", ratio(t.WinsOK, t.Wins))
	fmt.Fprintf(&b, "| — the team's language should lose | %s |\n", ratio(t.LosesOK, t.Loses))
	var misses []string
	for _, o := range outs {
		if !o.Agrees() {
			misses = append(misses, fmt.Sprintf("%s (%s)", o.Profile.ID, o.Top[0].ID))
		}
	}
	fmt.Fprintf(&b, "\nProfiles that miss, with today's #1: %s.\n", orNone(misses))
	fmt.Fprintf(&b, "\nLanguage is judged by the languages the catalog declares for each framework. The evaluation "+
		"file assumes JavaScript and TypeScript are one family, Spring Boot is Java and Kotlin, and Ktor "+
		"is Kotlin; profiles where that assumption and the catalog's labels disagree about some framework: %d%s.\n",
		len(affected), listSuffix(affected))
	return b.String()
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func listSuffix(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return " (" + strings.Join(s, ", ") + ")"
}

// sensitivityReport is the table of #1 shares and the headline rates.
// withoutBaseWeights is cat with every base weight at zero: ranked with it, the answers alone
// choose, so a framework's lead that survives comes from the answers, not from the base.
func withoutBaseWeights(cat *catalog.Catalog) *catalog.Catalog {
	flat := *cat
	flat.Weights.Base = nil
	return &flat
}

// sensitivityReport prints s; unweighted is the same profiles ranked without base weights.
func sensitivityReport(cat *catalog.Catalog, s, unweighted sensitivity, seed uint64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d random profiles (seed %d; each answers a random subset of the %d questions with valid options); "+
		"%d name a team language, %d do not.\n\n", s.Profiles, seed, len(cat.Questions), s.WithLanguage, s.NoLanguage)
	b.WriteString("| rate | value |\n|---|---|\n")
	fmt.Fprintf(&b, "| the team's language wins (#1 in one of its languages, profiles with a language) | %s |\n", ratio(s.LanguageWins, s.WithLanguage))
	for i := range cat.Questions {
		if q := &cat.Questions[i]; q.ID == teamQuestion {
			for _, o := range append(slices.Clone(q.Options), catalog.Option{}) {
				label := "team size not given"
				if o.ID != "" {
					label = "team: " + o.ID
				}
				w := s.ByTeam[o.ID]
				fmt.Fprintf(&b, "| — %s | %s |\n", label, ratio(w[0], w[1]))
			}
		}
	}
	fmt.Fprintf(&b, "| #1 is emerging | %s |\n", ratio(s.EmergingFirst, s.Profiles))
	fmt.Fprintf(&b, "| an emerging framework is in the top three | %s |\n", ratio(s.EmergingTop3, s.Profiles))
	fmt.Fprintf(&b, "| #1 is level with the next different choice (a 0-point margin; siblings aside) | %s |\n", ratio(s.TiedFirst, s.Profiles))
	fmt.Fprintf(&b, "| with no answers at all, the top three | %s |\n\n", topList(s.Empty))
	ids := make([]string, len(cat.Frameworks))
	for i, f := range cat.Frameworks {
		ids[i] = f.ID
	}
	slices.SortStableFunc(ids, func(a, b string) int { return cmp.Compare(s.First[b], s.First[a]) })
	fmt.Fprintf(&b, "| framework | #1, all profiles | #1, profiles without a language | #1 without a language, base weights at zero | #1 with one answer alone (of %d) | emerging |\n|---|---|---|---|---|---|\n", s.Single)
	for _, id := range ids {
		f, _ := cat.Framework(id)
		em := ""
		if f.Emerging {
			em = "yes"
		}
		fmt.Fprintf(&b, "| %s | %d (%s) | %d (%s) | %d (%s) | %d | %s |\n", id,
			s.First[id], pct(s.First[id], s.Profiles), s.FirstNoLanguage[id], pct(s.FirstNoLanguage[id], s.NoLanguage),
			unweighted.FirstNoLanguage[id], pct(unweighted.FirstNoLanguage[id], unweighted.NoLanguage), s.FirstSingle[id], em)
	}
	return b.String()
}

// The markers between which `make eval` rewrites docs/DECISIONS.md; the prose around them is
// written by hand.
const (
	evalBegin = "<!-- make eval: begin (generated, do not edit) -->"
	evalEnd   = "<!-- make eval: end -->"
)

// replaceGenerated returns doc with the text between the markers replaced by generated.
func replaceGenerated(doc, generated string) (string, error) {
	before, rest, ok := strings.Cut(doc, evalBegin)
	if !ok {
		return "", fmt.Errorf("no %q line", evalBegin)
	}
	_, after, ok := strings.Cut(rest, evalEnd)
	if !ok {
		return "", fmt.Errorf("no %q line after the begin marker", evalEnd)
	}
	return before + evalBegin + "\n" + strings.TrimSpace(generated) + "\n" + evalEnd + after, nil
}
