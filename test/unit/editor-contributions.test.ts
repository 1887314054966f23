// The static parts of the editor surfaces: TextMate grammars (scopes on real output, linear patterns), the manifest's
// settings and their translations, the runtime string bundle, and the suggested-change snippets of real findings.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyse } from '../../src/core/analyse';
import { DEFAULT_SOCKET_THRESHOLDS } from '../../src/core/analysis/sockets';
import { fixSnippet, socketOptionMentions, sysctlMentions } from '../../src/core/render/fixSnippet';
import { readFixture, repoRoot } from './support';

interface Pattern {
  readonly match: string;
  readonly name?: string;
  readonly captures?: Record<string, { readonly name: string }>;
}
interface Grammar {
  readonly scopeName: string;
  readonly patterns: readonly Pattern[];
}

function grammar(name: string): Grammar {
  return JSON.parse(readFileSync(path.join(repoRoot, 'syntaxes', `${name}.tmLanguage.json`), 'utf8')) as Grammar;
}

interface Scoped {
  readonly text: string;
  readonly scope: string;
}

/**
 * TextMate's rule for a flat list of `match` patterns: from the current position, the pattern whose match starts
 * first wins (the earlier pattern on a tie); its name and capture names give scopes; scanning resumes after it.
 * (Our grammars use only `match` patterns, so this is the whole algorithm they need.)
 */
function tokenize(g: Grammar, line: string): Scoped[] {
  const regexes = g.patterns.map((p) => new RegExp(p.match, 'dg'));
  const out: Scoped[] = [];
  let pos = 0;
  while (pos <= line.length) {
    let best: { m: RegExpExecArray; p: Pattern } | undefined;
    regexes.forEach((re, i) => {
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && (!best || m.index < best.m.index)) best = { m, p: g.patterns[i]! };
    });
    if (!best) break;
    const { m, p } = best;
    if (p.name) out.push({ text: m[0], scope: p.name });
    for (const [group, cap] of Object.entries(p.captures ?? {})) {
      const span = m.indices?.[Number(group)];
      if (span) out.push({ text: line.slice(span[0], span[1]), scope: cap.name });
    }
    pos = m.index + Math.max(1, m[0].length);
  }
  return out;
}

function scopeOf(g: Grammar, line: string, text: string, occurrence = 0): string | undefined {
  return tokenize(g, line).filter((t) => t.text === text)[occurrence]?.scope;
}

function lineWith(text: string, needle: string): string {
  const line = text.split('\n').find((l) => l.includes(needle));
  assert.ok(line, `no line with ${needle}`);
  return line;
}

