package sm

import "unicode/utf8"

// MapKeys snapshots the keys of m, for a range over a map whose body
// awaits: the loop visits each key present at the start, skipping keys
// deleted meanwhile (the generated code checks presence at each visit).
func MapKeys[K comparable, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// RangeString decodes the rune of s at byte offset i and returns it with
// the offset of the next one, as a range over a string does.
func RangeString(s string, i int) (r rune, next int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	return r, i + size
}
