RUN echo one && \
    false_cmd_missing --flag
