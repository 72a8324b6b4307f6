package dialog

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stackpick/stackpick/internal/catalog"
)

// token is one word, number or sign of a normalized text, with where it is.
type token struct {
	text       string
	start, end int
}

// tokenize splits normalized text into words and numbers. A number keeps its decimal point and
// its thousands commas ("1.5", "5,000", not "1,3"); letters and digits are split apart ("5k",
// "6wks", "q3"); "/" and "#" are tokens of their own.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5)
	word := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\'' || c >= 0x80 }
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '/' || c == '#':
			toks = append(toks, token{text: text[i : i+1], start: i, end: i + 1})
			i++
			continue
		case !word(c):
			i++
			continue
		}
		j := i + 1
		if digit(c) {
			// A number, with its decimal point and thousands commas; a letter suffix is its own token.
			for j < len(text) && (digit(text[j]) || (text[j] == '.' || text[j] == ',' && thousands(text[j+1:])) && j+1 < len(text) && digit(text[j+1])) {
				j++
			}
		} else {
			for j < len(text) && word(text[j]) {
				j++
			}
		}
		if t := strings.Trim(text[i:j], "'"); t != "" {
			toks = append(toks, token{text: t, start: i, end: j})
		}
		i = j
	}
	return toks
}

// thousands reports whether s starts with exactly three digits, as after a thousands comma.
func thousands(s string) bool {
	if len(s) < 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) == 3 || s[3] < '0' || s[3] > '9'
}

// quantity is an amount of one unit stated in a text.
type quantity struct {
	unit  catalog.Unit // "" for a number alone
	value float64
	span  span
	said  string // how it reads back: "3 people", "about 4 requests a second"
	// approx marks a number the user hedged ("~10", "about 10"); vague, one made of words like
	// "a few" alone, which says too little to answer a question the user was not asked.
	approx, vague bool
	date          bool // read from a calendar phrase, not a duration
	// undated marks a date with no deadline word in its clause ("hiring 2 more next quarter"): it
	// answers only the deadline question itself.
	undated bool
	// widest is a second reading of the same words (the end of "next year" beside its middle): when
	// the two fall in different options, the user is asked which.
	widest *quantity
}

// quantities returns the amounts text (tokenized as toks) states, in order. now dates "by Q3" and "end of year".
func (lx *lexicon) quantities(text string, toks []token, now time.Time) []quantity {
	var out []quantity
	for i := 0; i < len(toks); {
		q, next, ok := lx.quantityAt(toks, i, now)
		if !ok {
			i++
			continue
		}
		before, after := lx.unitUnlessBefore[q.unit], lx.unitUnlessAfter[q.unit]
		if q.unit == "" {
			before, after = lx.anyUnlessBefore, lx.anyUnlessAfter
		}
		if lx.precededBy(toks, i, before, 2) || lx.followedBy(toks, next, after) {
			i = next
			continue
		}
		q.span = span{toks[i].start, toks[next-1].end}
		if lx.negated(text, q.span.start) {
			i = next
			continue
		}
		if q.date {
			_, found := anyPhrase(text[strings.LastIndexAny(text[:q.span.start], clauseEnds)+1:clauseEnd(text, q.span.end)], lx.deadlineWords)
			q.undated = !found
		}
		q.approx = i > 0 && slices.Contains(lx.words.Approximate, toks[i-1].text) || strings.HasSuffix(text[:toks[i].start], "~")
		inexact := slices.ContainsFunc(toks[i:next], func(t token) bool { return slices.Contains(lx.words.Vague, t.text) })
		q.vague = inexact && q.unit != catalog.Days && !lx.scaled(toks[i:next])
		q.approx = q.approx || inexact
		out = append(out, q)
		i = next
	}
	return out
}

// followedBy reports whether one of phrases starts at toks[i].
func (lx *lexicon) followedBy(toks []token, i int, phrases [][]string) bool {
	_, ok := lx.phraseAt(toks, i, phrases)
	return ok
}

// scaled reports whether a scale word is among toks ("a few thousand").
func (lx *lexicon) scaled(toks []token) bool {
	for _, t := range toks {
		if _, ok := lx.words.Scales[t.text]; ok || lx.words.Numbers[t.text] >= 100 {
			return true
		}
	}
	return false
}

