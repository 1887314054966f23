#!/usr/bin/env python3
"""Record the TCP scenarios TCP Lens's connection findings are tested on, in network namespaces created for the
purpose (loopback inside one namespace, or two namespaces joined by tunrelay.py). Nothing outside those namespaces is
touched: addresses are 127.0.0.1 inside a namespace or 10.201.x.y on the relay's TUN devices, which exist only inside
the two namespaces, with no route anywhere else.

  sudo scripts/capture/record.sh [SCENARIO ...]     (all scenarios when none is named)

For each scenario it writes test/fixtures/captures/rec_<scenario>/: capture.pcap (tcpdump -w), tcpdump_nn.txt
(tcpdump -nn -l), tcpdump_tttt_S_v.txt (tcpdump -nn -tttt -S -v -l), tshark.txt (tshark -r capture.pcap), the
stderr of each, app_<name>.log (the programs' own timestamped events) and README.md (commands, versions, what the
scenario shows). The three tcpdumps run at the same time on the same interface.
"""
import os
import shlex
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'captures')
APPS = os.path.join(HERE, 'apps.py')
RELAY = os.path.join(HERE, 'tunrelay.py')
PY = sys.executable or 'python3'


class Scenario:
    def __init__(self, name, title, shows):
        self.name = name
        self.title = title
        self.shows = shows
        self.dir = os.path.join(OUT, f'rec_{name}')
        self.commands = []
        self.namespaces = []
        self.procs = []  # (Popen, description) we started; stopped by pid at the end
        self.captures = []
        self.relay_proc = None
        self.control = None
        self.notes = []
        self.delay_s = 0.0

    # -- shell -------------------------------------------------------------------------------------------------------
    def shown(self, cmd):
        """A command as the README shows it: paths relative to the repository, `python3` for the interpreter."""
        text = ' '.join(shlex.quote(c) for c in cmd)
        return text.replace(PY, 'python3').replace(self.dir + '/', '').replace(ROOT + '/', '')

    def run(self, cmd, record=True, **kw):
        if record:
            self.commands.append(self.shown(cmd))
        return subprocess.run(cmd, check=True, **kw)

    def note(self, text):
        self.commands.append(f'# {text}')

    # -- namespaces --------------------------------------------------------------------------------------------------
    def netns(self, short):
        ns = f'tl_{self.name[:8]}_{short}'
        subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)
        self.run(['ip', 'netns', 'add', ns])
        self.run(['ip', '-n', ns, 'link', 'set', 'lo', 'up'])
        self.namespaces.append(ns)
        return ns

    def relay(self, delay_ms, subnet):
        """Two namespaces joined by tunrelay.py: A = 10.201.<subnet>.1, B = 10.201.<subnet>.2."""
        a, b = self.netns('a'), self.netns('b')
        self.delay_s = delay_ms / 1000.0
        self.control = os.path.join('/tmp', f'tcp-lens-relay-{self.name}')
        os.makedirs(self.control, exist_ok=True)
        for f in ('a2b', 'b2a'):
            open(os.path.join(self.control, f), 'w').close()
        cmd = [PY, RELAY, '--ns-a', a, '--ns-b', b, '--addr-a', f'10.201.{subnet}.1', '--addr-b', f'10.201.{subnet}.2',
               '--delay-ms', str(delay_ms), '--control', self.control]
        self.commands.append(self.shown(cmd).replace(self.control, 'CONTROL') + ' &')
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        if p.stdout.readline().strip() != 'ready':
            raise RuntimeError('relay did not start')
        self.relay_proc = p
        return a, b, f'10.201.{subnet}.1', f'10.201.{subnet}.2'

    def drop(self, direction, rule):
        """Set a relay drop rule (see tunrelay.py): direction a2b or b2a, rule like 'syn:3', 'all', ''."""
        self.commands.append(f'echo {shlex.quote(rule)} > CONTROL/{direction}   # relay drop rule')
        with open(os.path.join(self.control, direction), 'w') as f:
            f.write(rule)

    # -- captures ----------------------------------------------------------------------------------------------------
    def capture(self, ns, iface, filt):
        os.makedirs(self.dir, exist_ok=True)
        specs = [
            ('tcpdump_nn', ['-nn', '-l'], 'txt'),
            ('tcpdump_tttt_S_v', ['-nn', '-tttt', '-S', '-v', '-l'], 'txt'),
            ('capture', ['-nn', '-U', '-w', os.path.join(self.dir, 'capture.pcap')], None),
        ]
        for name, opts, ext in specs:
            cmd = ['ip', 'netns', 'exec', ns, 'tcpdump', '-i', iface, *opts, '-Z', 'root', filt]
            shown = self.shown(cmd)
            out = open(os.path.join(self.dir, f'{name}.{ext}'), 'w') if ext else subprocess.DEVNULL
            err_name = f'{name}.stderr.txt' if ext else 'capture_pcap.stderr.txt'
            err = open(os.path.join(self.dir, err_name), 'w')
            self.commands.append(shown + (f' > {name}.{ext}' if ext else '') + f' 2> {err_name} &')
            p = subprocess.Popen(cmd, stdout=out, stderr=err)
            self.captures.append((p, os.path.join(self.dir, err_name)))
        deadline = time.time() + 10
        for _, err in self.captures:
            while time.time() < deadline:
                with open(err) as f:
                    if 'listening on' in f.read():
                        break
                time.sleep(0.05)
        time.sleep(0.3)

    def stop_capture(self):
        # Let the last segments through the relay (delayed ACKs, the relay's own delay) before stopping.
        time.sleep(1.0 + 2 * self.delay_s)
        for p, _ in self.captures:
            p.send_signal(signal.SIGINT)
        for p, _ in self.captures:
            p.wait(timeout=20)
        self.commands.append('kill -INT <the three tcpdumps>')
        with open(os.path.join(self.dir, 'tshark.txt'), 'w') as out, open(os.path.join(self.dir, 'tshark.stderr.txt'), 'w') as err:
            self.commands.append('tshark -r capture.pcap > tshark.txt 2> tshark.stderr.txt')
            subprocess.run(['tshark', '-r', os.path.join(self.dir, 'capture.pcap')], stdout=out, stderr=err, check=True)

    # -- applications --------------------------------------------------------------------------------------------------
    def app(self, ns, log_name, *args, wait_for=None):
        cmd = ['ip', 'netns', 'exec', ns, PY, APPS, *args]
        self.commands.append(f'{self.shown(cmd)} > app_{log_name}.log &')
        log_path = os.path.join(self.dir, f'app_{log_name}.log')
        p = subprocess.Popen(cmd, stdout=open(log_path, 'w'), stderr=subprocess.STDOUT)
        self.procs.append(p)
        if wait_for:
            deadline = time.time() + 10
            while time.time() < deadline:
                with open(log_path) as f:
                    if wait_for in f.read():
                        break
                time.sleep(0.02)
        return p

    def wait(self, p, timeout=60):
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.terminate()
            p.wait(timeout=5)

    def sleep(self, seconds, why=''):
        self.note(f'sleep {seconds}' + (f'  ({why})' if why else ''))
        time.sleep(seconds)

    # -- teardown ------------------------------------------------------------------------------------------------------
    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
        for p, _ in self.captures:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
                p.wait(timeout=10)
        if self.relay_proc and self.relay_proc.poll() is None:
            self.relay_proc.terminate()
            self.relay_proc.wait(timeout=5)
        if self.control and os.path.isdir(self.control):
            for f in os.listdir(self.control):
                os.remove(os.path.join(self.control, f))
            os.rmdir(self.control)
        for ns in self.namespaces:
            subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)

    def write_readme(self):
        def first_line(cmd):
            r = subprocess.run(cmd, capture_output=True, text=True)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        sysctls = []
        for key in ('tcp_syn_retries', 'tcp_synack_retries', 'tcp_syn_linear_timeouts', 'tcp_fin_timeout', 'tcp_keepalive_time'):
            path = f'/proc/sys/net/ipv4/{key}'
            if os.path.exists(path):
                sysctls.append(f'{key}={open(path).read().strip()}')
        lines = [
            f'# rec_{self.name}: {self.title}',
            '',
            'Recorded by `scripts/capture/record.sh ' + self.name + '` (scripts/capture/record.py).',
            '',
            f'- Kernel: {os.uname().release}; {first_line(["tcpdump", "--version"])}; {first_line(["tshark", "--version"])};'
            f' {first_line([PY, "--version"])}',
            f'- Defaults of a new namespace on this kernel: {", ".join(sysctls)}',
            f'- Recorded: {time.strftime("%Y-%m-%d %H:%M:%S %Z")}',
            '',
            '## What it shows',
            '',
            self.shows,
            '',
        ]
        if self.notes:
            lines += ['## Ground truth (from the application logs and the recording)', '']
            lines += [f'- {n}' for n in self.notes]
            lines.append('')
        lines += ['## Commands (in order; CONTROL is the relay\'s control directory)', '', '```']
        lines += self.commands
        lines += ['```', '']
        with open(os.path.join(self.dir, 'README.md'), 'w') as f:
            f.write('\n'.join(lines))


