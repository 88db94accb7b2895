# Non-default Dockerfile name, built with: -f build/Custom.dockerfile .
FROM localhost/stcap-base:1
COPY ctx.txt /ctx.txt

RUN cat /ctx.txt && \
    exit 3