// quantityAt reads an amount starting at toks[i].
func (lx *lexicon) quantityAt(toks []token, i int, now time.Time) (quantity, int, bool) {
	if q, next, ok := lx.dateAt(toks, i, now); ok {
		return q, next, true
	}
	v, j, ok := lx.number(toks, i)
	if !ok {
		return quantity{}, 0, false
	}
	w := lx.words
	if j < len(toks) {
		if d, ok := w.Durations[toks[j].text]; ok {
			days, next := v*d, j+1
			if matchesAt(toks, next, []string{"and", "a", "half"}) {
				days, next = days+d/2, next+3
			}
			return quantity{unit: catalog.Days, value: days, said: sayDays(days)}, next, true
		}
		if n, ok := lx.phraseAt(toks, j, lx.teams); ok {
			size, k := w.TeamSize, j+n
			if k+1 < len(toks) && toks[k].text == "of" {
				if s, next, ok := lx.number(toks, k+1); ok {
					size, k = s, next
					if n, ok := lx.phraseAt(toks, k, lx.unitAfter[catalog.People]); ok {
						k += n
					}
				}
			}
			people := v * size
			return quantity{unit: catalog.People, value: people, said: fmt.Sprintf("%s people (%s)", num(people), plural(v, "team"))}, k, true
		}
	}
	// A unit word may follow after up to two other words: "3 backend devs", "5k monthly users".
	for skip := 0; skip <= 2 && j+skip < len(toks); skip++ {
		k := j + skip
		if skip > 0 && lx.isNumberWord(toks[k-1].text) {
			break
		}
		if n, ok := lx.phraseAt(toks, k, lx.unitAfter[catalog.People]); ok {
			if _, verb := lx.phraseAt(toks, k+n, lx.skillVerbs); verb {
				return quantity{}, 0, false // "two people know Java" counts skills, not the team
			}
			return quantity{unit: catalog.People, value: v, said: plural(v, "person")}, k + n, true
		}
		if n, ok := lx.phraseAt(toks, k, lx.unitAfter[catalog.Users]); ok {
			next := k + n
			if _, end, ok := lx.period(toks, next); ok {
				next = end // "30k visitors a month": monthly users, not a deadline
			}
			return quantity{unit: catalog.Users, value: v, said: num(v) + " users"}, next, true
		}
		if per, ok := w.Rates[toks[k].text]; ok {
			return lx.rate(v, per), k + 1, true
		}
		if n, ok := lx.phraseAt(toks, k, lx.unitAfter[catalog.RequestsPerSecond]); ok {
			if per, next, ok := lx.period(toks, k+n); ok {
				return lx.rate(v, per), next, true
			}
		}
		if skip == 0 {
			if per, next, ok := lx.period(toks, k); ok { // "2M a month"
				return lx.rate(v, per), next, true
			}
		}
	}
	if lx.precededBy(toks, i, lx.unitBefore[catalog.People], 1) {
		return quantity{unit: catalog.People, value: v, said: plural(v, "person")}, j, true
	}
	return quantity{value: v, said: num(v)}, j, true
}

func (lx *lexicon) rate(v, perSeconds float64) quantity {
	rps := v / perSeconds
	return quantity{unit: catalog.RequestsPerSecond, value: rps, said: "about " + num(rps) + " requests a second"}
}

// period reads "a month", "per day", "/s", "daily" at toks[i], in seconds.
func (lx *lexicon) period(toks []token, i int) (float64, int, bool) {
	if i >= len(toks) {
		return 0, 0, false
	}
	if s, ok := lx.words.Periods[toks[i].text]; ok {
		return s, i + 1, true
	}
	switch toks[i].text {
	case "a", "an", "per", "every", "each", "/":
		if i+1 < len(toks) {
			if s, ok := lx.words.Periods[toks[i+1].text]; ok {
				return s, i + 2, true
			}
		}
	}
	return 0, 0, false
}

