import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  describeSysctl,
  explainSysctlValue,
  lookupSysctl,
  retriesSeconds,
  synackGiveUpSeconds,
  synGiveUpSeconds,
  sysctlInfo,
  SYSCTLS,
} from '../../../src/core/knowledge/sysctl';
import { readFixture } from '../support';

// The keys the brief asks for, written out here independently of the module.
const REQUIRED = [
  'net.ipv4.tcp_syn_retries',
  'net.ipv4.tcp_synack_retries',
  'net.ipv4.tcp_syn_linear_timeouts',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_tw_reuse',
  'net.ipv4.tcp_max_tw_buckets',
  'net.ipv4.tcp_max_syn_backlog',
  'net.core.somaxconn',
  'net.ipv4.tcp_abort_on_overflow',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_timestamps',
  'net.ipv4.tcp_sack',
  'net.ipv4.tcp_window_scaling',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.core.rmem_max',
  'net.core.wmem_max',
  'net.ipv4.tcp_congestion_control',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_retries1',
  'net.ipv4.tcp_retries2',
  'net.ipv4.tcp_orphan_retries',
  'net.ipv4.tcp_max_orphans',
  'net.ipv4.tcp_mtu_probing',
  'net.ipv4.tcp_ecn',
  'net.ipv4.tcp_no_metrics_save',
  'net.ipv4.tcp_tw_recycle',
];

test('every key the knowledge base promises is there, with every text in both languages', () => {
  for (const k of REQUIRED) assert.ok(sysctlInfo(k), k);
  assert.equal(new Set(SYSCTLS.map((s) => s.key)).size, SYSCTLS.length);
  for (const s of SYSCTLS) {
    for (const f of ['what', 'whenToChange', 'tradeOff'] as const) {
      assert.ok(s[f].en.length > 5 && s[f]['zh-cn'].length > 1, `${s.key}.${f}`);
    }
    if (s.values) {
      for (const v of s.values) assert.ok(v.meaning.en && v.meaning['zh-cn'], `${s.key}=${v.value}`);
      if (s.kind === 'enum' && s.default) assert.ok(s.values.some((v) => v.value === s.default), `${s.key} default not listed`);
    }
  }
});

test('defaults match the kernel defaults listed in samples/README_COMMON.txt', () => {
  const readme = readFixture('knowledge', 'samples_README_COMMON.txt');
  const listed: [string, string][] = [];
  for (const m of readme.matchAll(/\b(tcp_[a-z_]+|somaxconn)=(\d+)/g)) listed.push([m[1]!, m[2]!]);
  assert.deepEqual(
    listed.map(([k]) => k),
    ['tcp_syn_retries', 'tcp_syn_linear_timeouts', 'tcp_fin_timeout', 'tcp_syncookies', 'tcp_timestamps', 'tcp_sack', 'somaxconn'],
  );
  for (const [key, value] of listed) {
    const m = lookupSysctl(key);
    assert.ok(m, key);
    assert.equal(m.info.default, value, key);
  }
  // "congestion control bbr": this kernel's build default; mainline's is cubic, and the entry says so.
  const cc = /congestion control (\w+)/.exec(readme)![1]!;
  assert.equal(cc, 'bbr');
  const info = sysctlInfo('net.ipv4.tcp_congestion_control')!;
  assert.equal(info.variesBy, 'build');
  assert.ok(info.defaultNote!.en.includes(`\`${cc}\``));
  assert.ok(info.values!.some((v) => v.value === cc));
});

test('well-known Linux defaults', () => {
  const d = (k: string) => sysctlInfo(k)!.default;
  assert.equal(d('net.ipv4.tcp_keepalive_time'), '7200');
  assert.equal(d('net.ipv4.tcp_keepalive_intvl'), '75');
  assert.equal(d('net.ipv4.tcp_keepalive_probes'), '9');
  assert.equal(d('net.ipv4.ip_local_port_range'), '32768 60999');
  assert.equal(d('net.ipv4.tcp_synack_retries'), '5');
  assert.equal(d('net.ipv4.tcp_tw_reuse'), '2');
  assert.equal(d('net.ipv4.tcp_retries2'), '15');
  assert.equal(d('net.ipv4.tcp_abort_on_overflow'), '0');
  assert.equal(sysctlInfo('net.ipv4.tcp_tw_recycle')!.removedIn, 'Linux 4.12');
});

test('lookup accepts the full key, the short key and the /proc/sys path', () => {
  for (const input of ['net.ipv4.tcp_fin_timeout', 'tcp_fin_timeout', '/proc/sys/net/ipv4/tcp_fin_timeout', 'net/ipv4/tcp_fin_timeout']) {
    const m = lookupSysctl(input);
    assert.ok(m, input);
    assert.equal(m.info.key, 'net.ipv4.tcp_fin_timeout');
    assert.equal(m.keyStart, 0);
    assert.equal(m.keyEnd, input.length);
    assert.equal(m.value, undefined);
    assert.equal(m.valueExplanation, undefined);
  }
  assert.equal(lookupSysctl('somaxconn')!.info.key, 'net.core.somaxconn');
  assert.equal(lookupSysctl('net.ipv4.not_a_key'), undefined);
  assert.equal(lookupSysctl('fin_timeout'), undefined);
  assert.equal(lookupSysctl('# net.ipv4.tcp_tw_reuse = 1'), undefined);
  assert.equal(lookupSysctl(''), undefined);
});

