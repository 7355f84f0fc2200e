# chatlayer-emulator image: a static binary on scratch, non-root, no shell.
#
#   docker build -t chatlayer-emulator .    builds the binary from source (golang image)
#   make image                              no registry needed: builds the binary on
#                                           the host and packs it (--target prebuilt)
#
# Both ways end in the same image configuration, the `runtime` stage below;
# they differ only in where the one binary layer comes from.
#
# Docker's classic builder (no BuildKit) builds every stage up to its target
# in the order written, used or not; BuildKit builds only the stages its
# target needs. Hence the order: the `prebuilt` stages come before
# `compile`, so `--target prebuilt` never pulls the golang image, and they
# succeed on a fresh clone, which has no dist/, so the default build passes
# through them on its way to `compile`.

# The image to compile in: a mirror or a local image can stand in for it
# (--build-arg GO_IMAGE=...).
ARG GO_IMAGE=golang:1.26

FROM scratch AS runtime
LABEL org.opencontainers.image.title="chatlayer-emulator" \
      org.opencontainers.image.description="Offline emulator of the Chatlayer.ai chatbot platform for contract testing" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/chatlayer-emulator/chatlayer-emulator"
ENV CHATLAYER_EMULATOR_ADDR=0.0.0.0:8080 \
    CHATLAYER_EMULATOR_INIT_DIR=/scenarios \
    CHATLAYER_EMULATOR_LOG_FORMAT=json
EXPOSE 8080
STOPSIGNAL SIGTERM
USER 65532:65532
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
    CMD ["/chatlayer-emulator", "healthcheck"]
ENTRYPOINT ["/chatlayer-emulator"]
CMD ["serve"]

# What `make binary` left in dist/rootfs (the binary, the CA bundle and an
# empty /scenarios) as /dist/rootfs; an empty /dist/rootfs on a fresh clone.
# WORKDIR makes the folder in any case. go.mod is there because the classic
# builder fails a COPY whose only source is a wildcard that matches nothing;
# `dist*` matches the dist folder and copies what it holds.
FROM scratch AS host-build
WORKDIR /dist/rootfs
COPY go.mod dist* /dist/

# The binary built on the host by `make image`. Without `make binary` first
# this image has no binary: use `make image`, not --target prebuilt alone.
FROM runtime AS prebuilt
COPY --from=host-build /dist/rootfs/ /

# The binary built from source, for `docker build .` on a normal machine.
FROM ${GO_IMAGE} AS compile
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN mkdir -p /rootfs/scenarios /rootfs/etc/ssl/certs \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \
 && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.buildVersion=${VERSION}" \
      -o /rootfs/chatlayer-emulator ./cmd/chatlayer-emulator

FROM runtime AS image
COPY --from=compile /rootfs/ /