def log_lines(sc, name):
    with open(os.path.join(sc.dir, f'app_{name}.log')) as f:
        return [l.rstrip('\n') for l in f]


# ---------------------------------------------------------------------------------------------------------------------
# Scenarios

def simultaneous(sc):
    a, b, ia, ib = sc.relay(150, 1)
    sc.capture(a, 'tunA', 'tcp')
    start = time.time() + 1.0
    pa = sc.app(a, 'a', 'peer', '--bind', f'{ia}:40001', '--connect', f'{ib}:40002', '--start', f'{start:.3f}', '--close-at', f'{start + 1.5:.3f}')
    pb = sc.app(b, 'b', 'peer', '--bind', f'{ib}:40002', '--connect', f'{ia}:40001', '--start', f'{start:.3f}', '--close-at', f'{start + 1.5:.3f}')
    sc.wait(pa, 30)
    sc.wait(pb, 30)
    sc.stop_capture()
    sc.notes.append(f'{ia}:40001 and {ib}:40002 both called connect() at the same instant, with 150 ms one-way delay on the relay: the two SYNs cross.')
    sc.notes.append('Both called shutdown(SHUT_WR) at the same instant 1.5 s later: the two FINs cross (simultaneous close), then each read to EOF and closed.')


def syn_backoff(sc):
    a, b, ia, ib = sc.relay(1, 2)
    sc.capture(a, 'tunA', 'tcp')
    srv = sc.app(b, 'server', 'server', '--listen', f'{ib}:8080', '--after', 'eof-close', wait_for='listening')
    sc.drop('a2b', 'syn:3')
    c1 = sc.app(a, 'client_answered', 'client', '--connect', f'{ib}:8080', '--timeout', '60')
    sc.wait(c1, 60)
    sc.wait(srv, 10)
    sc.drop('a2b', 'syn')
    c2 = sc.app(a, 'client_unanswered', 'client', '--connect', f'{ib}:8081', '--timeout', '300')
    sc.wait(c2, 320)
    sc.drop('a2b', '')
    sc.stop_capture()
    sc.notes.append('Connection 1: the relay drops the first 3 SYNs toward the server; the 4th gets through and the request/response completes (client closes first).')
    sc.notes.append('Connection 2: the relay drops every SYN toward port 8081; connect() gives up after tcp_syn_retries with ETIMEDOUT (see app_client_unanswered.log).')
    for l in log_lines(sc, 'client_answered') + log_lines(sc, 'client_unanswered'):
        if 'connect' in l:
            sc.notes.append('app log: ' + l)


