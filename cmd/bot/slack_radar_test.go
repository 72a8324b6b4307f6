package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stackpick/stackpick/internal/slackfake"
)

// fixtureRadar puts Quill (the fixture's pick for a Python SaaS team) on hold, has Fernwork
// adopted and Ironbark in trial, and holds Kafka, which is no framework; Quill's reason carries a
// mention, which must never ping.
const fixtureRadar = "testdata/radar.json"

// The organisation's radar end to end, on the fake Slack with real Redis (in CI) and the real
// bot: /stackpick radar lists it in the ack; a Python SaaS team's result leads with the adopted
// framework and lists the one on hold as not considered; a why-not of the one on hold says the
// radar holds it, and a comparison places it nowhere; the exported record's canvas carries the
// rings and the not-considered line; a broken radar is rejected at reload like broken YAML, with
// its position, and the running one stays; a fixed one is taken.
func TestSlackFollowsTheOrganisationsRadar(t *testing.T) {
	radarFile := filepath.Join(t.TempDir(), "radar.json")
	data, err := os.ReadFile(fixtureRadar)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(radarFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	e := startE2E(t, map[string]string{"STACKPICK_RADAR": radarFile})
	const ana = "URADAR"
	listing := func() string {
		t.Helper()
		e.next()
		ack := e.send(e.fake.SlashCommand(e.ctx, ana, "CGENERAL", "/stackpick", "radar"))
		payload := strings.ReplaceAll(unescapeJSON(ack.Payload), `\n`, "\n")
		if strings.Contains(payload, "<!channel>") || !strings.Contains(payload, `"ephemeral"`) {
			t.Errorf("the radar ack pings or is not ephemeral: %s", payload)
		}
		return payload
	}

	payload := listing()
	for _, want := range []string{
		fmt.Sprintf("Your organisation's radar on the %d frameworks I know", len(e.cat.Frameworks)),
		":white_check_mark: *Adopt*\n• *Fernwork* since 2025-01-10: Our Python default.",
		":test_tube: *Trial*\n• *Ironbark* since 2025-06-30",
		":no_entry: *Hold*: not recommended, whatever the answers\n• *Quill* since 2025-03-01: Unmaintained since 2024 &lt;!channel&gt;: no new services on it.",
		"*Not on the radar*, ranked on your answers alone: Tidewater, Swiftlet, Emberline",
	} {
		if !strings.Contains(payload, want) {
			t.Errorf("the radar ack lacks %q: %s", want, payload)
		}
	}

	// The result: Quill, which leads without the radar, is not considered; Fernwork, adopted, leads.
	dm, parent, result := e.finished(ana, "a B2B SaaS in Python, 4 devs, launch in 6 weeks")
	blocks := unescapeJSON(result.Blocks)
	if !strings.HasPrefix(result.Text, "Your backend shortlist: 1. Fernwork") || strings.Contains(result.Text, "Quill") {
		t.Errorf("result = %q, want Fernwork first and no Quill", result.Text)
	}
	for _, want := range []string{
		":compass: Your organisation's radar: adopt since 2025-01-10: Our Python default.",
		":no_entry: your organisation's radar puts Quill on hold (2025-03-01): Unmaintained since 2024 &lt;!channel&gt;: no new services on it",
	} {
		if !strings.Contains(blocks, want) {
			t.Errorf("the result lacks %q: %s", want, blocks)
		}
	}
	e.click(ana, result, "show:ranking")
	ranking := e.waitPost(dm, "The full ranking")
	if got := unescapeJSON(ranking.Blocks); !strings.Contains(got, "*Fernwork* ") || !strings.Contains(got, "_radar: adopt since 2025-01-10_") || !strings.Contains(got, "*Not considered*") {
		t.Errorf("the full ranking does not show the radar: %s", got)
	}

	// Why not Quill, from the result's menu and typed: the radar holds it; no score gap, no lever.
	e.selectIn(ana, result, "why_not", "quill")
	held := "Quill is not considered: your organisation's radar puts Quill on hold (2025-03-01): Unmaintained since 2024 &lt;!channel&gt;: no new services on it. No answer given differently brings it back; only the radar can."
	if why := e.waitPost(dm, "Quill is not considered"); why.Text != held || strings.Contains(string(why.Blocks), "behind") {
		t.Errorf("why not Quill = %q\nwant %q", why.Text, held)
	}
	e.say(ana, parent.TS, "why not quill?")
	e.waitPost(dm, "Quill is not considered")
	e.say(ana, parent.TS, "compare fernwork and quill")
	if cmp := e.waitPost(dm, "Fernwork (#1"); !strings.Contains(cmp.Text, "Quill (on hold, ") || !strings.Contains(cmp.Text, "Quill is not considered") {
		t.Errorf("the comparison does not place Quill on hold: %q", cmp.Text)
	}

	// The decision record: the considered options with their rings, and Quill not considered.
	e.click(ana, result, "export")
	canvas, err := e.fake.WaitCanvas(e.ctx, func(c slackfake.Canvas) bool { return c.Channel == dm })
	if err != nil {
		t.Fatalf("no canvas: %v\n%s", err, e.fake.Log())
	}
	for _, want := range []string{
		"* Fernwork – ranked 1st with ", "; your organisation's radar: adopt since 2025-01-10\n",
		"; your organisation's radar: trial since 2025-06-30",
		"\nNot considered: your organisation's radar puts Quill on hold (2025-03-01): Unmaintained since 2024 \\<!channel\\>: no new services on it.\n",
		"* Good, because your organisation has adopted Fernwork\n",
	} {
		if !strings.Contains(canvas.Markdown, want) {
			t.Errorf("the record lacks %q:\n%s", want, canvas.Markdown)
		}
	}
	if strings.Contains(canvas.Markdown, "### Quill") {
		t.Error("the record weighs Quill as an option")
	}

	// A broken radar is rejected at reload, positioned like the YAML's problems; the running
	// radar stays. Fixed, it is taken.
	broken := strings.Replace(string(data), `"ringId": "hold"`, `"ringId": "retired"`, 1)
	if err := os.WriteFile(radarFile, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _, _ := strings.Cut(broken, `"retired"`)
	at := fmt.Sprintf("%s:%d:%d", radarFile, strings.Count(before, "\n")+1, len(before)-strings.LastIndexByte(before, '\n'))
	e.reloadConfig(t, e.ctx)
	log, err := e.logs.waitFor(e.ctx, "config reload rejected")
	if err != nil {
		t.Fatal(err)
	}
	if want := at + `: entries[0].timeline[1].ringId: unknown ring \"retired\"`; !strings.Contains(log, want) {
		t.Errorf("the rejection does not locate the problem as %s: %s", want, log)
	}
	if !strings.Contains(listing(), "• *Quill* since 2025-03-01") {
		t.Error("after a rejected reload the radar no longer holds Quill")
	}
	fixed := strings.Replace(string(data), `"ringId": "hold"`, `"ringId": "trial"`, 1)
	if err := os.WriteFile(radarFile, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	e.reloadConfig(t, e.ctx)
	if _, err := e.logs.waitFor(e.ctx, "config reloaded"); err != nil {
		t.Fatal(err)
	}
	if got := listing(); strings.Contains(got, "*Hold*") || !strings.Contains(got, "• *Quill* since 2025-03-01") {
		t.Errorf("after the reload the radar still holds Quill: %s", got)
	}
	t.Logf("fake Slack's log of Web API calls:\n%s", e.fake.Log())
}
