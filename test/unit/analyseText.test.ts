import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse, analyseLines } from '../../src/core/analyse';
import { splitLines } from '../../src/core/text';
import { readFixture } from './support';

// analyse(text) reads through parseText (records keep line numbers, not strings); analyseLines through parseLines.
// They must say the same about every text, whatever its line breaks and however it ends.
const TEXTS: Record<string, string> = {
  tcpdumpV: readFixture('packets', '03_connection_refused', 'tcpdump_tttt_S_v.txt'),
  tshark: readFixture('packets', '05_half_close', 'tshark.txt'),
  ss: readFixture('sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'ss_-tanoie.txt'),
  windows: readFixture('sockets', 'public', 'windows_zh-CN', 'shadowsocksr-csharp_issue6_netstat_-ano_close_wait_excerpt.txt'),
};

function variants(text: string): string[] {
  const body = text.replace(/\r?\n$/, '');
  return [body, `${body}\n`, `${body.replace(/\r?\n/g, '\r\n')}\r\n`, `$ ss -tan\n${body}\n\nnotes after it`];
}

test('analyse(text) says what analyseLines(splitLines(text)) says, tokens included', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    for (const t of variants(text)) {
      const a = analyse(t);
      const b = analyseLines(splitLines(t));
      assert.equal(JSON.stringify(a), JSON.stringify(b), name);
      assert.equal(a.displayLineCount, b.displayLineCount, `${name}: lines as counted`);
      const tokens = (m: typeof a) => JSON.stringify([...m.sockets.map((r) => r.tokens), ...m.segments.map((g) => g.tokens)]);
      assert.equal(tokens(a), tokens(b), `${name}: tokens`);
    }
  }
  assert.equal(analyse('').displayLineCount, analyseLines(splitLines('')).displayLineCount);
  assert.deepEqual(analyse(TEXTS.tcpdumpV!, { format: 'netstat' }).blocks, analyseLines(splitLines(TEXTS.tcpdumpV!), { format: 'netstat' }).blocks);
});