def synack(sc):
    a, b, ia, ib = sc.relay(1, 3)
    sc.capture(b, 'tunB', 'tcp')
    srv = sc.app(b, 'server', 'server', '--listen', f'{ib}:8080', '--after', 'eof-close', wait_for='listening')
    sc.drop('b2a', 'synack:2')
    c = sc.app(a, 'client', 'client', '--connect', f'{ib}:8080')
    sc.wait(c, 30)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('Captured on the SERVER side (tunB). The relay drops the first 2 SYN-ACKs toward the client: the server retransmits its SYN-ACK (and answers the client\'s retransmitted SYN) until one arrives.')


def keepalive(sc):
    a, b, ia, ib = sc.relay(1, 4)
    sc.capture(a, 'tunA', 'tcp')
    srv = sc.app(b, 'server', 'server', '--listen', f'{ib}:8080', '--after', 'hold', wait_for='listening')
    c = sc.app(a, 'client', 'client', '--connect', f'{ib}:8080', '--keepalive', '1,1,3', '--after', 'idle')
    sc.sleep(3.6, 'idle: keep-alive probes every second, answered')
    sc.drop('a2b', 'all')
    sc.note('from now on the relay drops everything toward the server: probes go unanswered')
    sc.wait(c, 20)
    sc.drop('a2b', '')
    srv.terminate()
    sc.wait(srv, 5)
    sc.stop_capture()
    sc.notes.append('Client sets SO_KEEPALIVE with TCP_KEEPIDLE=1, TCP_KEEPINTVL=1, TCP_KEEPCNT=3 and stays idle after one request/response.')
    sc.notes.append('For 3.6 s the probes are answered; then the relay drops everything toward the server: after 3 unanswered probes the client kernel resets the connection and recv() fails with ETIMEDOUT.')
    for l in log_lines(sc, 'client'):
        if 'error' in l or 'EOF' in l:
            sc.notes.append('app log: ' + l)


