package emulator

// Assertions on what the bot sent: CheckDelivered compares the messages of
// Webhook-channel deliveries with the texts a test expects and fails it
// with a line-by-line diff; PayloadOf finds the payload to click.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// CheckDelivered flushes the emulator (see Flush; at most 10 seconds),
// then fails the test unless the messages of the Webhook-channel
// deliveries matching f are, in order, want; it returns the deliveries.
// f.Kind is always the channel kind; use f.Since (see Mark) to check the
// replies to one message. A message is compared as its summary:
//
//   - a text, with or without quick replies, and a button template: its text;
//   - a carousel or a list: "[generic]" or "[list]";
//   - an image or a video: "[image URL]" or "[video URL]";
//   - a JSON-builder event: "[event]".
//
// A delivery that failed reads "… (failed: reason)", so it never equals a
// wanted text. The failure lists every message, wanted and got.
func (s *Server) CheckDelivered(t Tester, f DeliveryFilter, want ...string) []Delivery {
	t.Helper()
	f.Kind = delivery.KindChannel
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	flushErr := s.Flush(ctx)
	list := s.out.Journal().List(f)
	got := make([]string, len(list))
	for i, d := range list {
		got[i] = deliverySummary(d)
	}
	if flushErr != nil || !slices.Equal(got, want) {
		t.Fatalf("emulator: deliveries matching %s%s:\n%s", describeFilter(f), timedOut(flushErr), diffLines(got, want))
	}
	return list
}

// timedOut says that the wait ended before the deliveries were final.
func timedOut(err error) string {
	if err == nil {
		return ""
	}
	return " (work still pending after 10s)"
}

// describeFilter names the set fields of f.
func describeFilter(f DeliveryFilter) string {
	var parts []string
	for _, p := range [][2]string{{"bot", f.Bot}, {"conversation", f.Conversation}, {"state", string(f.State)}} {
		if p[1] != "" {
			parts = append(parts, fmt.Sprintf("%s %q", p[0], p[1]))
		}
	}
	if f.Since > 0 {
		parts = append(parts, fmt.Sprintf("since %d", f.Since))
	}
	if len(parts) == 0 {
		return "(all channel deliveries)"
	}
	return strings.Join(parts, ", ")
}

// diffLines lists got against want, one message a line: "  " where they
// agree, "- want" and "+ got" where they differ.
func diffLines(got, want []string) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = fmt.Sprintf("%q", got[i])
		}
		if i < len(want) {
			w = fmt.Sprintf("%q", want[i])
		}
		if g == w {
			fmt.Fprintf(&b, "    %d: %s\n", i+1, g)
			continue
		}
		fmt.Fprintf(&b, "  - %d: %s (want)\n  + %d: %s (got)\n", i+1, w, i+1, g)
	}
	return b.String()
}

// channelBody is the part of a Webhook-channel delivery body the helpers
// read.
type channelBody struct {
	Message dialog.Message `json:"message"`
}

// deliverySummary is the summary CheckDelivered compares.
func deliverySummary(d Delivery) string {
	var body channelBody
	_ = json.Unmarshal([]byte(d.RequestBody), &body) // a body the emulator wrote; an odd one summarizes as ""
	out := messageSummary(body.Message)
	switch d.State {
	case delivery.StateFailed:
		out += " (failed: " + d.Error + ")"
	case delivery.StatePending:
		out += " (pending)"
	}
	return out
}

// messageSummary summarizes one bot message.
func messageSummary(m dialog.Message) string {
	a := m.Attachment
	switch {
	case m.Text != "":
		return m.Text
	case m.Type == "event":
		return "[event]"
	case a == nil:
		return ""
	case a.Payload.TemplateType == "button":
		return a.Payload.Text
	case a.Payload.TemplateType != "":
		return "[" + a.Payload.TemplateType + "]"
	}
	return "[" + a.Type + " " + a.Payload.URL + "]"
}

// PayloadOf returns the payload of the quick reply or postback button
// titled title (exactly) in the message of Webhook-channel delivery d: the
// payload a client sends back to click it (see Click).
func PayloadOf(d Delivery, title string) (string, bool) {
	var body channelBody
	if json.Unmarshal([]byte(d.RequestBody), &body) != nil {
		return "", false
	}
	m := body.Message
	for _, q := range m.QuickReplies {
		if q.Title == title && q.Payload != "" {
			return q.Payload, true
		}
	}
	if m.Attachment == nil {
		return "", false
	}
	buttons := m.Attachment.Payload.Buttons
	for _, e := range m.Attachment.Payload.Elements {
		buttons = append(buttons, e.Buttons...)
	}
	for _, b := range buttons {
		if b.Title == title && b.Type == string(dialog.ButtonPostback) {
			return b.Payload, true
		}
	}
	return "", false
}
