// A second opinion: jc (kellyjonbrazil/jc, MIT) parsed the same netstat/ss outputs; its JSON sits beside each .out.
// Every field both parsers report is compared row by row. Where the two differ, the difference is one of the classes
// below, each counted exactly and explained; anything else fails the test.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseText } from '../../../src/core/formats/detect';
import type { SocketRow } from '../../../src/core/model';
import { fixturePath } from '../support';
import { walk } from './socketTestSupport';

type Jc = Record<string, unknown>;

/**
 * Disagreement classes and why TCP Lens reads it the way it does.
 * - ipv6-brackets: jc keeps `[::]`, `[::1]`, `[fe80::...]` brackets in the address; our Endpoint.address is the bare
 *   address (brackets are URL-style quoting so that the port's colon can be told apart, not part of the address).
 * - zone-in-brackets: Windows prints `[fe80::1%9]:1900`; jc keeps `%9` inside the address, we put it in `zone` as
 *   ss's `127.0.0.53%lo` is (jc itself calls that one `interface`), so an address compares equal across tools.
 * - proto-case: Windows prints TCP/UDP; the model's proto is lower-case so rows from every tool group together.
 * - owner-brackets: `-b` prints the executable as ` [svchost.exe]`; the brackets are decoration, the name is inside.
 * - no-owner-message: ` Can not obtain ownership information` is a message, not a program: jc stores it as the
 *   program name, we keep the PID, leave the name empty and keep the message in info.owner.
 * - users-in-opts: jc files ss -p users under opts.process_id keyed by pid (so its order is lost); we take the first
 *   user printed. Compared as: our pid is one of jc's and jc's name for that pid is ours.
 * - unix-path: for u_str/u_dgr/u_seq jc calls the path `path` and the inode `local_port`; we put them in
 *   local.address / local.port as ss prints them in the Local Address:Port column.
 * - netlink-channel: `rtnl:NetworkManager/878` is protocol:owner; jc splits it into `channel` and `pid`, we keep
 *   address `rtnl`, port `NetworkManager/878` as printed and also set process {NetworkManager, 878}.
 * - packet-link: `LLDP:ens33` is link protocol:interface; jc says link_layer + interface, we say address + zone.
 * - jc-bytes-as-state (jc wrong): in macOS -b output a UDP/ICMP row has no state, so the byte counters move left; jc
 *   takes rxbytes for the state (`state: "1325516"`). The State column is blank: stateText '' and
 *   info.rxbytes '1325516', info.txbytes '0' as the header columns line up.
 * - jc-missed-udp-under-T (jc wrong): FreeBSD -T leaves Rexmit/OOORcv/0-win blank for UDP; jc then reads no address
 *   at all. The row prints `*.syslog  *.*`.
 */
const JC_WRONG: Record<string, number> = {
  // macOS netstat-Abn.out line 140: `... icm4 8136 0 *.* *.* 1325516 0`.
  'jc-bytes-as-state': 1,
  // FreeBSD netstat-AaT.out lines 7 and 8: `... udp4 *.syslog *.*`, `... udp6 *.syslog *.*`.
  'jc-missed-udp-under-T': 2,
};

/**
 * How often each representational class must occur, counted from jc's JSON alone (a record with a bracketed
 * address, a Windows proto, a bracketed owner, ...): the comparison must have used exactly those conversions.
 */
function expectedClasses(records: readonly Jc[]): Map<string, number> {
  const c = new Map<string, number>(Object.entries(JC_WRONG));
  const hit = (k: string): void => void c.set(k, (c.get(k) ?? 0) + 1);
  for (const r of records) {
    for (const k of ['local_address', 'foreign_address', 'peer_address']) {
      const v = r[k];
      if (typeof v === 'string' && v.startsWith('[')) {
        hit('ipv6-brackets');
        if (v.includes('%')) hit('zone-in-brackets');
      }
    }
    if (r.proto === 'TCP' || r.proto === 'UDP') hit('proto-case');
    const program = str(r.program_name);
    if (program.startsWith('[')) hit('owner-brackets');
    if (program === 'Can not obtain ownership information') hit('no-owner-message');
    if ((r.opts as Jc | undefined)?.process_id) hit('users-in-opts');
    const netid = str(r.netid);
    if (netid.startsWith('u_')) hit('unix-path');
    if (netid === 'nl') hit('netlink-channel');
    if (netid === 'p_raw' || netid === 'p_dgr') hit('packet-link');
  }
  return c;
}

interface View {
  proto: string;
  local: string;
  localPort: string;
  localZone: string;
  remote: string;
  remotePort: string;
  state: string;
  recvQ: string;
  sendQ: string;
  pid: string;
  program: string;
}

