package blockkit

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/dialog"
	"github.com/stackpick/stackpick/internal/ranking"
)

var radarDay = time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC)

// radarResult is result under an organisation's radar: Alpha adopted, Beta & Co in trial, and
// Laravel on hold, not considered; the radar's words are untrusted.
func radarResult() *ranking.Result {
	res := result()
	res.Shortlist[0].Stance = &catalog.Stance{Ring: catalog.Adopt, Date: radarDay, Description: "Our default <for> Go & co."}
	res.Shortlist[1].Stance = &catalog.Stance{Ring: catalog.Trial, Date: radarDay.AddDate(0, 3, 0)}
	res.NotConsidered = []ranking.Held{{ID: "laravel", Name: "Laravel", Languages: []string{"PHP"},
		Stance: catalog.Stance{Ring: catalog.Hold, Date: radarDay, Description: "No PHP <!here> in production."},
		Reason: "your organisation's radar puts Laravel on hold (2025-03-01): No PHP <!here> in production"}}
	return res
}

// heldWhyNot asks why not Laravel, on hold.
func heldWhyNot() *ranking.WhyNot {
	res := radarResult()
	h := res.NotConsidered[0]
	return &ranking.WhyNot{Entry: ranking.Entry{ID: h.ID, Name: h.Name, Score: 40, Stance: &h.Stance, Website: "https://laravel.example"}, Top: res.Shortlist[0]}
}

// radarListing has every ring but assess, and frameworks off the radar.
func radarListing() RadarListing {
	return RadarListing{Configured: true, Frameworks: 5, Off: []string{"Gamma <new>", "Delta"}, Rings: []ListedRing{
		{Ring: catalog.Adopt, Frameworks: []RadarFramework{{Name: "Alpha", Since: radarDay, Said: "Our default <for> Go & co."}}},
		{Ring: catalog.Trial, Frameworks: []RadarFramework{{Name: "Beta & Co", Since: radarDay.AddDate(0, 3, 0)}}},
		{Ring: catalog.Assess},
		{Ring: catalog.Hold, Frameworks: []RadarFramework{{Name: "Laravel", Since: radarDay, Said: "No PHP <!here> in production."}}},
	}}
}

// radarGoldens are the radar's renderings, golden and checked against Block Kit's limits with
// the others (goldenMessages).
func radarGoldens(t *testing.T) map[string]Message {
	reply := func(r dialog.Reply) Message {
		r.Session, r.Step = ctl.Session, ctl.Step
		return only(t, Render(r, ctl.Owner))
	}
	cmp := alphaVsGamma()
	cmp.A.Stance, cmp.B, cmp.PlaceB = radarResult().Shortlist[0].Stance, heldWhyNot().Entry, 0
	cmp.Verdict = "For your answers Alpha leads Laravel by 50 points. Laravel is not considered: " + radarResult().NotConsidered[0].Reason + "."
	return map[string]Message{
		"result_radar":       reply(dialog.Reply{Result: radarResult(), Firmness: firmness(), Questions: questions}),
		"full_ranking_radar": reply(dialog.Reply{Result: radarResult(), Detail: dialog.DetailRanking}),
		"why_not_held":       reply(dialog.Reply{WhyNot: heldWhyNot()}),
		"compare_held":       reply(dialog.Reply{Compare: cmp}),
		"radar":              Radar(radarListing()),
		"radar_none":         Radar(RadarListing{Frameworks: 5}),
	}
}

// The radar shows where the frameworks do, and a framework on hold can still be asked about.
func TestTheRadarShowsWithTheFrameworks(t *testing.T) {
	m := radarGoldens(t)
	for name, want := range map[string][]string{
		"result_radar":       {":compass: Your organisation's radar: adopt since 2025-03-01: Our default &lt;for&gt; Go &amp; co.", ":no_entry: your organisation's radar puts Laravel on hold (2025-03-01): No PHP &lt;!here&gt; in production", `"value":"laravel"`},
		"full_ranking_radar": {"_radar: trial since 2025-06-01_", "*Not considered*"},
		"why_not_held":       {"Laravel is not considered: your organisation's radar puts Laravel on hold"},
		"compare_held":       {"Laravel (on hold, 40)", "Laravel is not considered: your organisation's radar puts Laravel on hold (2025-03-01): No PHP &lt;!here&gt; in production."},
		"radar":              {":no_entry: *Hold*", "• *Laravel* since 2025-03-01: No PHP &lt;!here&gt; in production.", "*Not on the radar*, ranked on your answers alone: Gamma &lt;new&gt;, Delta"},
		"radar_none":         {"No tech radar is configured", "STACKPICK_RADAR"},
	} {
		data, _ := json.Marshal(m[name].Blocks)
		got := unescapeJSON(string(data))
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q: %s", name, w, got)
			}
		}
	}
	if strings.Contains(string(mustJSON(t, m["radar"].Blocks)), "Assess") {
		t.Error("the listing shows the empty assess ring")
	}
}

// A radar of many frameworks, each with 300 characters of hostile text, fits an ack and Block
// Kit's limits, and says how many it could not list.
func TestTheWorstRadarFitsAnAck(t *testing.T) {
	l := RadarListing{Configured: true, Frameworks: 100}
	for i, ring := range catalog.Rings {
		lr := ListedRing{Ring: ring}
		for j := 0; j < 25; j++ {
			lr.Frameworks = append(lr.Frameworks, RadarFramework{Name: long(60, fmt.Sprint("Framework ", i, j, " <!channel> ")), Since: radarDay, Said: long(300, "said <!channel> <@U1> & ")})
		}
		l.Rings = append(l.Rings, lr)
	}
	for i := 0; i < 100; i++ {
		l.Off = append(l.Off, long(60, "Off <!channel> & "))
	}
	m := Radar(l)
	checkMessage(t, "worst radar", m)
	if data := mustJSON(t, map[string]any{"response_type": "ephemeral", "text": m.Text, "blocks": m.Blocks}); len(data) >= 20480 {
		t.Errorf("the radar ack is %d bytes; Slack drops acks of 20 KiB or more", len(data))
	}
	if data := string(mustJSON(t, m.Blocks)); !strings.Contains(data, "more on the radar: see its file.") || !strings.Contains(data, "Not on the radar") {
		t.Errorf("the worst radar does not count what it leaves out, or drops the frameworks off it: %s", data)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// unescapeJSON undoes Go's HTML-safe escaping of <, > and & in JSON, for substring checks.
func unescapeJSON(s string) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(s)
}