// number reads a number at toks[i]: digits ("5,000", "1.5"), number words ("two", "a dozen",
// "half a million", "tens of thousands") and scales ("5k", "2 million").
func (lx *lexicon) number(toks []token, i int) (float64, int, bool) {
	w := lx.words
	t := toks[i].text
	var v float64
	j := i + 1
	if t[0] >= '0' && t[0] <= '9' {
		n, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64)
		if err != nil {
			return 0, 0, false
		}
		v = n
	} else if n, ok := w.Numbers[t]; ok {
		v = n
		// "a" and "an" count only before a number word or a length of time: "a dozen", "a year".
		if t == "a" || t == "an" {
			if j >= len(toks) {
				return 0, 0, false
			}
			next := toks[j].text
			_, scale := w.Scales[next]
			_, dur := w.Durations[next]
			switch {
			case !scale && lx.isNumberWord(next):
				return lx.number(toks, j)
			case !scale && !dur:
				return 0, 0, false
			}
		}
	} else {
		return 0, 0, false
	}
	for j < len(toks) {
		t := toks[j].text
		if s, ok := w.Scales[t]; ok {
			v *= s
			j++
			continue
		}
		// "half a million", "a couple of hundred", "tens of thousands"
		if (t == "a" || t == "of") && j+1 < len(toks) && lx.isNumberWord(toks[j+1].text) && toks[j+1].text != "a" {
			next := toks[j+1].text
			if s, ok := w.Scales[next]; ok {
				v *= s
			} else if n := w.Numbers[next]; n >= 10 {
				v *= n
			} else {
				break
			}
			j += 2
			continue
		}
		// "twenty five"
		if n, ok := w.Numbers[t]; ok && v >= 20 && n < 10 && math.Mod(v, 10) == 0 {
			v += n
			j++
			continue
		}
		break
	}
	return v, j, true
}

func (lx *lexicon) isNumberWord(t string) bool {
	_, n := lx.words.Numbers[t]
	_, s := lx.words.Scales[t]
	return n || s
}

// dateAt reads a calendar phrase at toks[i] ("end of year", "q3", "march") as the days from now.
func (lx *lexicon) dateAt(toks []token, i int, now time.Time) (quantity, int, bool) {
	y, m, _ := now.Date()
	var end time.Time
	var next int
	if toks[i].text == "next" && i+1 < len(toks) && lx.words.Seasons[toks[i+1].text] > 0 {
		q, n, _ := lx.dateAt(append(slices.Clip(toks[:i]), token{text: "in"}, toks[i+1]), i+1, now)
		return q, n - i + 1 + i - 1, true
	}
	switch {
	case len(toks[i].text) == 2 && toks[i].text[0] == 'q' && toks[i].text[1] >= '1' && toks[i].text[1] <= '4':
		quarter := int(toks[i].text[1] - '0')
		end = time.Date(y, time.Month(quarter*3+1), 1, 0, 0, 0, 0, now.Location())
		next = i + 1
		if year, n, ok := lx.yearAt(toks, next, now); ok {
			end, next = end.AddDate(year-y, 0, 0), next+n
		} else if !end.After(now) {
			end = end.AddDate(1, 0, 0)
		}
	case lx.words.Seasons[toks[i].text] > 0 && (lx.precededBy(toks, i, lx.unitBefore[catalog.Days], 2) || lx.isYear(textAt(toks, i+1), now)):
		month := lx.words.Seasons[toks[i].text]
		end = time.Date(y, time.Month(month), 15, 0, 0, 0, 0, now.Location())
		next = i + 1
		if year, n, ok := lx.yearAt(toks, next, now); ok {
			end, next = end.AddDate(year-y, 0, 0), next+n
		} else if !end.After(now) {
			end = end.AddDate(1, 0, 0)
		}
	case lx.isYear(toks[i].text, now) && lx.precededBy(toks, i, lx.unitBefore[catalog.Days], 2):
		year, _, _ := lx.yearAt(toks, i, now)
		end, next = time.Date(year, 7, 1, 0, 0, 0, 0, now.Location()), i+1
	case lx.month(toks[i].text) > 0 && lx.precededBy(toks, i, lx.unitBefore[catalog.Days], 2):
		month := lx.month(toks[i].text)
		end = time.Date(y, time.Month(month)+1, 1, 0, 0, 0, 0, now.Location())
		next = i + 1
		if year, n, ok := lx.yearAt(toks, next, now); ok {
			end, next = end.AddDate(year-y, 0, 0), next+n
		} else if month < int(m) {
			end = end.AddDate(1, 0, 0)
		}
	default:
		for _, c := range lx.calendar[toks[i].text] {
			if matchesAt(toks, i, c.words) && len(c.words) > next-i {
				end, next = anchor(c.anchor, now), i+len(c.words)
			}
		}
		if next == 0 {
			return quantity{}, 0, false
		}
	}
	days := end.Sub(now).Hours() / 24
	q := quantity{unit: catalog.Days, value: days, said: sayDays(days), date: true}
	if wide := lx.wide(toks, i, next); wide {
		// "next year" runs from January to December: read both its middle and its end.
		mid, whole := end.AddDate(0, -6, 0).Sub(now).Hours()/24, q
		q = quantity{unit: catalog.Days, value: mid, said: sayDays(mid), date: true, widest: &whole}
	}
	return q, next, true
}

