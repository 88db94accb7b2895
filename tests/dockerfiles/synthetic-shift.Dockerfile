FROM alpine:3
RUN echo $((1<<PAGE_SHIFT)) > /size
COPY a /a
RUN false_cmd_missing --flag
