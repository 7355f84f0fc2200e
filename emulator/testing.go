package emulator

import (
	"context"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

// Tester is the part of *testing.T (or *testing.B) that RunT needs, so that
// this package does not import testing.
type Tester interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// RunT starts an emulator with cfg on an ephemeral loopback port and stops
// it when the test ends. Point your client at s.URL(); use s.Flush or
// s.WaitDeliveries instead of sleeping.
func RunT(t Tester, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("emulator.Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// FlushT is Flush for tests: it fails the test if work is still pending
// after 10 seconds.
func (s *Server) FlushT(t Tester) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("emulator flush: %v", err)
	}
}

// WaitDeliveriesT is WaitDeliveries for tests: it fails the test if n
// deliveries of the conversation are not final within 10 seconds.
func (s *Server) WaitDeliveriesT(t Tester, f delivery.Filter, n int) []delivery.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := s.WaitDeliveries(ctx, f, n)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return list
}

// Delivery is an entry of the delivery journal.
type Delivery = delivery.Delivery

// DeliveryFilter selects journal entries; empty fields match everything.
type DeliveryFilter = delivery.Filter

// SayT is Say for tests: it fails the test if the message is refused.
func (s *Server) SayT(t Tester, channelID, conversationID, text string) {
	t.Helper()
	if err := within(func(ctx context.Context) error { return s.Say(ctx, channelID, conversationID, text) }); err != nil {
		t.Fatalf("emulator: Say(%q, %q, %q): %v", channelID, conversationID, text, err)
	}
}

// IntroT is Intro for tests: it fails the test if the message is refused.
func (s *Server) IntroT(t Tester, channelID, conversationID string) {
	t.Helper()
	if err := within(func(ctx context.Context) error { return s.Intro(ctx, channelID, conversationID) }); err != nil {
		t.Fatalf("emulator: Intro(%q, %q): %v", channelID, conversationID, err)
	}
}

// ClickT is Click for tests: it fails the test if the message is refused.
func (s *Server) ClickT(t Tester, channelID, conversationID, payload string) {
	t.Helper()
	if err := within(func(ctx context.Context) error { return s.Click(ctx, channelID, conversationID, payload) }); err != nil {
		t.Fatalf("emulator: Click(%q, %q, %q): %v", channelID, conversationID, payload, err)
	}
}

// ClickTitleT is ClickTitle for tests: it fails the test if the message
// is refused.
func (s *Server) ClickTitleT(t Tester, channelID, conversationID, title string) {
	t.Helper()
	if err := within(func(ctx context.Context) error { return s.ClickTitle(ctx, channelID, conversationID, title) }); err != nil {
		t.Fatalf("emulator: ClickTitle(%q, %q, %q): %v", channelID, conversationID, title, err)
	}
}

// SendT is Send for tests: it fails the test if the message is refused.
func (s *Server) SendT(t Tester, channelID string, body any) {
	t.Helper()
	if err := within(func(ctx context.Context) error { return s.Send(ctx, channelID, body) }); err != nil {
		t.Fatalf("emulator: Send(%q): %v", channelID, err)
	}
}

// within runs f with the 10-second bound of the T forms.
func within(f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return f(ctx)
}
