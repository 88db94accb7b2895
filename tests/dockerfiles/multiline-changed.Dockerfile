# Case multiline: 4th instruction is a 3-line RUN whose 2nd command fails.
# Comments and blank lines push the line numbers away from step numbers.

FROM localhost/stcap-base:1

# some metadata first
LABEL case=multiline
ENV GREETING=hello

# the failing step (instruction 4, physical lines 11-13)
RUN echo one && \
    installed_later --flag && \
    echo three

RUN echo never-reached