test('tcpdump grammar: timestamps, addresses, ports, flag sets, seq/ack/win, options, length on a real capture', () => {
  const g = grammar('tcpdump');
  assert.equal(g.scopeName, 'source.tcpdump');
  const capture = readFixture('packets', '05_half_close', 'tcpdump_nn.txt');
  const syn = lineWith(capture, 'Flags [S],');
  const time = syn.split(' ')[0]!;
  assert.equal(scopeOf(g, syn, time), 'comment.timestamp.tcpdump');
  assert.equal(scopeOf(g, syn, 'IP'), 'storage.type.protocol.tcpdump');
  assert.equal(scopeOf(g, syn, '127.0.0.1'), 'variable.other.address.ipv4.tcpdump');
  assert.equal(scopeOf(g, syn, '>'), 'keyword.operator.direction.tcpdump');
  assert.equal(scopeOf(g, syn, '[S]'), 'constant.language.flags.syn.tcpdump');
  const seq = /seq (\d+)/.exec(syn)![1]!;
  assert.equal(scopeOf(g, syn, seq), 'constant.numeric.seq.tcpdump');
  assert.equal(scopeOf(g, syn, 'mss'), 'entity.other.attribute-name.option.tcpdump');
  assert.equal(scopeOf(g, syn, 'sackOK'), 'entity.other.attribute-name.option.tcpdump');
  assert.equal(scopeOf(g, syn, 'TS val'), 'entity.other.attribute-name.option.tcpdump');
  assert.equal(scopeOf(g, syn, 'wscale'), 'entity.other.attribute-name.option.tcpdump');
  assert.equal(scopeOf(g, syn, 'nop'), 'entity.other.attribute-name.option.tcpdump');
  assert.equal(scopeOf(g, syn, 'length'), 'keyword.other.field.length.tcpdump');
  const synAck = lineWith(capture, 'Flags [S.],');
  assert.equal(scopeOf(g, synAck, '[S.]'), 'constant.language.flags.syn.tcpdump');
  const ack = /ack (\d+)/.exec(synAck)![1]!;
  assert.equal(scopeOf(g, synAck, ack), 'constant.numeric.ack.tcpdump');
  const win = /win (\d+)/.exec(synAck)![1]!;
  assert.equal(scopeOf(g, synAck, win), 'constant.numeric.win.tcpdump');
  const fin = lineWith(capture, 'Flags [F.]');
  assert.equal(scopeOf(g, fin, '[F.]'), 'constant.language.flags.fin.tcpdump');
  const push = lineWith(capture, 'Flags [P.]');
  assert.equal(scopeOf(g, push, '[P.]'), 'constant.language.flags.tcpdump');
  // The port after the address (tcpdump joins them with a dot).
  const port = /127\.0\.0\.1\.(\d+) >/.exec(syn)![1]!;
  assert.equal(scopeOf(g, syn, port), 'constant.numeric.port.tcpdump');

  const refused = readFixture('packets', '03_connection_refused', 'tcpdump_nn.txt');
  assert.equal(scopeOf(g, lineWith(refused, 'Flags [R.]'), '[R.]'), 'constant.language.flags.reset.tcpdump');
  const v6 = lineWith(readFixture('packets', '13_ipv6_loopback', 'v6_loopback', 'tcpdump_nn.txt'), 'IP6');
  assert.equal(scopeOf(g, v6, '::1'), 'variable.other.address.ipv6.tcpdump');
});

