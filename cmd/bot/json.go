package main

import (
	"math"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/ranking"
)

// The JSON shape of "bot rank --json". It is a public interface: add fields, never rename them.
type (
	resultJSON struct {
		Situation  []factJSON      `json:"situation"`
		Confidence confidenceJSON  `json:"confidence"` // the top entry's
		Choices    []string        `json:"choices"`    // ids of the entries to present, in order
		Shortlist  []entryJSON     `json:"shortlist"`
		Checklist  []checkItemJSON `json:"checklist"`
		POC        []string        `json:"poc"`
		// NotConsidered are the frameworks the organisation's radar puts on hold; absent without.
		NotConsidered []heldJSON `json:"not_considered,omitempty"`
	}
	// stanceJSON is the organisation's radar on a framework: its ring ("adopt", "trial",
	// "assess" or "hold"), since when (YYYY-MM-DD), what the radar says and its entry's title.
	stanceJSON struct {
		Ring        string `json:"ring"`
		Since       string `json:"since"`
		Description string `json:"description"`
		Entry       string `json:"entry"`
	}
	heldJSON struct {
		ID     string     `json:"id"`
		Name   string     `json:"name"`
		Radar  stanceJSON `json:"radar"`
		Reason string     `json:"reason"`
	}
	confidenceJSON struct {
		Level     string  `json:"level"`    // "low", "medium" or "high"
		Coverage  float64 `json:"coverage"` // 0..1, rounded to two places
		Margin    int     `json:"margin"`   // points over the next distinct choice
		Answered  int     `json:"answered"`
		Questions int     `json:"questions"`
	}
	factJSON struct {
		Question string   `json:"question"`
		Answers  []string `json:"answers"`
	}
	entryJSON struct {
		Rank      int            `json:"rank"`
		ID        string         `json:"id"`
		Name      string         `json:"name"`
		Score     int            `json:"score"`
		Languages []string       `json:"languages"`
		Website   string         `json:"website"`
		Emerging  bool           `json:"emerging"`
		Style     string         `json:"style"`
		Reasons   []reasonJSON   `json:"reasons"`
		Watchouts []watchoutJSON `json:"watchouts"`
		// Confidence is this entry's; Alternatives are its siblings' names when it stands for
		// them, SiblingOf the id of the sibling standing for it.
		Confidence   confidenceJSON `json:"confidence"`
		Alternatives []string       `json:"alternatives"`
		SiblingOf    string         `json:"sibling_of,omitempty"`
		Radar        *stanceJSON    `json:"radar,omitempty"` // absent when the radar does not name it
	}
	// reasonJSON is one reason: for (positive) or against the framework, the criterion it rests
	// on (empty for the language and the seeds' recommendations), and the seed ids behind it.
	reasonJSON struct {
		Text      string   `json:"text"`
		Positive  bool     `json:"positive"`
		Criterion string   `json:"criterion"`
		Sources   []string `json:"sources"`
	}
	// watchoutJSON is triggered when the answers meet its condition (and it cost the framework
	// score); otherwise it is a general caveat.
	watchoutJSON struct {
		Text      string `json:"text"`
		Triggered bool   `json:"triggered"`
	}
	checkItemJSON struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"` // "settled" or "verify"
		// Conflict: the top pick disagrees with the answer; the item is to verify first.
		Conflict bool   `json:"conflict"`
		Text     string `json:"text"`
	}
)

// jsonChoices is how many entries "choices" names: as many as the console shows in full.
const jsonChoices = 5

func jsonConfidence(c ranking.Confidence) confidenceJSON {
	return confidenceJSON{
		Level: string(c.Level), Coverage: math.Round(100*c.Coverage) / 100, Margin: c.Margin,
		Answered: c.Answered, Questions: c.Questions,
	}
}

func jsonStance(st catalog.Stance) stanceJSON {
	return stanceJSON{Ring: string(st.Ring), Since: st.Date.Format(time.DateOnly), Description: st.Description, Entry: st.Entry}
}

func jsonResult(r ranking.Result) resultJSON {
	out := resultJSON{
		Situation: []factJSON{}, Confidence: jsonConfidence(r.Confidence), Choices: []string{},
		Shortlist: []entryJSON{}, Checklist: []checkItemJSON{}, POC: r.POC,
	}
	for _, i := range r.Choices(jsonChoices) {
		out.Choices = append(out.Choices, r.Shortlist[i].ID)
	}
	for _, f := range r.Situation {
		out.Situation = append(out.Situation, factJSON{Question: f.QuestionID, Answers: f.Answers})
	}
	for i, e := range r.Shortlist {
		reasons := make([]reasonJSON, len(e.Reasons))
		for j, rs := range e.Reasons {
			sources := rs.Sources
			if sources == nil {
				sources = []string{}
			}
			reasons[j] = reasonJSON{Text: rs.Text, Positive: rs.Positive, Criterion: rs.Criterion, Sources: sources}
		}
		watchouts := make([]watchoutJSON, len(e.Watchouts))
		for j, w := range e.Watchouts {
			watchouts[j] = watchoutJSON{Text: w.Text, Triggered: w.Triggered}
		}
		alternatives := e.Alternatives
		if alternatives == nil {
			alternatives = []string{}
		}
		entry := entryJSON{
			Rank: i + 1, ID: e.ID, Name: e.Name, Score: e.Score, Languages: e.Languages,
			Website: e.Website, Emerging: e.Emerging, Style: e.Style, Reasons: reasons, Watchouts: watchouts,
			Confidence: jsonConfidence(e.Confidence), Alternatives: alternatives, SiblingOf: e.SiblingOf,
		}
		if e.Stance != nil {
			st := jsonStance(*e.Stance)
			entry.Radar = &st
		}
		out.Shortlist = append(out.Shortlist, entry)
	}
	for _, h := range r.NotConsidered {
		out.NotConsidered = append(out.NotConsidered, heldJSON{ID: h.ID, Name: h.Name, Radar: jsonStance(h.Stance), Reason: h.Reason})
	}
	for _, it := range r.Checklist {
		status := "verify"
		if it.Settled {
			status = "settled"
		}
		out.Checklist = append(out.Checklist, checkItemJSON{ID: it.ID, Title: it.Title, Status: status, Conflict: it.Conflict, Text: it.Text})
	}
	return out
}
