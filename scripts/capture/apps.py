#!/usr/bin/env python3
"""Small socket programs for scripts/capture/record.py. Each prints one timestamped line per event (the app_*.log
files next to the captures), so the captures' ground truth can be checked against what the applications saw.

  apps.py ROLE [options]       ROLE: see the functions named role_* below
"""
import argparse
import errno
import socket
import struct
import sys
import time


def log(*parts):
    print(f'{time.time():.6f}', *parts, flush=True)


def addr(text):
    host, _, port = text.rpartition(':')
    return host, int(port)


def sleep_until(t):
    d = t - time.time()
    if d > 0:
        time.sleep(d)


def listen(host, port, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((host, port))
    s.listen(16)
    log('listening', f'{host}:{port}')
    return s


def read_until_eof(c, label='received'):
    total = 0
    while True:
        try:
            b = c.recv(65536)
        except OSError as e:
            log('recv error', errno.errorcode.get(e.errno, e.errno), e.strerror)
            return total
        if not b:
            log('EOF after', total, 'bytes')
            return total
        total += len(b)
        log(label, len(b), 'bytes')


# --- generic request/response -------------------------------------------------------------------------------------

def role_server(a):
    """Accept `--accept` connections; per connection read a request line, answer, then act per --after."""
    s = listen(*addr(a.listen), a.rcvbuf)
    for _ in range(a.accept):
        c, peer = s.accept()
        log('accepted', f'{peer[0]}:{peer[1]}')
        if a.after == 'no-read':
            # Do not read for a while: the receive buffer fills, the window closes.
            time.sleep(a.stall)
            log('start reading')
            total = 0
            while True:
                b = c.recv(a.read_chunk)
                if not b:
                    break
                total += len(b)
                time.sleep(a.read_sleep)
            log('EOF after', total, 'bytes')
            c.close()
            log('closed')
            continue
        data = c.recv(1024)
        log('request', len(data), 'bytes')
        if a.after == 'linger0':
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            c.close()
            log('closed with SO_LINGER {1, 0}: RST')
            continue
        if a.after == 'close-unread':
            # The request had more bytes than we read: close() with unread data sends RST (Linux).
            c.close()
            log('closed with unread data in the receive buffer')
            continue
        c.sendall(b'RESPONSE ' + data[:16])
        log('response sent')
        if a.after == 'close-first':
            time.sleep(a.delay)
            c.close()
            log('closed first')
        elif a.after == 'send-after-peer-close':
            time.sleep(a.delay)
            try:
                c.sendall(b'LATE DATA after the client closed\n')
                log('late data sent')
                time.sleep(0.2)
                c.sendall(b'MORE LATE DATA\n')
                log('more late data sent')
            except OSError as e:
                log('send error', errno.errorcode.get(e.errno, e.errno), e.strerror)
            read_until_eof(c)
            c.close()
            log('closed')
        elif a.after == 'hold':
            read_until_eof(c)
            c.close()
            log('closed')
        else:  # eof-close
            read_until_eof(c)
            c.close()
            log('closed after EOF')
    s.close()


def role_client(a):
    """Connect (optionally from a fixed port), send a request, read the answer, then act per --after."""
    for attempt in range(a.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if a.bind:
            s.bind(addr(a.bind))
        if a.keepalive:
            idle, intvl, cnt = (int(x) for x in a.keepalive.split(','))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)
        s.settimeout(a.timeout)
        t0 = time.time()
        try:
            s.connect(addr(a.connect))
        except OSError as e:
            log('connect failed after', f'{time.time() - t0:.3f}', 's:', errno.errorcode.get(e.errno, e.errno) if e.errno else type(e).__name__, e.strerror or str(e))
            s.close()
            continue
        s.settimeout(None)
        local = s.getsockname()
        log('connected', f'{local[0]}:{local[1]}', f'after {time.time() - t0:.3f} s')
        try:
            s.sendall(a.request.encode())
            log('request sent', len(a.request), 'bytes')
            if a.after == 'send-bulk':
                payload = b'x' * a.bytes
                s.sendall(payload)
                log('sent', a.bytes, 'bytes')
                s.shutdown(socket.SHUT_WR)
                read_until_eof(s)
            elif a.after == 'idle':
                b = s.recv(1024)
                log('response', len(b), 'bytes')
                log('idle (keep-alive probes run)')
                read_until_eof(s)
            elif a.after == 'close-early':
                s.close()
                log('closed right after the request')
                continue
            else:
                b = s.recv(1024)
                log('response', len(b), 'bytes')
                if a.after == 'wait-eof':
                    read_until_eof(s)
        except OSError as e:
            log('error', errno.errorcode.get(e.errno, e.errno), e.strerror)
        s.close()
        log('closed')
        if attempt + 1 < a.count:
            time.sleep(a.pause)


# --- simultaneous open and close -----------------------------------------------------------------------------------

def role_peer(a):
    """Bind a fixed port and connect to a peer doing the same at the same instant; close at the same instant."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr(a.bind))
    s.settimeout(20)
    sleep_until(a.start)
    t0 = time.time()
    s.connect(addr(a.connect))
    log('connected', f'after {time.time() - t0:.3f} s (simultaneous open if both SYNs crossed)')
    s.sendall(f'hello from {a.bind}\n'.encode())
    b = s.recv(1024)
    log('received', len(b), 'bytes')
    sleep_until(a.close_at)
    s.shutdown(socket.SHUT_WR)
    log('shutdown(SHUT_WR): FIN sent')
    read_until_eof(s)
    s.close()
    log('closed')


# --- Nagle + delayed ACK -----------------------------------------------------------------------------------------------

def role_twopart_server(a):
    """Answer only when a whole request (header + body, ends with END) has arrived."""
    s = listen(*addr(a.listen))
    c, peer = s.accept()
    log('accepted', f'{peer[0]}:{peer[1]}')
    buf = b''
    n = 0
    while True:
        b = c.recv(4096)
        if not b:
            break
        buf += b
        while b'END\n' in buf:
            _, _, buf = buf.partition(b'END\n')
            n += 1
            c.sendall(f'OK {n}\n'.encode())
            log('answered request', n)
    c.close()
    log('closed after EOF')


def role_twopart_client(a):
    """Write each request in two small send()s (header, then body) with Nagle on: the classic delayed-ACK stall."""
    s = socket.create_connection(addr(a.connect))
    log('connected', '%s:%d' % s.getsockname(), 'TCP_NODELAY', s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    for i in range(a.count):
        t0 = time.time()
        s.send(f'HEADER {i}\n'.encode())
        s.send(f'BODY {i} END\n'.encode())
        b = s.recv(1024)
        log(f'request {i + 1} answered after {1000 * (time.time() - t0):.1f} ms:', b.decode().strip())
        time.sleep(a.pause)
    s.close()
    log('closed')


# --- spurious retransmission and capture gaps ------------------------------------------------------------------------

def role_messages(a):
    """Send messages of the given sizes with pauses, then close and read to EOF."""
    s = socket.create_connection(addr(a.connect))
    log('connected', '%s:%d' % s.getsockname())
    for size in (int(x) for x in a.sizes.split(',')):
        s.sendall(b'm' * size)
        log('sent', size, 'bytes')
        time.sleep(a.pause)
    s.shutdown(socket.SHUT_WR)
    read_until_eof(s)
    s.close()
    log('closed')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('role')
    ap.add_argument('--listen')
    ap.add_argument('--connect')
    ap.add_argument('--bind')
    ap.add_argument('--accept', type=int, default=1)
    ap.add_argument('--after', default='eof-close')
    ap.add_argument('--delay', type=float, default=0.5)
    ap.add_argument('--rcvbuf', type=int)
    ap.add_argument('--stall', type=float, default=3.0)
    ap.add_argument('--read-chunk', type=int, default=4096)
    ap.add_argument('--read-sleep', type=float, default=0.005)
    ap.add_argument('--request', default='HELLO\n')
    ap.add_argument('--bytes', type=int, default=0)
    ap.add_argument('--count', type=int, default=1)
    ap.add_argument('--pause', type=float, default=0.3)
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--keepalive')
    ap.add_argument('--start', type=float)
    ap.add_argument('--close-at', type=float)
    ap.add_argument('--sizes')
    a = ap.parse_args()
    fn = globals().get('role_' + a.role.replace('-', '_'))
    if fn is None:
        sys.exit(f'unknown role {a.role}')
    fn(a)


if __name__ == '__main__':
    main()
