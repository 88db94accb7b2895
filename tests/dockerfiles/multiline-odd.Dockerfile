# Case multiline-odd: whitespace edge cases in a continued RUN
FROM localhost/stcap-base:1

ENV A=1
WORKDIR /tmp
# failing step is instruction 4, physical lines 7-12
RUN echo   "two  spaces"   && \
		echo tabbed && \   
# a comment inside the continuation
    false_cmd_missing   --flag \

        --other && echo never
RUN echo never-reached
