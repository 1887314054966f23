#!/usr/bin/env python3
"""Relay IP packets between two TUN devices living in two network namespaces, with a fixed one-way delay and drop
switches. The kernel here has no sch_netem, so this is how the recordings get latency (simultaneous open/close need
SYNs and FINs in flight at the same time) and selective loss (SYNs, SYN-ACKs, ACKs) without touching any address
outside the two namespaces.

  tunrelay.py --ns-a NS_A --ns-b NS_B --addr-a 10.201.X.1 --addr-b 10.201.X.2 --delay-ms 150 --control DIR

Drop switches: the file DIR/a2b (packets from A to B) or DIR/b2a holds a rule `KIND` or `KIND:N` where KIND is one of
all, syn (SYN without ACK), synack, pureack (no payload, no SYN/FIN/RST), data (payload); `:N` drops only the next N
matching packets (the relay rewrites the count). An empty or missing file drops nothing. IPv4 only.
"""
import argparse
import collections
import ctypes
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
LIBC = ctypes.CDLL(None, use_errno=True)


def enter_netns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if LIBC.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), path)
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def classify(pkt):
    """Return the drop-rule kinds a packet matches."""
    kinds = {'all'}
    if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[9] != 6:
        return kinds
    ihl = (pkt[0] & 0x0F) * 4
    if len(pkt) < ihl + 20:
        return kinds
    total = struct.unpack('!H', pkt[2:4])[0]
    flags = pkt[ihl + 13]
    doff = (pkt[ihl + 12] >> 4) * 4
    payload = total - ihl - doff
    syn, ack, fin, rst = flags & 0x02, flags & 0x10, flags & 0x01, flags & 0x04
    if syn and not ack:
        kinds.add('syn')
    if syn and ack:
        kinds.add('synack')
    if payload > 0:
        kinds.add('data')
    elif ack and not (syn or fin or rst):
        kinds.add('pureack')
    return kinds


def should_drop(control, direction, pkt):
    path = os.path.join(control, direction)
    try:
        with open(path) as f:
            rule = f.read().strip()
    except FileNotFoundError:
        return False
    if not rule:
        return False
    kind, _, count = rule.partition(':')
    if kind not in classify(pkt):
        return False
    if count:
        left = int(count)
        if left <= 0:
            return False
        with open(path, 'w') as f:
            f.write(f'{kind}:{left - 1}' if left > 1 else '')
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ns-a', required=True)
    ap.add_argument('--ns-b', required=True)
    ap.add_argument('--addr-a', required=True)
    ap.add_argument('--addr-b', required=True)
    ap.add_argument('--tun-a', default='tunA')
    ap.add_argument('--tun-b', default='tunB')
    ap.add_argument('--delay-ms', type=float, default=0.0)
    ap.add_argument('--control', required=True)
    args = ap.parse_args()

    own = os.open('/proc/self/ns/net', os.O_RDONLY)
    enter_netns(f'/var/run/netns/{args.ns_a}')
    fa = open_tun(args.tun_a)
    enter_netns(f'/var/run/netns/{args.ns_b}')
    fb = open_tun(args.tun_b)
    if LIBC.setns(own, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns back')
    for ns, tun, mine, peer in ((args.ns_a, args.tun_a, args.addr_a, args.addr_b), (args.ns_b, args.tun_b, args.addr_b, args.addr_a)):
        subprocess.run(['ip', '-n', ns, 'addr', 'add', mine, 'peer', peer, 'dev', tun], check=True)
        subprocess.run(['ip', '-n', ns, 'link', 'set', tun, 'up'], check=True)
    os.makedirs(args.control, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print('ready', flush=True)

    delay = args.delay_ms / 1000.0
    queues = {fa: collections.deque(), fb: collections.deque()}  # packets waiting to be written to that fd
    route = {fa: (fb, 'a2b'), fb: (fa, 'b2a')}
    while True:
        now = time.monotonic()
        due = [q[0][0] for q in queues.values() if q]
        timeout = max(0.0, min(due) - now) if due else 1.0
        readable, _, _ = select.select([fa, fb], [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            pkt = os.read(fd, 65536)
            out, direction = route[fd]
            if should_drop(args.control, direction, pkt):
                continue
            queues[out].append((now + delay, pkt))
        for fd, q in queues.items():
            while q and q[0][0] <= now:
                os.write(fd, q.popleft()[1])


if __name__ == '__main__':
    main()
