package main

// measureMore runs the measurements of history GET, many concurrent
// conversations and memory per stored conversation, in process.
func measureMore(o options, logf logFunc) ([]row, error) {
	hist, err := measureHistory(o, logf)
	if err != nil {
		return nil, err
	}
	conc, err := measureConcurrent(o, logf)
	if err != nil {
		return nil, err
	}
	mem, err := measureConversationMemory(o.conversations, logf)
	if err != nil {
		return nil, err
	}
	return append(append(hist, conc...), mem...), nil
}