def zero_window(sc):
    a, b, ia, ib = sc.relay(2, 5)
    sc.capture(a, 'tunA', 'tcp')
    srv = sc.app(b, 'receiver', 'server', '--listen', f'{ib}:8080', '--after', 'no-read', '--rcvbuf', '4096', '--stall', '3', '--read-chunk', '4096', '--read-sleep', '0.005', wait_for='listening')
    c = sc.app(a, 'sender', 'client', '--connect', f'{ib}:8080', '--after', 'send-bulk', '--bytes', '150000')
    sc.wait(c, 60)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('The receiver asks for SO_RCVBUF 4096 on its listener and does not read for 3 s; then it reads 4096 bytes every ~5 ms. The sender writes 150000 bytes (+ a 6-byte request), shuts down and reads to EOF.')
    sc.notes.append('Its window closes (win 0); the sender\'s persist timer probes it (Linux: empty segment, seq = next - 1) with back-off until the receiver reads and a window update reopens it.')


def delayed_ack(sc):
    ns = sc.netns('lo')
    sc.capture(ns, 'lo', 'tcp port 8080')
    srv = sc.app(ns, 'server', 'twopart-server', '--listen', '127.0.0.1:8080', wait_for='listening')
    c = sc.app(ns, 'client', 'twopart-client', '--connect', '127.0.0.1:8080', '--count', '8', '--pause', '0.1')
    sc.wait(c, 30)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('The client writes each request in two send() calls (header, then body) with Nagle on (TCP_NODELAY 0); the server answers only a complete request.')
    for l in log_lines(sc, 'client'):
        if 'answered after' in l:
            sc.notes.append('app log: ' + l)


def resets(sc):
    ns = sc.netns('lo')
    sc.capture(ns, 'lo', 'tcp')
    s1 = sc.app(ns, 'server_linger0', 'server', '--listen', '127.0.0.1:8091', '--after', 'linger0', wait_for='listening')
    c1 = sc.app(ns, 'client_8091', 'client', '--connect', '127.0.0.1:8091', '--after', 'wait-eof')
    sc.wait(c1, 10)
    sc.wait(s1, 5)
    s3 = sc.app(ns, 'server_late', 'server', '--listen', '127.0.0.1:8093', '--after', 'send-after-peer-close', '--delay', '0.3', wait_for='listening')
    c3 = sc.app(ns, 'client_8093', 'client', '--connect', '127.0.0.1:8093', '--after', 'close-early')
    sc.wait(c3, 10)
    sc.wait(s3, 10)
    sc.stop_capture()
    sc.notes.append('Port 8091: the server reads the request, sets SO_LINGER {1, 0} and closes: it sends RST from ESTABLISHED; the client\'s recv() gets ECONNRESET.')
    sc.notes.append('Port 8093: the client closes right after its request (FIN); 0.3 s later the server writes more data: the client\'s kernel (socket closed) answers with RST; the server\'s next write fails (EPIPE or ECONNRESET).')
    for name in ('client_8091', 'server_late'):
        for l in log_lines(sc, name):
            if 'error' in l:
                sc.notes.append(f'app log ({name}): ' + l)


def port_reuse(sc):
    ns = sc.netns('lo')
    sc.capture(ns, 'lo', 'tcp port 8094')
    srv = sc.app(ns, 'server', 'server', '--listen', '127.0.0.1:8094', '--accept', '2', '--after', 'close-first', '--delay', '0.2', wait_for='listening')
    c = sc.app(ns, 'client', 'client', '--connect', '127.0.0.1:8094', '--bind', '127.0.0.1:45000', '--count', '2', '--pause', '0.5', '--after', 'wait-eof')
    sc.wait(c, 20)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('The client binds 127.0.0.1:45000 (SO_REUSEADDR) twice in a row. The server closes first each time, so the TIME-WAIT is on the server; the second SYN reuses the 4-tuple while the server\'s socket is in TIME-WAIT (Linux accepts it: the new SYN\'s timestamp is newer).')
    for l in log_lines(sc, 'client'):
        if 'connect' in l:
            sc.notes.append('app log: ' + l)


