package main

import (
	"cmp"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"
)

// scheduleLead is how far in the future a paced round's first slot is, so
// that every worker is waiting for it.
const scheduleLead = time.Millisecond

// schedule is the open-loop timetable of one paced round: slot i is due at
// start + i/rate, and worker w owns the slots w, w+workers, w+2·workers, …
// Each conversation thus sends every workers/rate seconds, and the
// conversations take turns evenly.
type schedule struct {
	start   time.Time
	rate    float64 // slots per second, all workers together
	workers int
	slots   int
}

// newSchedule lays out d of slots at rate for workers.
func newSchedule(workers int, rate float64, d time.Duration) schedule {
	return schedule{start: time.Now().Add(scheduleLead), rate: rate, workers: workers,
		slots: max(workers, int(rate*d.Seconds()))}
}

// due is when slot i should be sent.
func (s schedule) due(i int) time.Time {
	return s.start.Add(time.Duration(float64(i) / s.rate * float64(time.Second)))
}

// pacedOp is worker w's operation for a slot due at due: it returns the
// latency counted from due, and how late the request started (lag).
type pacedOp func(w int, due time.Time) (lat, lag time.Duration, err error)

// pace runs the schedule and returns once every slot has been tried.
// One pacer goroutine, on its own OS thread, sleeps precisely until each
// slot is due and hands it to the slot's worker; a worker that is still
// busy with its previous slot finds the next one waiting. Counting latency
// from the due time, not from the actual send, keeps a stalled sender from
// hiding delays (coordinated omission).
//
// One pacer, not a precise sleep in each worker: a goroutine blocked in
// nanosleep(2) keeps its P until the runtime's monitor takes it back, so
// 64 sleeping workers held both Ps of a 2-CPU machine for milliseconds
// at a time, and the server under test waited for them.
func pace(s schedule, do pacedOp) result {
	lats, lags := make([][]time.Duration, s.workers), make([][]time.Duration, s.workers)
	errs, errCounts := make([]error, s.workers), make([]int, s.workers)
	slots := make([]chan time.Time, s.workers)
	var wg sync.WaitGroup
	for w := range s.workers {
		slots[w] = make(chan time.Time, s.slots/s.workers+1) // never blocks the pacer
		wg.Go(func() { lats[w], lags[w], errCounts[w], errs[w] = follow(w, slots[w], do) })
	}
	wg.Go(func() { s.dispatch(slots) })
	wg.Wait()
	r := merge(lats, errCounts, errs, time.Since(s.start))
	r.lag = slices.Concat(lags...)
	slices.Sort(r.lag)
	return r
}

// dispatch sends each slot's due time to its worker when it is due, then
// closes the workers' channels.
func (s schedule) dispatch(slots []chan time.Time) {
	runtime.LockOSThread() // precise sleeps block this thread only
	defer runtime.UnlockOSThread()
	for i := range s.slots {
		due := s.due(i)
		sleepPrecisely(time.Until(due))
		slots[i%s.workers] <- due
	}
	for _, c := range slots {
		close(c)
	}
}

// follow runs worker w's slots in order, as the pacer hands them over.
func follow(w int, slots <-chan time.Time, do pacedOp) (lat, lag []time.Duration, n int, first error) {
	for due := range slots {
		l, g, err := do(w, due)
		if err != nil {
			n++
			first = cmp.Or(first, err)
			continue
		}
		lat, lag = append(lat, l), append(lag, g)
	}
	return lat, lag, n, first
}

// pacedTurns returns a pacedOp that sends worker w's message and waits for
// its delivery on arrived[w]: the latency runs from the due time to the
// delivery's arrival at the sink.
func (p *poster) pacedTurns(arrived []<-chan time.Time) pacedOp {
	return func(w int, due time.Time) (time.Duration, time.Duration, error) {
		drainArrivals(arrived[w])
		sent := time.Now()
		if err := p.post(w); err != nil {
			return 0, 0, err
		}
		select {
		case at := <-arrived[w]:
			return at.Sub(due), sent.Sub(due), nil
		case <-time.After(turnTimeout):
			return 0, 0, errNoDelivery
		}
	}
}

