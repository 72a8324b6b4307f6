package record

import (
	"strings"
	"time"
)

// maxSlug is the longest title slug a file name carries, in bytes.
const maxSlug = 60

// Filename is a file name for the record of d, in MADR's lowercase-with-dashes style, prefixed
// with its date instead of a number: "2026-03-14-choose-a-backend-framework-for-an-mvp-in-go.md".
// It is ASCII only: the title (or the default one, as Markdown writes it) keeps its ASCII
// letters and digits, lowercased, every other run of characters becomes one dash, and the slug
// is cut after at most 60 bytes at a dash. A title with nothing left is
// "choose-a-backend-framework"; a zero date is left out. Filename is a pure function of d.
func Filename(d Decision) string {
	name := slug(Title(d))
	if name == "" {
		name = "choose-a-backend-framework"
	}
	if !d.Date.IsZero() {
		name = d.Date.Format(time.DateOnly) + "-" + name
	}
	return name + ".md"
}

// slug keeps the ASCII letters and digits of s, lowercased, and joins the runs with dashes, at
// most maxSlug bytes, cut at a dash when it is longer.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		default:
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > maxSlug {
		out = out[:maxSlug+1]
		if cut := strings.LastIndexByte(out, '-'); cut > 0 {
			out = out[:cut]
		} else {
			out = out[:maxSlug]
		}
	}
	return out
}