def spurious(sc):
    a, b, ia, ib = sc.relay(20, 6)
    sc.capture(b, 'tunB', 'tcp')
    srv = sc.app(b, 'server', 'server', '--listen', f'{ib}:8080', '--after', 'hold', wait_for='listening')
    c = sc.app(a, 'client', 'messages', '--connect', f'{ib}:8080', '--sizes', '200,200,200,200,200,200', '--pause', '0.5')
    sc.sleep(0.9, 'two messages go through normally')
    sc.drop('b2a', 'pureack')
    sc.sleep(1.5, 'the relay drops the receiver\'s pure ACKs toward the sender')
    sc.drop('b2a', '')
    sc.wait(c, 20)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('Captured on the RECEIVER side (tunB). For 1.5 s the relay drops the receiver\'s pure ACKs: the data had arrived, but the sender, seeing no ACK, retransmits it on its timer. The receiver sees data it has already acknowledged: spurious retransmissions (answered with D-SACK duplicate ACKs).')


def mid_stream(sc):
    ns = sc.netns('lo')
    srv = sc.app(ns, 'server', 'server', '--listen', '127.0.0.1:8095', '--after', 'hold', wait_for='listening')
    c = sc.app(ns, 'client', 'messages', '--connect', '127.0.0.1:8095', '--sizes', ','.join(['50'] * 12), '--pause', '0.25')
    sc.sleep(1.2, 'the connection is open and talking before the capture starts')
    sc.capture(ns, 'lo', 'tcp port 8095')
    sc.wait(c, 20)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('The capture starts about 1.2 s after the connection opened: no handshake in it. The client (an ephemeral port) sends 50-byte messages every 250 ms, then shuts down; the server reads to EOF and closes.')


def capture_gap(sc):
    ns = sc.netns('lo')
    # IPv4 total length of the 777-byte segment: 20 (IP) + 32 (TCP with timestamps) + 777 = 829.
    sc.capture(ns, 'lo', 'tcp port 8096 and not ip[2:2] == 829')
    srv = sc.app(ns, 'server', 'server', '--listen', '127.0.0.1:8096', '--after', 'hold', wait_for='listening')
    c = sc.app(ns, 'client', 'messages', '--connect', '127.0.0.1:8096', '--sizes', '100,100,777,100,100', '--pause', '0.05')
    sc.wait(c, 20)
    sc.wait(srv, 10)
    sc.stop_capture()
    sc.notes.append('The capture filter leaves out the packet whose IP length is 829 - the 777-byte data segment - as a capture that drops packets would: the next data segment starts after a gap ("previous segment not captured") and the server\'s ACK covers bytes the capture never showed ("ACKed unseen segment").')


SCENARIOS = {
    'simultaneous': ('simultaneous open and simultaneous close', simultaneous),
    'syn_backoff': ('SYN retransmissions: answered after 3 drops, then unanswered until connect() gives up', syn_backoff),
    'synack': ('SYN-ACK retransmissions seen from the server', synack),
    'keepalive': ('TCP keep-alive probes, answered, then unanswered until the connection is dropped', keepalive),
    'zero_window': ('zero window, persist-timer probes and the window update', zero_window),
    'delayed_ack': ('Nagle + delayed ACK: each request written in two pieces stalls ~40 ms', delayed_ack),
    'resets': ('resets: SO_LINGER 0 abort, and data sent to a closed socket', resets),
    'port_reuse': ('port reuse: the same client port twice, the server in TIME-WAIT', port_reuse),
    'spurious': ('spurious retransmissions: ACKs lost, data not', spurious),
    'mid_stream': ('a capture started in the middle of a connection', mid_stream),
    'capture_gap': ('a capture that misses one segment: previous segment not captured, ACKed unseen segment', capture_gap),
}


def main():
    if os.geteuid() != 0:
        sys.exit('record.py needs root (network namespaces, tcpdump)')
    names = sys.argv[1:] or list(SCENARIOS)
    for name in names:
        title, fn = SCENARIOS[name]
        sc = Scenario(name, title, title[0].upper() + title[1:] + '.')
        print(f'== {name}: {title}', flush=True)
        try:
            if os.path.isdir(sc.dir):
                for f in os.listdir(sc.dir):
                    os.remove(os.path.join(sc.dir, f))
            os.makedirs(sc.dir, exist_ok=True)
            fn(sc)
        finally:
            sc.close()
        sc.write_readme()
        print(f'   -> {os.path.relpath(sc.dir, ROOT)}', flush=True)


if __name__ == '__main__':
    main()
