# The same download without flakynet, for a kernel limiter cross-check (run it inside
# `unshare -n` with a tbf qdisc on lo; see ../README.md). usage: python3 tbfbench.py TOTAL_BYTES
import socket, threading, time, sys
total = int(sys.argv[1])
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()
def source():
    c, _ = srv.accept(); buf = b'x' * 65536; sent = 0
    while sent < total:
        sent += c.send(buf[:min(len(buf), total - sent)])
    c.close()
threading.Thread(target=source, daemon=True).start()
c = socket.create_connection(srv.getsockname()); got = 0; t0 = time.monotonic()
while got < total:
    d = c.recv(65536)
    if not d: break
    got += len(d)
dt = time.monotonic() - t0
print('tbf: bytes %d in %.3f s = %.0f B/s' % (got, dt, got / dt))
