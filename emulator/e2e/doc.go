// Package e2e holds the emulator's black-box container tests: they build
// the Docker image from the repository, run it as users do, and test it from
// outside over HTTP only. They sit behind the e2e build tag:
//
//	go test -tags e2e ./emulator/e2e/
//
// Without a Docker engine they skip with a message; with
// CHATLAYER_E2E_REQUIRE_DOCKER=1 (set by .ci/run) a missing engine is a
// failure. CHATLAYER_E2E_IMAGE names an image to test instead of
// building one.
package e2e
