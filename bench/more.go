package main

// measureMore runs the measurements of history GET, many concurrent
// conversations and memory per stored conversation, in process.
func measureMore(o options, logf logFunc) ([]row, error) {
	var rows []row
	for _, m := range []struct {
		group   string
		measure func(o options, logf logFunc) ([]row, error)
	}{
		{groupHistory, measureHistory},
		{groupConcurrent, measureConcurrent},
		{groupConvMemory, func(o options, logf logFunc) ([]row, error) {
			return measureConversationMemory(o.conversations, logf)
		}},
	} {
		if !o.only.has(m.group) {
			continue
		}
		r, err := m.measure(o, logf)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}