function ourView(r: SocketRow): View {
  return {
    proto: r.proto,
    local: r.local.address,
    localPort: String(r.local.port),
    localZone: r.local.zone ?? '',
    remote: r.remote.address,
    remotePort: String(r.remote.port),
    state: r.stateText,
    recvQ: r.recvQ === undefined ? '' : String(r.recvQ),
    sendQ: r.sendQ === undefined ? '' : String(r.sendQ),
    pid: r.process?.pid === undefined ? '' : String(r.process.pid),
    program: r.process?.name ?? '',
  };
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** jc's record in our representation; every conversion that is more than a type change is counted by class. */
function jcView(j: Jc, ours: SocketRow, hit: (c: string) => void): View {
  let proto = str(j.proto ?? j.netid);
  if (proto === 'TCP' || proto === 'UDP') {
    proto = proto.toLowerCase();
    hit('proto-case');
  }
  const addr = (v: unknown): { address: string; zone: string } => {
    let a = str(v);
    let zone = '';
    if (a.startsWith('[') && a.endsWith(']')) {
      a = a.slice(1, -1);
      hit('ipv6-brackets');
      const pct = a.indexOf('%');
      if (pct >= 0) {
        zone = a.slice(pct + 1);
        a = a.slice(0, pct);
        hit('zone-in-brackets');
      }
    }
    return { address: a, zone };
  };
  const local = addr(j.local_address);
  const remote = addr(j.foreign_address ?? j.peer_address);
  const v: View = {
    proto,
    local: local.address,
    localPort: str(j.local_port),
    localZone: local.zone || str(j.interface),
    remote: remote.address,
    remotePort: str(j.foreign_port ?? j.peer_port),
    state: str(j.state),
    recvQ: str(j.recv_q),
    sendQ: str(j.send_q),
    pid: str(j.pid),
    program: str(j.program_name),
  };
  if (proto.startsWith('u_')) {
    v.local = str(j.path);
    hit('unix-path');
  }
  if (proto === 'nl') {
    const channel = str(j.channel);
    const colon = channel.indexOf(':');
    v.local = channel.slice(0, colon);
    v.localPort = channel.slice(colon + 1) + (j.pid === undefined ? '' : `/${str(j.pid)}`);
    v.remotePort = '';
    v.program = j.pid === undefined ? '' : channel.slice(colon + 1);
    hit('netlink-channel');
  }
  if (proto === 'p_raw' || proto === 'p_dgr') {
    v.local = str(j.link_layer);
    v.localPort = '';
    v.remotePort = '';
    hit('packet-link');
  }
  if (v.program.startsWith('[') && v.program.endsWith(']')) {
    v.program = v.program.slice(1, -1);
    hit('owner-brackets');
  } else if (v.program === 'Can not obtain ownership information') {
    v.program = '';
    hit('no-owner-message');
  }
  const users = (j.opts as Jc | undefined)?.process_id as Record<string, { user: string }> | undefined;
  if (users) {
    const mine = ours.process?.pid === undefined ? undefined : users[String(ours.process.pid)];
    if (mine) {
      v.pid = String(ours.process!.pid);
      v.program = mine.user;
      hit('users-in-opts');
    }
  }
  if (/^\d+$/.test(v.state) && j.rxbytes !== undefined && ours.info?.rxbytes === v.state) {
    v.state = '';
    hit('jc-bytes-as-state');
  }
  if (j.local_address === undefined && j.kind === 'network' && 'rexmit' in j) {
    Object.assign(v, { local: ours.local.address, localPort: String(ours.local.port), remote: ours.remote.address, remotePort: String(ours.remote.port) });
    hit('jc-missed-udp-under-T');
  }
  return v;
}

const files = walk(fixturePath('jc')).filter((f) => f.endsWith('.out'));
const classes = new Map<string, number>();
const allTheirs: Jc[] = [];

test('the jc corpus is there with its licence', () => {
  // netstat (plain, -l, -p, -aeep, -lnp, -An, -Abn, -i, -r, ...) and ss (-a, -tulpen, wide) from seven platforms.
  assert.equal(files.length, 45);
  assert.ok(readFileSync(fixturePath('jc', 'LICENSE.md'), 'utf8').startsWith('MIT License'));
  assert.ok(readFileSync(fixturePath('jc', 'SOURCE.txt'), 'utf8').includes('kellyjonbrazil/jc'));
});

for (const file of files) {
  test(`jc ${file}`, () => {
    const doc = parseText(readFileSync(fixturePath('jc', file), 'utf8'));
    assert.deepEqual(doc.unparsed, []);
    const json = JSON.parse(readFileSync(fixturePath('jc', file.replace(/\.out$/, '.json')), 'utf8')) as Jc[];
    // jc also lists UNIX domain sockets, routes and interfaces of netstat (kind != network); they are not in our
    // socket tables (the UNIX section ends a netstat block; -r/-i tables are not socket tables).
    const theirs = json.filter((j) => j.kind === undefined || j.kind === 'network');
    allTheirs.push(...theirs);
    assert.equal(doc.sockets.length, theirs.length);
    theirs.forEach((j, i) => {
      const ours = doc.sockets[i]!;
      assert.deepEqual(ourView(ours), jcView(j, ours, (c) => classes.set(c, (classes.get(c) ?? 0) + 1)), `${file} row ${i} (line ${ours.line})`);
    });
  });
}

test('every disagreement with jc is one of the explained classes, counted exactly', () => {
  const expected = expectedClasses(allTheirs);
  assert.deepEqual(Object.fromEntries([...classes].sort()), Object.fromEntries([...expected].sort()));
  // The sizes, for the record (and so that a jc JSON emptied by accident cannot pass).
  assert.deepEqual(Object.fromEntries([...expected].sort()), {
    'ipv6-brackets': 266,
    'jc-bytes-as-state': 1,
    'jc-missed-udp-under-T': 2,
    'netlink-channel': 81,
    'no-owner-message': 35,
    'owner-brackets': 280,
    'packet-link': 2,
    'proto-case': 818,
    'unix-path': 260,
    'users-in-opts': 227,
    'zone-in-brackets': 27,
  });
  assert.equal(allTheirs.length, 1968); // rows compared field by field
});
