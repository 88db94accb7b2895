FROM alpine:3
RUN <<EOF
set -e
false_cmd_missing --flag
EOF
RUN echo done