test('netstat grammar: header, proto, states (settled vs moving), addresses, ports, PID/program', () => {
  const g = grammar('netstat');
  const natp = readFixture('sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'netstat_-natp.txt');
  assert.equal(scopeOf(g, lineWith(natp, 'Active Internet'), lineWith(natp, 'Active Internet')), 'markup.heading.netstat');
  const listen = lineWith(natp, 'LISTEN');
  assert.equal(scopeOf(g, listen, 'LISTEN'), 'constant.language.state.listen.netstat');
  assert.equal(scopeOf(g, listen, 'tcp'), 'storage.type.proto.netstat');
  const fin = lineWith(natp, 'FIN_WAIT2');
  assert.equal(scopeOf(g, fin, 'FIN_WAIT2'), 'keyword.control.state.fin-wait-2.netstat');
  assert.equal(scopeOf(g, fin, '127.0.0.1'), 'variable.other.address.ipv4.netstat');
  const closeWait = lineWith(natp, 'CLOSE_WAIT');
  assert.equal(scopeOf(g, closeWait, 'CLOSE_WAIT'), 'keyword.control.state.close-wait.netstat');
  const program = closeWait.trim().split(' ').filter((w) => w.includes('/'))[0];
  assert.ok(program, 'the -p column names the owner');
  const [pid, name] = program.split('/');
  assert.equal(scopeOf(g, closeWait, pid!), 'constant.numeric.pid.netstat');
  assert.equal(scopeOf(g, closeWait, name!), 'entity.name.function.program.netstat');
  const tw = lineWith(readFixture('sockets', '07_many_time_wait', 'snap_1_after_300_connections', 'netstat_-ant.txt'), 'TIME_WAIT');
  assert.equal(scopeOf(g, tw, 'TIME_WAIT'), 'keyword.control.state.time-wait.netstat');
  const windows = readFixture('sockets', 'public', 'windows_zh-CN', 'shadowsocksr-csharp_issue6_netstat_-ano_close_wait_excerpt.txt');
  assert.equal(scopeOf(g, lineWith(windows, 'CLOSE_WAIT'), 'CLOSE_WAIT'), 'keyword.control.state.close-wait.netstat');
  assert.equal(scopeOf(g, lineWith(windows, 'TCP'), 'TCP'), 'storage.type.proto.netstat');
});

test('ss grammar: header, states, endpoints, users:(...), timers, -i fields', () => {
  const g = grammar('ss');
  const tanoie = readFixture('sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'ss_-tanoie.txt');
  const header = lineWith(tanoie, 'Recv-Q');
  assert.equal(scopeOf(g, header, header), 'markup.heading.ss');
  const transfer = readFixture('sockets', '10_packet_loss', 'loss_10pct_2MB', 'snap_1_receiver_during_transfer', 'ss_-tanoie.txt');
  const estab = lineWith(transfer, 'ESTAB');
  assert.equal(scopeOf(g, estab, 'ESTAB'), 'constant.language.state.established.ss');
  assert.equal(scopeOf(g, lineWith(tanoie, 'LISTEN'), 'LISTEN'), 'constant.language.state.listen.ss');
  assert.equal(scopeOf(g, lineWith(tanoie, 'FIN-WAIT-2'), 'FIN-WAIT-2'), 'keyword.control.state.fin-wait-2.ss');
  assert.equal(scopeOf(g, lineWith(tanoie, 'CLOSE-WAIT'), 'CLOSE-WAIT'), 'keyword.control.state.close-wait.ss');
  assert.equal(scopeOf(g, estab, '10.200.11.2'), 'variable.other.address.ipv4.ss');
  assert.equal(scopeOf(g, estab, '8080'), 'constant.numeric.port.ss');
  assert.equal(scopeOf(g, estab, '56152'), 'constant.numeric.port.ss');
  const info = tanoie.split('\n').find((l) => l.includes('rtt:'));
  assert.ok(info, 'the -i line');
  assert.equal(scopeOf(g, info, 'rtt'), 'entity.other.attribute-name.field.ss');
  assert.equal(scopeOf(g, info, 'cwnd'), 'entity.other.attribute-name.field.ss');
  const tanp = readFixture('sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'ss_-tanp.txt');
  const users = lineWith(tanp, 'users:');
  assert.equal(scopeOf(g, users, 'users'), 'keyword.other.users.ss');
  const proc = /"([^"]+)"/.exec(users)![1]!;
  assert.equal(scopeOf(g, users, proc), 'string.quoted.double.process.ss');
  assert.equal(scopeOf(g, users, 'pid'), 'entity.other.attribute-name.ss');
  const timer = tanoie.split('\n').find((l) => l.includes('timer:('));
  if (timer) assert.equal(scopeOf(g, timer, 'timer'), 'keyword.other.timer.ss');
});

test('every grammar pattern is linear (recheck) and every scope starts with a standard theme root', async () => {
  const recheck = (await import('recheck')) as unknown as { checkSync(source: string, flags: string): { status: string } };
  const roots = ['comment', 'constant', 'entity', 'keyword', 'markup', 'storage', 'string', 'support', 'variable'];
  for (const name of ['netstat', 'ss', 'tcpdump']) {
    for (const p of grammar(name).patterns) {
      assert.equal(recheck.checkSync(p.match, '').status, 'safe', `${name}: ${p.match}`);
      const scopes = [p.name, ...Object.values(p.captures ?? {}).map((c) => c.name)].filter((s): s is string => !!s);
      for (const s of scopes) assert.ok(roots.includes(s.split('.')[0]!) && s.endsWith(`.${name}`), `${name}: scope ${s}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Manifest, settings, translations

interface Manifest {
  contributes: {
    configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string; enumDescriptions?: string[] }> };
    commands: { command: string; title: string; category?: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    languages: { id: string }[];
  };
  activationEvents: string[];
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

test('threshold settings default to the core defaults, and every setting has a description in both languages', () => {
  const props = manifest.contributes.configuration.properties;
  for (const [key, value] of Object.entries(DEFAULT_SOCKET_THRESHOLDS)) {
    assert.equal(props[`tcpLens.thresholds.${key}`]?.default, value, key);
  }
  const en = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const zh = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  const keys = [...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  assert.ok(keys.length > 30);
  for (const k of keys) {
    assert.ok(en[k], `package.nls.json lacks ${k}`);
    assert.ok(zh[k], `package.nls.zh-cn.json lacks ${k}`);
  }
  for (const [key, p] of Object.entries(props)) assert.ok(p.markdownDescription?.startsWith('%'), `${key} has no translated description`);
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'TCP Lens', c.command);
});

test('each language mode has its grammar, and activation never uses "*"', () => {
  const ids = manifest.contributes.languages.map((l) => l.id).sort();
  assert.deepEqual(ids, ['netstat', 'ss', 'tcpdump']);
  for (const id of ids) {
    const g = manifest.contributes.grammars.find((x) => x.language === id);
    assert.ok(g, id);
    assert.equal(g.scopeName, `source.${id}`);
    assert.equal(grammar(id).scopeName, g.scopeName);
  }
  assert.ok(!manifest.activationEvents.includes('*'));
  assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
});

test('every runtime string of the extension has a Chinese translation in l10n/bundle.l10n.zh-cn.json', () => {
  const bundle = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const dir = path.join(repoRoot, 'src', 'extension');
  const used = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const src = readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1]!.replace(/\\'/g, "'"));
  }
  assert.ok(used.size > 20, `found ${used.size} strings`);
  const missing = [...used].filter((s) => !bundle[s]);
  assert.deepEqual(missing, []);
  for (const s of used) {
    // Placeholders survive translation.
    for (const ph of s.match(/\{\d\}/g) ?? []) assert.ok(bundle[s]!.includes(ph), `${s}: ${ph} missing in "${bundle[s]}"`);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Suggested-change snippets

test('the time-wait pile-up of a real ss snapshot gives a sysctl.conf snippet with the values the fix names', () => {
  const model = analyse(readFixture('sockets', '07_many_time_wait', 'snap_1_after_300_connections', 'ss_-tanp.txt'));
  const finding = model.findings.find((f) => f.code === 'time-wait-pileup');
  assert.ok(finding);
  const en = fixSnippet(finding, 'en');
  assert.ok(en);
  assert.equal(en.what, 'net.ipv4.tcp_tw_reuse=1');
  const lines = en.text.split('\n');
  assert.ok(lines.includes('net.ipv4.tcp_tw_reuse = 1'), en.text);
  assert.ok(lines.includes('net.ipv4.tcp_timestamps = 1'), en.text);
  // A key the fix names without a value is listed commented out with its default, never set.
  assert.ok(lines.some((l) => l.startsWith('# net.ipv4.ip_local_port_range = 32768 60999')), en.text);
  assert.match(lines[0]!, /^# TCP Lens: .*time-wait-pileup.*line 2\)/);
  const zh = fixSnippet(finding, 'zh-cn');
  assert.ok(zh);
  assert.match(zh.text, /从不修改系统文件/);
  assert.ok(zh.text.split('\n').includes('net.ipv4.tcp_tw_reuse = 1'));
});

test('snippet extraction: known keys only, values only where assigned, socket options by name', () => {
  assert.deepEqual(sysctlMentions('raise net.core.somaxconn and set net.ipv4.tcp_syncookies=1; net.ipv4.not_a_key=3.'), [
    { key: 'net.core.somaxconn' },
    { key: 'net.ipv4.tcp_syncookies', value: '1' },
  ]);
  assert.deepEqual(sysctlMentions('widen it: net.ipv4.ip_local_port_range = 1024 65535 then'), [{ key: 'net.ipv4.ip_local_port_range', value: '1024 65535' }]);
  assert.deepEqual(socketOptionMentions('Use SO_LINGER with 0 only to abort; TCP_NODELAY turns Nagle off; SO_NOTREAL is ignored.'), ['SO_LINGER', 'TCP_NODELAY']);
  const none = { code: 'x', severity: 'info' as const, lines: [0], message: { en: 'm', 'zh-cn': 'm' }, fix: { en: 'Restart the application.', 'zh-cn': '重启' } };
  assert.equal(fixSnippet(none, 'en'), undefined);
});
