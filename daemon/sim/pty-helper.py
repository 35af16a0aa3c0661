#!/usr/bin/env python3
# python3 pty-helper.py LINK [--overrun] [--notify-open] : a fake serial device on a real pseudo terminal.
# stdin -> device output (what the app reads); what the app writes -> stdout.
# EOF on stdin or SIGTERM = unplug: the link is removed, the master closed.
# Keeps the slave fd open for its lifetime: closing it races with the app's open() and
# loses data (reference/toolchain.md, "Ptys without socat").
# --overrun: behave like a UART nobody reads: when the pty's input buffer is full, the bytes
# that do not fit are dropped instead of blocking (and later arriving as a stale burst when
# the app finally opens the port). Without it, writes block until the app reads (no loss).
# --notify-open: print `open` on stderr the first time an app configures the port (its termios
# changes from the raw settings made here, as serialport, picocom, tio do on open), so the
# caller can start talking when someone listens.
import os, sys, tty, select, pty, signal, termios
args = [a for a in sys.argv[1:] if not a.startswith('--')]
overrun = '--overrun' in sys.argv[1:]
notify_open = '--notify-open' in sys.argv[1:]
link = args[0]
m, s = pty.openpty()
tty.setraw(s)
if overrun: os.set_blocking(m, False)
raw_attrs = termios.tcgetattr(s)
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
    r, _, _ = select.select([inp, m], [], [], 0.05 if notify_open else None)
    if notify_open and termios.tcgetattr(s) != raw_attrs:
        notify_open = False
        os.write(2, b"open\n")
    if inp in r:
        d = os.read(inp, 65536)
        if not d: bye()
        view = memoryview(d)
        while view:
            try: n = os.write(m, view)
            except BlockingIOError: break  # --overrun only: the rest is lost, as on a UART
            view = view[n:]
    if m in r:
        try: d = os.read(m, 65536)
        except BlockingIOError: d = None
        except OSError: d = b''
        if d: os.write(out, d)
