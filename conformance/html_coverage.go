package conformance

// kindRow is one line of the HTML coverage table: a kind, the requests
// that carried it, and the verdict of the checks that judge it.
//
// The colour follows those checks, not the answers: a kind also rides in
// requests of other checks (every kind is inside the unicode and
// large-transcript transcripts), so counting 2xx answers painted a kind red
// when another check's request was refused although the kind's own checks
// passed, and green when its check failed on a 200 with a wrong body.
type kindRow struct {
	Group string // "bot messages"
	Key   string // "bot:text", as the suite counts it
	CoverageItem
	Status Status   // passed, warning or failed; skipped when not exercised or not judged
	Judges []string // ids of the checks that judged the kind
	Failed []string // those of them that failed
}

// kindJudges returns the id patterns (ids or id prefixes) of the checks
// that judge a kind of a coverage group.
type kindJudges func(kind string) []string

// prefixed judges a kind by the checks whose id is prefix+kind.
func prefixed(prefix string) kindJudges {
	return func(kind string) []string { return []string{prefix + kind} }
}

// eventJudges are the checks that judge each offloading event type.
var eventJudges = map[string][]string{
	"health":   {"offloading.health."},
	"messages": {"offloading.messages."},
	"offload":  {"offloading.offload."},
	"typing":   {"offloading.tolerant.unknown-event"},
}

// botJudges returns the prefix of the per-kind bot message checks of a
// profile.
func botJudges(p Profile) kindJudges {
	switch p {
	case ProfileOffloading:
		return prefixed("offloading.messages.bot.")
	case ProfileWebhookChannel:
		return prefixed("webhook.message.")
	}
	return func(string) []string { return nil } // unknown profile: no kind is judged
}

// kindRows lists every coverage kind with the verdict of its checks.
func (r *Report) kindRows() []kindRow {
	groups := []struct {
		name, key string
		items     []CoverageItem
		judges    kindJudges
	}{
		{"bot messages", "bot:", r.Coverage.BotMessages, botJudges(r.Profile)},
		{"user messages", "user:", r.Coverage.UserMessages, prefixed("offloading.messages.user.")},
		{"events", "event:", r.Coverage.Events, func(kind string) []string { return eventJudges[kind] }},
	}
	var rows []kindRow
	for _, g := range groups {
		for _, it := range g.items {
			row := r.judgeKind(it, g.judges(it.Kind))
			row.Group, row.Key = g.name, g.key+it.Kind
			rows = append(rows, row)
		}
	}
	return rows
}

// statusRank orders statuses from best to worst for a kind's verdict.
var statusRank = map[Status]int{StatusSkipped: 0, StatusPassed: 1, StatusWarning: 2, StatusFailed: 3}

// judgeKind combines the results of the checks matching patterns: the
// worst status wins; skipped checks do not count; a kind no request
// carried is skipped whatever its checks say.
func (r *Report) judgeKind(it CoverageItem, patterns []string) kindRow {
	row := kindRow{CoverageItem: it, Status: StatusSkipped}
	if it.Sent == 0 {
		return row
	}
	for _, c := range r.Checks {
		if c.Status == StatusSkipped || !matchesAny(c.ID, patterns) {
			continue
		}
		row.Judges = append(row.Judges, c.ID)
		if c.Status == StatusFailed {
			row.Failed = append(row.Failed, c.ID)
		}
		if statusRank[c.Status] > statusRank[row.Status] {
			row.Status = c.Status
		}
	}
	return row
}
