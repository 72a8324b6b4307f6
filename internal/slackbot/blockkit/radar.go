package blockkit

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stackpick/stackpick/internal/catalog"
)

// The radar listing is answered in a slash command's ack, which Slack drops from 20 KiB: its
// text is held to maxRadarText characters (escaped, each at most a few bytes of JSON), each
// framework to maxRadarLine, the frameworks off the radar to maxLineText.
const (
	maxRadarText = 6000
	maxRadarLine = 300
)

// RadarListing is what /stackpick radar shows: the organisation's radar on the catalog's
// frameworks.
type RadarListing struct {
	// Configured is false when no radar is set; the listing then says how to set one.
	Configured bool
	Frameworks int          // how many frameworks the catalog holds
	Rings      []ListedRing // in the order of catalog.Rings
	Off        []string     // the names of the frameworks the radar does not name, in catalog order
}

// ListedRing is one ring of a RadarListing and the frameworks in it, in catalog order.
type ListedRing struct {
	Ring       catalog.Ring
	Frameworks []RadarFramework
}

// RadarFramework is one framework on the radar: since when it is in its ring, and what the radar
// says of it (untrusted text, escaped here).
type RadarFramework struct {
	Name  string
	Since time.Time
	Said  string
}

// ringHeads head each ring of the listing.
var ringHeads = map[catalog.Ring]string{
	catalog.Adopt:  ":white_check_mark: *Adopt*",
	catalog.Trial:  ":test_tube: *Trial*",
	catalog.Assess: ":mag: *Assess*",
	catalog.Hold:   ":no_entry: *Hold*: not recommended, whatever the answers",
}

// Radar lists the radar's stance on the catalog's frameworks, grouped by ring (empty rings left
// out), with since when and what it says of each; the frameworks it does not name come last.
// Frameworks past maxRadarText are counted, not listed. Without a radar it says how to set one.
func Radar(l RadarListing) Message {
	if !l.Configured {
		return Mrkdwn("No tech radar is configured, so I rank every framework on your answers alone. " +
			"To have me respect your organisation's radar, an admin points `STACKPICK_RADAR` at a Backstage tech-radar JSON file " +
			"and restarts me or reloads my config (`kill -HUP`).")
	}
	title := fmt.Sprintf("*Your organisation's radar on the %d frameworks I know*", l.Frameworks)
	off := ""
	if len(l.Off) > 0 {
		names := make([]string, len(l.Off))
		for i, n := range l.Off {
			names[i] = esc(n)
		}
		off = clip("*Not on the radar*, ranked on your answers alone: "+strings.Join(names, ", "), maxLineText)
	}
	var lines []string
	budget := maxRadarText - utf8.RuneCountInString(title+off)
	omitted := 0
	for _, r := range l.Rings {
		if len(r.Frameworks) == 0 {
			continue
		}
		if budget < 0 {
			omitted += len(r.Frameworks)
			continue
		}
		lines = append(lines, ringHeads[r.Ring])
		budget -= utf8.RuneCountInString(ringHeads[r.Ring])
		for _, f := range r.Frameworks {
			line := fmt.Sprintf("• *%s* since %s", esc(f.Name), f.Since.Format(time.DateOnly))
			if f.Said != "" {
				line += ": " + esc(f.Said)
			}
			line = clip(line, maxRadarLine)
			if budget -= utf8.RuneCountInString(line); budget < 0 {
				omitted++
				continue
			}
			lines = append(lines, line)
		}
	}
	if omitted > 0 {
		lines = append(lines, fmt.Sprintf("_… and %d more on the radar: see its file._", omitted))
	}
	if off != "" {
		lines = append(lines, off)
	}
	return Message{Text: "Your organisation's radar", Blocks: listSections(title, lines)}
}
