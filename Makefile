# chatlayer-emulator: `make help` lists the targets.
.PHONY: help run test race vet fmt ci bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

run: ## run the emulator on the embedded demo bot
	go run ./cmd/chatlayer-emulator

test: ## run the tests
	go test ./...

race: ## run the tests with the race detector
	go test -race ./...

vet: ## go vet
	go vet ./...

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

ci: ## what CI runs
	bash .ci/run

bench: ## the bench harness (see docs/PERFORMANCE.md)
	go run ./bench
