# chatlayer-emulator image: a static binary on scratch, non-root, no shell.
#
#   docker build -t chatlayer-emulator .    builds the binary from source (golang image)
#   make image                              no registry needed: builds the binary on
#                                           the host and packs it (--target prebuilt)
#
# Both ways end in the same image configuration, the `runtime` stage below;
# they differ only in where the one binary layer comes from. The `prebuilt`
# stage comes before the `compile` stage, so the classic builder (no
# BuildKit), which builds every stage up to its target, never pulls the
# golang image when it targets `prebuilt`.

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

# The binary built on the host by `make image` (dist/rootfs holds the binary,
# the CA bundle and an empty /scenarios).
FROM runtime AS prebuilt
COPY dist/rootfs/ /

# The binary built from source, for `docker build .` on a normal machine.
FROM golang:1.26 AS compile
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
