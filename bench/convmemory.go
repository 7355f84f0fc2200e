package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// turnsPerConversation is how many user texts each stored conversation
// gets; each has one bot reply, so twice as many messages are stored.
const turnsPerConversation = 5

// perConversationTarget is the target for a conversation of 10
// messages.
var perConversationTarget = &target{"≤ 4 KiB", func(r row) bool { return r.emu.med <= 4 }}

// measureConversationMemory fills an in-process emulator without a webhook
// (messages stay in its history) with n conversations through its handler,
// without the network, and reports the live heap they add per
// conversation and the time taken.
func measureConversationMemory(n int, logf logFunc) ([]row, error) {
	s, err := emulator.New(emulator.Config{RateLimit: emulator.RateLimit{Off: true}})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	h := s.Handler()
	before := heapAlloc()
	began := time.Now()
	for c := range n {
		if err := storeConversation(h, fmt.Sprintf("mem-%06d", c)); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	took := time.Since(began)
	after := heapAlloc()
	runtime.KeepAlive(s)
	kib := float64(int64(after)-int64(before)) / float64(n) / 1024
	logf("conversation memory: %d conversations in %v, %.2f KiB each", n, took.Round(time.Millisecond), kib)
	name := fmt.Sprintf("memory per stored conversation (%d messages, %d conversations)", 2*turnsPerConversation, n)
	return []row{
		soloRow(name, kibibytes, []float64{kib}, perConversationTarget),
		soloRow(fmt.Sprintf("storing %d conversations in process", n), millis, []float64{ms(took)}, nil),
	}, nil
}

// storeConversation posts turnsPerConversation FAQ texts for id.
func storeConversation(h http.Handler, id string) error {
	body := messageBody(id)
	for range turnsPerConversation {
		req := httptest.NewRequest(http.MethodPost, messagePath, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+accessToken)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			return fmt.Errorf("POST %s for %s: status %d: %s", messagePath, id, rec.Code, rec.Body)
		}
	}
	return nil
}

// heapAlloc collects garbage and returns the live heap in bytes.
func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
