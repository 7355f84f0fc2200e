// Command chatlayer-emulator runs the Chatlayer.ai emulator.
//
//	chatlayer-emulator [serve] [flags]     serve the API (default)
//	chatlayer-emulator validate FILE...    check scenario files
//	chatlayer-emulator healthcheck         exit 0 when a local emulator is ready
//	chatlayer-emulator version             print the version
//
// Every flag has one environment twin: --delivery-retries is
// CHATLAYER_EMULATOR_DELIVERY_RETRIES. A flag beats its environment variable.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
