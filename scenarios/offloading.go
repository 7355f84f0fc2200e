package scenarios

// The offloading provider of a bot: Chatlayer's Settings → Offloading →
// Webhook (API URL and Verify Token), plus the provider's status and
// opening hours (docs/CONTRACT.md §2; the offloading blocks:
// https://docs.chatlayer.ai/integrations/human-offloading-live-chat).

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OffloadingStatus says whether the provider takes offloads.
type OffloadingStatus string

// The provider statuses. Open offloads through the webhook; closed and
// disabled lead to the Offloading closed and Offloading disabled blocks
// without a call; hours is open inside the opening hours and closed
// outside them.
const (
	OffloadingOpen     OffloadingStatus = "open"
	OffloadingClosed   OffloadingStatus = "closed"
	OffloadingDisabled OffloadingStatus = "disabled"
	OffloadingHours    OffloadingStatus = "hours"
)

// ParseOffloadingStatus parses a status; "" is open.
func ParseOffloadingStatus(s string) (OffloadingStatus, error) {
	switch st := OffloadingStatus(s); st {
	case "":
		return OffloadingOpen, nil
	case OffloadingOpen, OffloadingClosed, OffloadingDisabled, OffloadingHours:
		return st, nil
	}
	return "", fmt.Errorf("must be open, closed, disabled or hours, not %q", s)
}

// OffloadingDialect is the shape of the events sent to the provider.
type OffloadingDialect string

// The dialects (FIDELITY.md Q32): current has "event" at the top and "actor"
// in message items; 2020 has "type" in both places.
const (
	DialectCurrent OffloadingDialect = "current"
	Dialect2020    OffloadingDialect = "2020"
)

// ParseOffloadingDialect parses a dialect; "" is current.
func ParseOffloadingDialect(s string) (OffloadingDialect, error) {
	switch d := OffloadingDialect(s); d {
	case "":
		return DialectCurrent, nil
	case DialectCurrent, Dialect2020:
		return d, nil
	}
	return "", fmt.Errorf("must be current or 2020, not %q", s)
}

// Offloading is a bot's offloading provider. A zero URL means none.
type Offloading struct {
	URL         string            // the webhook's API URL; "" means no provider
	VerifyToken string            // sent as ?challenge.verifyToken= on every call
	Status      OffloadingStatus  // default open
	Hours       *Hours            // the opening hours; required when Status is hours
	Dialect     OffloadingDialect // default current
}

// Problem is one problem of an offloading setting: the JSON pointer of the
// field, relative to the setting, and what is wrong.
type Problem struct {
	Field   string
	Message string
}

// Check validates o (statuses and dialects must be parsed already) and
// compiles its hours. It returns every problem found.
func (o *Offloading) Check() []Problem {
	var out []Problem
	if o.URL != "" {
		if u, err := url.Parse(o.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			out = append(out, Problem{"/url", fmt.Sprintf("must be an absolute http or https URL, not %q", o.URL)})
		}
	}
	if o.Status == OffloadingHours && o.Hours == nil {
		out = append(out, Problem{"/hours", "status hours needs hours"})
	}
	if o.Hours != nil {
		for _, p := range o.Hours.Compile() {
			out = append(out, Problem{"/hours" + p.Field, p.Message})
		}
	}
	return out
}

// Hours is a weekly schedule of opening hours in a time zone.
type Hours struct {
	// Timezone is an IANA time zone name ("Europe/Brussels"); "" is UTC.
	Timezone string `json:"timezone,omitempty"`
	// Schedule lists the opening ranges; the provider is open when the
	// time falls in any of them.
	Schedule []HoursRange `json:"schedule"`

	loc *time.Location // set by Compile
}

// HoursRange opens the provider on Days from From until To, both "HH:MM"
// in the schedule's time zone; To must come after From ("24:00" is the
// end of the day), so a range over midnight is written as two.
type HoursRange struct {
	Days []string `json:"days"` // mon, tue, wed, thu, fri, sat, sun
	From string   `json:"from"`
	To   string   `json:"to"`
}

// weekdays are the day names of HoursRange.Days, by time.Weekday.
var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Compile checks the schedule and loads its time zone; it returns every
// problem found, with pointers relative to the schedule.
func (h *Hours) Compile() []Problem {
	var out []Problem
	loc, err := time.LoadLocation(h.Timezone)
	if err != nil {
		out = append(out, Problem{"/timezone", fmt.Sprintf("unknown time zone %q", h.Timezone)})
		loc = time.UTC
	}
	h.loc = loc
	for i, r := range h.Schedule {
		ptr := "/schedule/" + strconv.Itoa(i)
		for j, d := range r.Days {
			if !slices.Contains(weekdays, d) {
				out = append(out, Problem{ptr + "/days/" + strconv.Itoa(j), fmt.Sprintf("must be one of %s, not %q", strings.Join(weekdays, ", "), d)})
			}
		}
		from, ferr := minuteOfDay(r.From)
		to, terr := minuteOfDay(r.To)
		switch {
		case ferr != nil:
			out = append(out, Problem{ptr + "/from", ferr.Error()})
		case terr != nil:
			out = append(out, Problem{ptr + "/to", terr.Error()})
		case to <= from:
			out = append(out, Problem{ptr + "/to", fmt.Sprintf("must come after from (%s); split a range over midnight in two", r.From)})
		}
	}
	return out
}

// Open reports whether t falls inside the schedule.
func (h *Hours) Open(t time.Time) bool {
	loc := h.loc
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	day, minute := weekdays[lt.Weekday()], lt.Hour()*60+lt.Minute()
	for _, r := range h.Schedule {
		from, _ := minuteOfDay(r.From)
		to, _ := minuteOfDay(r.To)
		if slices.Contains(r.Days, day) && minute >= from && minute < to {
			return true
		}
	}
	return false
}

// minuteOfDay parses "HH:MM" (00:00 to 24:00) into minutes since midnight.
func minuteOfDay(s string) (int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, herr := strconv.Atoi(hh)
	m, merr := strconv.Atoi(mm)
	if !ok || len(hh) != 2 || len(mm) != 2 || herr != nil || merr != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("must be a time of day HH:MM (00:00 to 24:00), not %q", s)
	}
	return h*60 + m, nil
}
