package emulator

import "time"

// apiTime is a time in a Chatlayer API answer. It is written as
// JavaScript's toISOString writes it, which is what Chatlayer's examples
// show ("2019-11-21T16:48:20.465Z"): UTC, exactly three fraction digits
// (finer digits are cut, not rounded) and Z. The time itself keeps its
// full precision, so ordering by it is unchanged.
type apiTime struct{ time.Time }

// MarshalJSON writes the time as a JSON string in timeFormat.
func (t apiTime) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(timeFormat)+2)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, timeFormat)
	return append(b, '"'), nil
}