// measurePaced runs turns on as many conversations as clients on an open
// loop at a fixed total rate, against the emulator and the bare platform.
// platformRate is the bare platform's saturated turns/s measured by the
// closed loop, or 0 when it did not run.
func measurePaced(o options, r *rig, logf logFunc, platformRate float64) ([]row, error) {
	offered, err := offeredRate(o, r, logf, platformRate)
	if err != nil {
		return nil, err
	}
	emuCli, refCli := newClient(o.concurrency), newClient(o.concurrency)
	defer emuCli.CloseIdleConnections()
	defer refCli.CloseIdleConnections()
	res, err := warmRotated(o, r.pacedSide(o, logf, offered, "emulator", r.emu.URL(), emuCli),
		r.pacedSide(o, logf, offered, "reference", r.platSrv.url, refCli))
	if err != nil {
		return nil, err
	}
	return pacedRows(res[0], res[1], offered), nil
}

// offeredRate is -paced-rate, or -paced-fraction of the bare platform's
// saturated turns/s; when the closed loop did not run, one unreported
// closed-loop round of the bare platform measures that rate.
func offeredRate(o options, r *rig, logf logFunc, platformRate float64) (float64, error) {
	if o.pacedRate > 0 {
		logf("paced: offering %.0f turns/s (-paced-rate)", o.pacedRate)
		return o.pacedRate, nil
	}
	if platformRate == 0 {
		c := newClient(o.concurrency)
		defer c.CloseIdleConnections()
		res, err := r.turnSide(o, logf, "calibration", r.platSrv.url, c)(0, o.duration)
		if err != nil {
			return 0, err
		}
		platformRate = res.rate()
	}
	offered := o.pacedFraction * platformRate
	logf("paced: offering %.0f turns/s, %.2f × the bare platform's saturated %.0f turns/s", offered, o.pacedFraction, platformRate)
	return offered, nil
}

// pacedSide is a side that runs paced turns against baseURL, whose
// deliveries reach the rig's sink.
func (r *rig) pacedSide(o options, logf logFunc, offered float64, name, baseURL string, c *http.Client) side {
	return func(round int, d time.Duration) (result, error) {
		p := newPoster(c, baseURL, fmt.Sprintf("paced-%s-r%d", name, round), o.concurrency)
		arrived := r.sink.Route(p.ids)
		defer r.sink.Route(nil)
		res, err := r.round(roundName("paced", name, round), logf, func() result {
			return pace(newSchedule(o.concurrency, offered, d), p.pacedTurns(arrived))
		})
		logf("%s: offered %.0f/s, send lag p50 %v, p99 %v", roundName("paced", name, round),
			offered, nearestRank(res.lag, 0.5), nearestRank(res.lag, 0.99))
		return res, err
	}
}

// pacedRows reports paced message-to-delivery: latency against the
// issue's targets, the rate achieved against the rate offered, and how
// late the requests left.
func pacedRows(e, f []result, offered float64) []row {
	const name = "message→delivery, paced ²: "
	lagMs := func(q float64) func(result) float64 {
		return func(r result) float64 { return ms(nearestRank(r.lag, q)) }
	}
	return []row{
		newRow(name+"p50", millis, figures(e, quantileMs(0.5)), figures(f, quantileMs(0.5)), pacedP50),
		newRow(name+"p99", millis, figures(e, quantileMs(0.99)), figures(f, quantileMs(0.99)), pacedP99),
		newRow(fmt.Sprintf("%sachieved turns/s (offered %.0f /s)", name, offered), perSecond,
			figures(e, result.rate), figures(f, result.rate), nil),
		newRow(name+"send lag p50 (request start − schedule)", millis, figures(e, lagMs(0.5)), figures(f, lagMs(0.5)), nil),
		newRow(name+"send lag p99", millis, figures(e, lagMs(0.99)), figures(f, lagMs(0.99)), nil),
	}
}
