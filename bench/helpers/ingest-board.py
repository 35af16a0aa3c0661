#!/usr/bin/env python3
# A board of N UARTs for the ingest benchmark, in one process so the load generator does not
# crowd the daemon off a small machine's cores (the previous one ran a Node busy loop plus a
# pty helper process per port: 17 processes, one of them spinning, on 2 cores).
#
# usage: ingest-board.py DIR PORTS BAUD SECONDS
# Makes PORTS pseudo terminals (raw slaves, linked as DIR/p0 … DIR/pN-1), prints `ready`, waits
# for a line on stdin (the daemon has opened every port), then writes Zephyr-like lines to every
# master, paced like a UART at BAUD (10 bits per byte) and written once a millisecond, the way a
# USB CDC bridge hands a host its bytes in 1 ms frames. Each line carries its port index, its
# sequence number and t: the CLOCK_MONOTONIC µs at which its first byte became readable under
# the daemon's own model (the write time less the wire time of the bytes after it in that
# write; the daemon back-dates the same way), so the daemon's stamp minus t is what it added.
# At the end prints `sent TOTAL n0,n1,…` and closes the masters (an unplug to the daemon).
import os, sys, time, tty, pty

dir_, ports, baud, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
masters, slaves = [], []
for p in range(ports):
    m, s = pty.openpty()
    tty.setraw(s)
    link = os.path.join(dir_, f"p{p}")
    try: os.unlink(link)
    except FileNotFoundError: pass
    os.symlink(os.ttyname(s), link)
    masters.append(m)
    slaves.append(s)  # kept open: closing the slave races with the daemon's open (toolchain.md)
print("ready", flush=True)
sys.stdin.readline()

mono_us = lambda: time.monotonic_ns() // 1000
byte_us = 10e6 / baud
start = mono_us() + 2000
nxt = [float(start)] * ports
seq = [0] * ports
end = start + seconds * 1e6
total = 0
while True:
    now = mono_us()
    if now >= end: break
    for p in range(ports):
        lines = []
        while nxt[p] <= now:
            ms = (nxt[p] - start) / 1000
            lines.append((f"[00:00:{int(ms // 1000) % 60:02d}.{int(ms % 1000):03d},000] <inf> bench: p={p} n={seq[p]} t=", "\r\n"))
            seq[p] += 1
            nxt[p] += (len(lines[-1][0]) + 18) * byte_us
        if not lines: continue
        w = mono_us()
        after = sum(len(a) + 18 for a, _ in lines)
        out = []
        for a, b in lines:
            out.append(f"{a}{round(w - (after - 1) * byte_us):016d}{b}")
            after -= len(a) + 18
        data = "".join(out).encode()
        view = memoryview(data)
        while view: view = view[os.write(masters[p], view):]
        total += len(lines)
    # Sleep to the next millisecond boundary rather than spin: the generator should cost little.
    time.sleep(max(0, 1000 - (mono_us() - now)) / 1e6)
time.sleep(1)  # let the daemon read what is still in the ptys
print(f"sent {total} {','.join(map(str, seq))}", flush=True)
time.sleep(0.3)
for p in range(ports):
    try: os.unlink(os.path.join(dir_, f"p{p}"))
    except FileNotFoundError: pass
    os.close(masters[p])
