// The scanning helpers under the socket readers: their fast paths must give what the plain definitions give.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { EndpointTable } from '../../../src/core/formats/rangeCache';
import { colonEndpoint, dotEndpoint, Words } from '../../../src/core/formats/socketCommon';

/** Words as defined: runs of characters other than space and tab, with their [start, end) columns. */
function reference(line: string, from: number): [number, number][] {
  const out: [number, number][] = [];
  const re = /[^ \t]+/g;
  re.lastIndex = from;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push([m.index, m.index + m[0].length]);
  return out;
}

function words(w: Words): [number, number][] {
  return Array.from({ length: w.count }, (_, i) => [w.start[i]!, w.end[i]!]);
}

test('Words.split finds the runs of non-blanks, with and without tabs on the line, from any column', () => {
  const w = new Words();
  const cases = ['', ' ', 'a', '  a  b ', 'tcp   0  0 127.0.0.1:80   *:*', '\tts sack cubic', 'a\tb  c', '  \t ', 'x '];
  for (const line of cases) {
    assert.deepEqual(words(w.split(line)), reference(line, 0), JSON.stringify(line));
    assert.deepEqual(words(w.split(line, 2)), reference(line, 2), JSON.stringify(line));
  }
  fc.assert(
    fc.property(fc.array(fc.constantFrom(' ', ' ', '\t', 'a', 'b', ':', '.'), { maxLength: 40 }), fc.nat(10), (chars, from) => {
      const line = chars.join('');
      // A long line read first leaves more words behind than the next one has: count must say how many are current.
      w.split('a b c d e f g h i j k l m n o p');
      assert.deepEqual(words(w.split(line, from)), reference(line, from));
    }),
    { numRuns: 500 },
  );
});

test('the endpoint table tells apart the two addresses it saw last when they differ in one character', () => {
  // Same length, differing first, middle or last character: the recent-address check compares every character.
  const addresses = ['10.0.0.1', '20.0.0.1', '10.0.9.1', '10.0.0.7'];
  const colon = new EndpointTable(':'.charCodeAt(0));
  const dot = new EndpointTable('.'.charCodeAt(0));
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40; i++) {
      const a = addresses[i % addresses.length]!;
      const b = addresses[(i * 3 + round) % addresses.length]!;
      for (const [word, table, read] of [
        [`${a}:${8000 + (i % 5)}`, colon, colonEndpoint],
        [`${b}.${443 + (i % 3)}`, dot, dotEndpoint],
      ] as const) {
        const line = `x ${word} y`;
        assert.deepEqual(table.get(line, 2, 2 + word.length), read(word), word);
      }
    }
  }
});
