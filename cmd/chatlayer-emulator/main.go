// Command chatlayer-emulator runs the Chatlayer.ai emulator.
//
//	chatlayer-emulator [serve] [flags]      serve the API (default)
//	chatlayer-emulator validate FILE...     check scenario files
//	chatlayer-emulator healthcheck [flags]  exit 0 when a local emulator is ready
//	chatlayer-emulator conformance [flags]  certify a vendor's endpoint
//	chatlayer-emulator version              print the version (also --version)
//
// Every flag has one environment twin, whose prefix is its command's:
// serve's --delivery-retries is CHATLAYER_EMULATOR_DELIVERY_RETRIES
// (healthcheck shares serve's prefix, to find serve's address in the
// image), conformance's --verify-token is
// CHATLAYER_CONFORMANCE_VERIFY_TOKEN. A flag beats its environment
// variable; a CHATLAYER_ variable no command reads gets a warning.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}
