# chatlayer-emulator: `make help` lists the targets.
.PHONY: help run test race vet fmt ci bench image binary example-images

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

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

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

binary: ## build the static binary into dist/rootfs (what `make image` packs)
	rm -rf dist/rootfs && mkdir -p dist/rootfs/scenarios dist/rootfs/etc/ssl/certs
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.buildVersion=$(VERSION)" \
		-o dist/rootfs/chatlayer-emulator ./cmd/chatlayer-emulator
	cp /etc/ssl/certs/ca-certificates.crt dist/rootfs/etc/ssl/certs/

IMAGE ?= chatlayer-emulator:latest

image: binary ## build the image with no registry access, tagged chatlayer-emulator:latest (or IMAGE=)
	docker build --target prebuilt -t $(IMAGE) .

APP_IMAGE ?= chatlayer-example-chat-app:latest

example-images: image ## examples/compose's images with no registry access: image, then the chat app's (or APP_IMAGE=)
	rm -rf dist/chat-app && mkdir -p dist/chat-app
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o dist/chat-app/chat-app ./examples/chat-app
	docker build -t $(APP_IMAGE) -f examples/chat-app/prebuilt.Dockerfile dist/chat-app
