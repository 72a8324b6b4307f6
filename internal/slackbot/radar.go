package slackbot

import (
	"github.com/stackpick/stackpick/internal/catalog"
	"github.com/stackpick/stackpick/internal/slackbot/blockkit"
)

// radarListing is what /stackpick radar shows of cat: its radar's stance on each framework, by
// ring in catalog order, then the frameworks the radar does not name.
func radarListing(cat *catalog.Catalog) blockkit.RadarListing {
	l := blockkit.RadarListing{Configured: cat.Radar != nil, Frameworks: len(cat.Frameworks)}
	for _, ring := range catalog.Rings {
		lr := blockkit.ListedRing{Ring: ring}
		for _, f := range cat.Frameworks {
			if st, ok := cat.Radar[f.ID]; ok && st.Ring == ring {
				lr.Frameworks = append(lr.Frameworks, blockkit.RadarFramework{Name: f.Name, Since: st.Date, Said: st.Description})
			}
		}
		l.Rings = append(l.Rings, lr)
	}
	for _, f := range cat.Frameworks {
		if _, ok := cat.Radar[f.ID]; !ok {
			l.Off = append(l.Off, f.Name)
		}
	}
	return l
}
