#!/usr/bin/env python3
# python3 ptyhelper.py LINK : a fake serial device on a real pseudo terminal.
# stdin -> device output (what the app reads); what the app writes -> stdout.
# EOF on stdin or SIGTERM = unplug: the link is removed, the master closed.
# Keeps the slave fd open for its lifetime: closing it races with the app's open() and
# loses data (reference/toolchain.md, "Ptys without socat").
import os, sys, tty, select, pty, signal
link = sys.argv[1]
m, s = pty.openpty()
tty.setraw(s)
try: os.unlink(link)
except FileNotFoundError: pass
os.symlink(os.ttyname(s), link)
def bye(*_):
    try: os.unlink(link)
    except FileNotFoundError: pass
    os._exit(0)
signal.signal(signal.SIGTERM, bye)
os.write(1, (os.ttyname(s) + "\n").encode())
inp, out = sys.stdin.fileno(), sys.stdout.fileno()
while True:
    r, _, _ = select.select([inp, m], [], [])
    if inp in r:
        d = os.read(inp, 65536)
        if not d: bye()
        view = memoryview(d)
        while view:
            n = os.write(m, view)
            view = view[n:]
    if m in r:
        try: d = os.read(m, 65536)
        except OSError: d = b''
        if d: os.write(out, d)
