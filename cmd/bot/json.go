package main

import "github.com/stackpick/stackpick/internal/ranking"

// The JSON shape of "bot rank --json". It is a public interface: add fields, never rename them.
type (
	resultJSON struct {
		Situation []factJSON      `json:"situation"`
		Shortlist []entryJSON     `json:"shortlist"`
		Checklist []checkItemJSON `json:"checklist"`
		POC       []string        `json:"poc"`
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
		Reasons   []reasonJSON   `json:"reasons"`
		Watchouts []watchoutJSON `json:"watchouts"`
	}
	// reasonJSON is one reason: for (positive) or against the framework, with the seed ids behind
	// it (empty unless it is a seed recommendation).
	reasonJSON struct {
		Text     string   `json:"text"`
		Positive bool     `json:"positive"`
		Sources  []string `json:"sources"`
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
		Text   string `json:"text"`
	}
)

func jsonResult(r ranking.Result) resultJSON {
	out := resultJSON{Situation: []factJSON{}, Shortlist: []entryJSON{}, Checklist: []checkItemJSON{}, POC: r.POC}
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
			reasons[j] = reasonJSON{Text: rs.Text, Positive: rs.Positive, Sources: sources}
		}
		watchouts := make([]watchoutJSON, len(e.Watchouts))
		for j, w := range e.Watchouts {
			watchouts[j] = watchoutJSON{Text: w.Text, Triggered: w.Triggered}
		}
		out.Shortlist = append(out.Shortlist, entryJSON{
			Rank: i + 1, ID: e.ID, Name: e.Name, Score: e.Score, Languages: e.Languages,
			Website: e.Website, Emerging: e.Emerging, Reasons: reasons, Watchouts: watchouts,
		})
	}
	for _, it := range r.Checklist {
		status := "verify"
		if it.Settled {
			status = "settled"
		}
		out.Checklist = append(out.Checklist, checkItemJSON{ID: it.ID, Title: it.Title, Status: status, Text: it.Text})
	}
	return out
}
