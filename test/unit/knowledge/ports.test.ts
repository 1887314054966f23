import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  describePort,
  EPHEMERAL_RANGES,
  ephemeralRangesOf,
  portByName,
  portClass,
  portInfo,
  PORTS,
} from '../../../src/core/knowledge/ports';
import { readFixture } from '../support';

test('well-known ports and the names tools print for them', () => {
  const cases: [number, string | undefined, string][] = [
    [22, 'ssh', 'SSH'],
    [25, 'smtp', 'SMTP'],
    [53, 'domain', 'DNS'],
    [80, 'http', 'HTTP'],
    [443, 'https', 'HTTPS'],
    [3306, 'mysql', 'MySQL'],
    [5432, 'postgresql', 'PostgreSQL'],
    [6379, 'redis', 'Redis'],
    [8080, 'http-alt', 'HTTP (alternate)'],
    [9200, undefined, 'Elasticsearch'],
    [27017, undefined, 'MongoDB'],
    [11211, undefined, 'memcached'],
    [2181, undefined, 'ZooKeeper'],
    [9092, undefined, 'Kafka'],
    [5672, 'amqp', 'AMQP'],
  ];
  for (const [port, name, service] of cases) {
    const p = portInfo(port);
    assert.ok(p, String(port));
    assert.equal(p.names[0], name, String(port));
    assert.equal(p.service, service);
    if (name) assert.equal(portByName(name)?.port, port);
  }
  assert.equal(portByName('www')?.port, 80);
  assert.equal(portByName('wap-wsp')?.port, 9200); // IANA's name for 9200, printed by tools that use the registry
  assert.equal(portByName('HTTPS')?.port, 443);
  assert.equal(new Set(PORTS.map((p) => p.port)).size, PORTS.length);
});

test('ephemeral ranges: Linux 32768-60999, IANA and Windows 49152-65535', () => {
  const r = (s: string) => EPHEMERAL_RANGES.find((x) => x.system === s)!;
  assert.deepEqual([r('linux').first, r('linux').last], [32768, 60999]);
  assert.deepEqual([r('iana').first, r('iana').last], [49152, 65535]);
  assert.deepEqual([r('windows').first, r('windows').last], [49152, 65535]);
  assert.deepEqual(ephemeralRangesOf(46548).map((x) => x.system), ['linux']);
  assert.deepEqual(ephemeralRangesOf(50000).map((x) => x.system), ['linux', 'iana', 'windows', 'bsd']);
  assert.deepEqual(ephemeralRangesOf(62000).map((x) => x.system), ['iana', 'windows', 'bsd']);
  assert.deepEqual(ephemeralRangesOf(8080), []);
  assert.equal(portClass(22), 'well-known');
  assert.equal(portClass(8080), 'registered');
  assert.equal(portClass(49152), 'dynamic');
  assert.equal(portClass(70000), 'invalid');
});

test('describePort: known service, printed name, client port', () => {
  assert.match(describePort(22, 'en')!, /^\*\*22\*\* SSH: Secure shell/);
  assert.match(describePort('ssh', 'en')!, /`ssh` is the name the tool printed for port 22/);
  assert.match(describePort('9200', 'en')!, /print it as `wap-wsp`/);
  assert.match(describePort(46548, 'en')!, /ephemeral range of Linux 32768–60999, so it is most likely a port the kernel picked/);
  assert.match(describePort(46548, 'zh-cn')!, /很可能是内核为客户端连接自动分配的本地端口/);
  assert.match(describePort(7, 'en')!, /well-known ports/);
  assert.equal(describePort('no-such-service', 'en'), undefined);
  assert.equal(describePort(99999, 'en'), undefined);
});

test('names resolved by real netstat and ss runs are understood', () => {
  const expected: Record<string, number> = { ssh: 22, https: 443, smtp: 25, domain: 53 };
  const seen = new Set<string>();
  for (const file of ['jc_centos-7.7_netstat.out', 'jc_ubuntu-18.04_netstat-l.out', 'jc_ubuntu-18.04_ss-sudo-a.out']) {
    for (const line of readFixture('knowledge', file).split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[0] !== 'tcp' && f[0] !== 'tcp6') continue;
      const cols = file.includes('ss-') ? [f[4], f[5]] : [f[3], f[4]];
      for (const addr of cols) {
        const port = addr!.slice(addr!.lastIndexOf(':') + 1);
        if (/^\d+$/.test(port) || port === '*') continue;
        seen.add(port);
        assert.equal(portByName(port)?.port, expected[port], `${file}: ${port}`);
      }
    }
  }
  assert.deepEqual([...seen].sort(), ['domain', 'https', 'ssh']);
});
