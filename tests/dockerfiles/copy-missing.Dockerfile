FROM localhost/stcap-base:1

COPY present.txt /present.txt
# this file is not in the build context
COPY does-not-exist.txt /app/
RUN echo never-reached