// wide reports a calendar phrase that names a whole year ("next year"), not a point in it.
func (lx *lexicon) wide(toks []token, i, next int) bool {
	for _, c := range lx.calendar[toks[i].text] {
		if c.anchor == "next_year" && len(c.words) == next-i && matchesAt(toks, i, c.words) {
			return true
		}
	}
	return false
}

// textAt returns the text of toks[i], or "" past the end.
func textAt(toks []token, i int) string {
	if i < len(toks) {
		return toks[i].text
	}
	return ""
}

// yearAt reads a year at toks[i]: "2027", "next year", "this year".
func (lx *lexicon) yearAt(toks []token, i int, now time.Time) (year, n int, ok bool) {
	if i >= len(toks) {
		return 0, 0, false
	}
	if lx.isYear(toks[i].text, now) {
		year, _ = strconv.Atoi(toks[i].text)
		return year, 1, true
	}
	if i+1 < len(toks) && toks[i+1].text == "year" {
		switch toks[i].text {
		case "next":
			return now.Year() + 1, 2, true
		case "this":
			return now.Year(), 2, true
		}
	}
	return 0, 0, false
}

// isYear reports a four-digit year within a decade of now.
func (lx *lexicon) isYear(t string, now time.Time) bool {
	if len(t) != 4 || t[0] < '0' || t[0] > '9' {
		return false
	}
	y, err := strconv.Atoi(t)
	return err == nil && y >= now.Year()-1 && y <= now.Year()+10
}

// month returns 1..12 for a month name or its first three letters, 0 otherwise.
func (lx *lexicon) month(t string) int { return lx.months[t] }

// anchor returns the date a calendar anchor names, seen from now.
func anchor(name string, now time.Time) time.Time {
	y, m, _ := now.Date()
	startOfQuarter := time.Month((int(m)-1)/3*3 + 1)
	at := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, now.Location()) }
	switch name {
	case "year_end":
		return at(y+1, 1)
	case "quarter_end":
		return at(y, startOfQuarter+3)
	case "month_end":
		return at(y, m+1)
	case "next_month":
		return at(y, m+2)
	case "next_quarter":
		return at(y, startOfQuarter+6)
	case "next_week":
		return now.AddDate(0, 0, 7)
	}
	return at(y+2, 1) // next_year, next_year_end
}

// precededBy reports whether one of phrases ends within the n tokens before toks[i].
func (lx *lexicon) precededBy(toks []token, i int, phrases [][]string, n int) bool {
	for _, p := range phrases {
		for end := i; end > i-n && end-len(p) >= 0; end-- {
			if matchesAt(toks, end-len(p), p) {
				return true
			}
		}
	}
	return false
}

// phraseAt reports whether one of phrases starts at toks[i], and its length in tokens.
func (lx *lexicon) phraseAt(toks []token, i int, phrases [][]string) (int, bool) {
	best := 0
	for _, p := range phrases {
		if len(p) > best && matchesAt(toks, i, p) {
			best = len(p)
		}
	}
	return best, best > 0
}

func matchesAt(toks []token, i int, p []string) bool {
	if i+len(p) > len(toks) {
		return false
	}
	for k, w := range p {
		if toks[i+k].text != w {
			return false
		}
	}
	return true
}

// num formats an amount the way people write it: 5,000; 1.5M; 3.9.
func num(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(math.Round(v/1e5)/10, 'f', -1, 64) + "M"
	case v >= 10000:
		return strconv.FormatFloat(math.Round(v/100)/10, 'f', -1, 64) + "k"
	case v >= 1000:
		s := strconv.Itoa(int(math.Round(v)))
		return s[:len(s)-3] + "," + s[len(s)-3:]
	case v >= 10 || v == math.Trunc(v):
		return strconv.Itoa(int(math.Round(v)))
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func plural(v float64, noun string) string {
	if v == 1 {
		return "1 " + noun
	}
	if noun == "person" {
		return num(v) + " people"
	}
	return num(v) + " " + noun + "s"
}

// sayDays reads a number of days back as weeks, months or years.
func sayDays(days float64) string {
	switch {
	case days < 14:
		return plural(math.Round(days), "day")
	case days < 70:
		return "about " + plural(math.Round(days/7), "week")
	case days < 730:
		return "about " + plural(math.Round(days/30.44), "month")
	}
	return "about " + plural(math.Round(days/365.25), "year")
}
