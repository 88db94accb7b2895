#!/usr/bin/env python3
"""A unix-socket proxy to the Docker Engine that asks the engine's own API version.

OpenShell's Docker client (bollard 0.20) always speaks API 1.52 and never negotiates;
Debian's Docker Engine 20.10 answers anything above 1.41 with `client version 1.52 is
too new`. The proxy rewrites the version in each request line (the client opens one
connection per request) and splices the rest both ways untouched, hijacked streams
(attach, build output) included. What the engine answers is the engine's own.

usage: docker_api_proxy.py LISTEN_SOCKET [ENGINE_SOCKET] [VERSION]
"""
import asyncio
import os
import re
import sys

LISTEN = sys.argv[1]
ENGINE = sys.argv[2] if len(sys.argv) > 2 else "/var/run/docker.sock"
VERSION = (sys.argv[3] if len(sys.argv) > 3 else "1.41").encode()
REQUEST = re.compile(rb"^([A-Z]+ )/v1\.\d+/")


async def pump(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass


async def serve(client_reader, client_writer):
    try:
        engine_reader, engine_writer = await asyncio.open_unix_connection(ENGINE)
    except OSError:
        client_writer.close()
        return
    first = await client_reader.readline()
    engine_writer.write(REQUEST.sub(rb"\1/v" + VERSION + b"/", first))
    await asyncio.gather(pump(client_reader, engine_writer), pump(engine_reader, client_writer))
    client_writer.close()
    engine_writer.close()


async def main():
    if os.path.exists(LISTEN):
        os.unlink(LISTEN)
    server = await asyncio.start_unix_server(serve, LISTEN, limit=1 << 20)
    os.chmod(LISTEN, 0o660)
    async with server:
        await server.serve_forever()


asyncio.run(main())
