# Multi-stage build, no "# syntax=" directive, no heredocs.
FROM localhost/stcap-base:1 AS a
RUN echo stage-a > /a.txt

# second (final) stage
FROM localhost/stcap-base:1
COPY --from=a /a.txt /a.txt
RUN cat /a.txt && \
    sh -c 'echo second-stage-fail >&2; exit 2'
RUN echo never-reached
