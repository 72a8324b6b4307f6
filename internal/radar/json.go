package radar

import (
	"bytes"
	"encoding/json"
)

// value is one JSON value of a radar file and the byte offset it starts at, so a problem can name
// its line and column. Objects keep their members in the file's order, repeated keys included.
type value struct {
	at      int
	kind    kind
	text    string // a string's value, or a number as written
	members []member
	items   []*value
}

// kind is what a value is, worded for messages ("must be a string, not a number").
type kind string

const (
	object  kind = "an object"
	array   kind = "an array"
	str     kind = "a string"
	number  kind = "a number"
	boolean kind = "true or false"
	null    kind = "null"
)

// member is one key of an object, where the key starts, and its value.
type member struct {
	key   string
	keyAt int
	value *value
}

// tree reads data, which must be valid JSON (json.Valid), into values.
func tree(data []byte) (*value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return read(dec, data)
}

func read(dec *json.Decoder, data []byte) (*value, error) {
	v := &value{at: skipSeparators(data, dec.InputOffset())}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim: // '[' or '{': Token never returns a closing one here
		v.kind = array
		if t == '{' {
			v.kind = object
		}
		for dec.More() {
			if v.kind == array {
				item, err := read(dec, data)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, item)
				continue
			}
			keyAt := skipSeparators(data, dec.InputOffset())
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			val, err := read(dec, data)
			if err != nil {
				return nil, err
			}
			v.members = append(v.members, member{key: key.(string), keyAt: keyAt, value: val})
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		v.kind, v.text = str, t
	case json.Number:
		v.kind, v.text = number, t.String()
	case bool:
		v.kind = boolean
	case nil:
		v.kind = null
	}
	return v, nil
}

// skipSeparators returns the offset of the first byte from from on that is not whitespace or a
// separator the decoder consumes before a token (',' and ':').
func skipSeparators(data []byte, from int64) int {
	i := int(from)
	for i < len(data) && bytes.IndexByte([]byte(" \t\r\n,:"), data[i]) >= 0 {
		i++
	}
	return i
}
