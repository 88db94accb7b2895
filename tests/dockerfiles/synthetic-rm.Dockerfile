FROM debian:12
RUN rm /etc/apt/sources.list.d/old.list; apt-get update && apt-get install -y nosuchpkg
