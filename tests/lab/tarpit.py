#!/usr/bin/env python3
"""A TCP listener on 127.0.0.1 that accepts and never answers: a registry that hangs.

A pull from it waits until the client gives up, which holds a sandbox in its
`Pulling image` status for as long as a scenario needs (a provisioning timeout, a
Ctrl-C while the sandbox is being readied).

usage: tarpit.py PORT_FILE   (writes the port it listens on, then serves until killed)
"""
import socket
import sys
import threading
import time

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(64)
with open(sys.argv[1], "w") as out:
    out.write(str(listener.getsockname()[1]))
held = []


def hold(conn):
    held.append(conn)
    time.sleep(3600)


while True:
    conn, _ = listener.accept()
    threading.Thread(target=hold, args=(conn,), daemon=True).start()
