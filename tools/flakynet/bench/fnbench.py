# Measures payload throughput through flakynet: a source server, flakynet, a timed client.
# usage: python3 fnbench.py FLAKYNET_BINARY TOTAL_BYTES [flakynet flags...]
import socket, subprocess, sys, threading, time, os
binary, total = sys.argv[1], int(sys.argv[2])
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()
def source():
    c, _ = srv.accept(); buf = b'x' * (1 << 20); sent = 0
    while sent < total:
        n = c.send(buf[:min(len(buf), total - sent)]); sent += n
    c.close()
threading.Thread(target=source, daemon=True).start()
p = subprocess.Popen([binary, '--target', '127.0.0.1:%d' % srv.getsockname()[1]] + sys.argv[3:], stdout=subprocess.PIPE, text=True)
port = None
while port is None:
    line = p.stdout.readline()
    if line.startswith('listening'): port = int(line.strip().rsplit(':', 1)[1])
c = socket.create_connection(('127.0.0.1', port)); got = 0; t0 = time.monotonic()
while got < total:
    d = c.recv(1 << 20)
    if not d: break
    got += len(d)
dt = time.monotonic() - t0
ticks = open('/proc/%d/stat' % p.pid).read().split(')')[1].split()
cpu = (int(ticks[11]) + int(ticks[12])) / os.sysconf('SC_CLK_TCK')
print('bytes %d in %.3f s = %.1f MB/s (%.0f B/s); flakynet cpu %.2f s' % (got, dt, got / dt / 1e6, got / dt, cpu))
p.terminate(); p.wait()