test('a sysctl.conf line gives the key span and what the value does', () => {
  const line = 'net.ipv4.tcp_tw_reuse = 1';
  const m = lookupSysctl(line)!;
  assert.equal(m.info.key, 'net.ipv4.tcp_tw_reuse');
  assert.deepEqual([m.keyStart, m.keyEnd, m.keyText], [0, 21, 'net.ipv4.tcp_tw_reuse']);
  assert.deepEqual([m.value, m.valueStart, m.valueEnd], ['1', 24, 25]);
  assert.match(m.valueExplanation!.en, /^`1` = on: a new outgoing connection/);
  assert.match(m.valueExplanation!.en, /The default is `2`\.$/);
  assert.match(m.valueExplanation!['zh-cn'], /^`1` 表示开启/);

  const indented = lookupSysctl('   -net.ipv4.tcp_fin_timeout=30   # shorter FIN-WAIT-2')!;
  assert.equal(indented.info.key, 'net.ipv4.tcp_fin_timeout');
  assert.deepEqual([indented.keyStart, indented.keyEnd], [4, 28]);
  assert.equal(indented.value, '30');
  assert.equal(indented.valueExplanation!.en, '30 s. The default is `60`.');

  const range = lookupSysctl('net.ipv4.ip_local_port_range = 10000\t65000')!;
  assert.equal(range.value, '10000 65000');
  assert.match(range.valueExplanation!.en, /^Ports 10000–65000: 55001 ports\. .* about 916 new connections per second/);

  const w = lookupSysctl('sysctl -w net.ipv4.tcp_syn_retries=2')!;
  assert.equal(w.info.key, 'net.ipv4.tcp_syn_retries');
  assert.deepEqual([w.keyStart, w.value], [10, '2']);
  assert.match(w.valueExplanation!.en, /gives up after about 11 s/);

  const echo = lookupSysctl('echo 0 > /proc/sys/net/ipv4/tcp_slow_start_after_idle')!;
  assert.equal(echo.info.key, 'net.ipv4.tcp_slow_start_after_idle');
  assert.deepEqual([echo.value, echo.valueStart, echo.valueEnd, echo.keyStart], ['0', 5, 6, 9]);
  assert.match(echo.valueExplanation!.en, /keep the congestion window/);

  const recycle = lookupSysctl('net.ipv4.tcp_tw_recycle = 1')!;
  assert.match(recycle.valueExplanation!.en, /no longer exists \(removed in Linux 4\.12\)/);
  assert.match(describeSysctl(recycle.info, 'en', '1'), /Behind a NAT many clients share one address/);
});

test('retry counts turn into the times Linux really waits', () => {
  assert.equal(synGiveUpSeconds(6, 4), 131); // Linux 6.5+ defaults
  assert.equal(synGiveUpSeconds(6, 0), 127); // older kernels: 1+2+4+8+16+32+64
  assert.equal(synGiveUpSeconds(2, 4), 11);
  assert.equal(synackGiveUpSeconds(5), 63);
  assert.equal(synackGiveUpSeconds(2), 7);
  assert.equal(retriesSeconds(15), 924.6); // ip-sysctl: "a hypothetical timeout of 924.6 seconds"
  assert.equal(retriesSeconds(8), 102.2);
  const syn = sysctlInfo('net.ipv4.tcp_syn_retries')!;
  assert.equal(explainSysctlValue(syn, '6').en, 
    '6 SYN retransmissions (plus the 4 linear ones of Linux 6.5+): `connect()` gives up after about 2 min 11 s. This is the default.');
  assert.equal(explainSysctlValue(sysctlInfo('net.ipv4.tcp_orphan_retries')!, '0').en,
    '0: the built-in value, 8 retransmissions for orphaned connections. This is the default.');
  assert.equal(explainSysctlValue(sysctlInfo('net.ipv4.tcp_keepalive_time')!, '600')['zh-cn'], '10 分。默认值是 `7200`。');
  assert.match(explainSysctlValue(sysctlInfo('net.ipv4.tcp_rmem')!, '4096 131072 33554432').en,
    /^Minimum 4 KiB \(4096\), initial 128 KiB \(131072\), maximum 32 MiB \(33554432\) per socket\. This is the default\.$/);
  assert.match(explainSysctlValue(sysctlInfo('net.ipv4.tcp_ecn')!, '7').en, /not one of the documented values/);
});

test('describeSysctl shows default, when to change it and the trade-off', () => {
  const en = describeSysctl(sysctlInfo('net.core.somaxconn')!, 'en');
  assert.ok(en.startsWith('`net.core.somaxconn`'));
  assert.ok(en.includes('**Default:** `4096` 4096 since Linux 5.4; 128 before.'));
  assert.ok(en.includes('**When to change it:**'));
  assert.ok(en.includes('**Trade-off:**'));
  const zh = describeSysctl(sysctlInfo('net.ipv4.tcp_syn_linear_timeouts')!, 'zh-cn');
  assert.ok(zh.includes('**默认值：** `4`（Linux 6.5 起）'));
  const list = describeSysctl(sysctlInfo('net.ipv4.tcp_syncookies')!, 'en');
  assert.ok(list.includes('- `2`: always send syncookies'));
});
