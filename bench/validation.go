package main

import (
	"errors"
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/bench/reference"
	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// measureValidation loads the v1 message route of the bare reference with
// and without the emulator's OpenAPI middleware in front of it, in one run:
// the cost of validating every request against the document.
func measureValidation(o options, logf logFunc) ([]row, error) {
	if !o.only.has(groupValidation) {
		return nil, nil
	}
	doc, err := openapi.Runtime()
	if err != nil {
		return nil, err
	}
	mw, err := openapi.Middleware(doc, openapi.Options{
		Authorized: func(*http.Request, string, map[string]string) bool { return true },
	})
	if err != nil {
		return nil, err
	}
	plain, err := listen(reference.Routes(reference.MessageHandler()))
	if err != nil {
		return nil, err
	}
	validated, err := listen(mw(reference.Routes(reference.MessageHandler())))
	if err != nil {
		return nil, errors.Join(err, plain.close())
	}
	defer func() { plain.close(); validated.close() }()
	return validationRows(o, logf, plain.url, validated.url)
}

// validationRows runs the rotated rounds and builds the rows.
func validationRows(o options, logf logFunc, plainURL, validatedURL string) ([]row, error) {
	val := newPoster(newClient(o.concurrency), validatedURL, "val", o.concurrency)
	ref := newPoster(newClient(o.concurrency), plainURL, "val", o.concurrency)
	defer val.close()
	defer ref.close()
	load := func(name string, p *poster) side {
		return func(round int, d time.Duration) (result, error) {
			res := generate(o.concurrency, d, p.request)
			logf("validation %s round %d: %d ok, %d errors, %.0f/s", name, round+1, res.n, res.errs, res.rate())
			if res.firstErr != nil {
				return res, res.firstErr
			}
			return res, nil
		}
	}
	res, err := rotated(o.rounds, o.duration, load("validated", val), load("plain", ref))
	if err != nil {
		return nil, err
	}
	rate := func(r result) float64 { return r.rate() }
	return []row{
		newRow("validated v1 message (OpenAPI middleware): requests/s", perSecond, figures(res[0], rate), figures(res[1], rate), rateTarget),
		newRow("validated v1 message: latency p99", millis, figures(res[0], quantileMs(0.99)), figures(res[1], quantileMs(0.99)), nil),
	}, nil
}
