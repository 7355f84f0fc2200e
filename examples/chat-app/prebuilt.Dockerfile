# The example application's image from a binary built on the host: what
# `make example-images` builds, with no registry. Its context is the folder
# holding the binary (dist/chat-app); the image is the one the Dockerfile
# beside this file builds from source.
FROM scratch
COPY chat-app /chat-app
USER 65532:65532
ENTRYPOINT ["/chat-app"]
