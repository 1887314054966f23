// Language hygiene for every text in the knowledge base: Chinese texts contain Chinese, English texts contain none,
// and nothing can be taken for raw HTML by the hover's Markdown renderer ('<' only inside code).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Lang, Localized } from '../../../src/core/model';
import {
  EPHEMERAL_RANGES,
  ERRNOS,
  explain,
  FIELDS,
  FLAGS,
  PORTS,
  SOCKET_OPTIONS,
  SS_FIELDS,
  STATE_SPELLINGS,
  STATE_TOOL_NAMES,
  STATES,
  SYSCTLS,
  TCP_OPTIONS,
  TIMER_KIND_INFO,
  TRANSITIONS,
  describeTransition,
  spellFlags,
} from '../../../src/core/knowledge/index';
import type { KnowledgeKind } from '../../../src/core/knowledge/index';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const CJK_ANY = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

function isLocalized(v: unknown): v is Localized {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v).sort();
  return keys.length === 2 && keys[0] === 'en' && keys[1] === 'zh-cn';
}

function collect(v: unknown, path: string, out: [string, Localized][]): void {
  if (isLocalized(v)) {
    out.push([path, v]);
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => collect(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, `${path}.${k}`, out);
}

/** Remove fenced code blocks and inline code spans: what remains is rendered as Markdown text. */
function outsideCode(md: string): string {
  let s = md;
  for (;;) {
    const a = s.indexOf('```');
    if (a < 0) break;
    const b = s.indexOf('```', a + 3);
    if (b < 0) break;
    s = s.slice(0, a) + s.slice(b + 3);
  }
  let out = '';
  let inCode = false;
  for (const ch of s) {
    if (ch === '`') inCode = !inCode;
    else if (!inCode) out += ch;
  }
  assert.equal(inCode, false, `unbalanced backticks in: ${md.slice(0, 120)}`);
  return out;
}

const ALL: [string, Localized][] = [];
collect(
  { STATES, TRANSITIONS, FLAGS, FIELDS, TIMER_KIND_INFO, SS_FIELDS, TCP_OPTIONS, SYSCTLS, ERRNOS, PORTS, EPHEMERAL_RANGES, SOCKET_OPTIONS, STATE_SPELLINGS, STATE_TOOL_NAMES },
  'kb',
  ALL,
);

test('the walk finds the whole knowledge base', () => {
  assert.ok(ALL.length > 600, `only ${ALL.length} texts found`);
});

test('every Chinese text contains Chinese characters; every English text contains none', () => {
  for (const [path, t] of ALL) {
    assert.ok(t.en.trim().length > 0, `${path}.en empty`);
    assert.ok(t['zh-cn'].trim().length > 0, `${path}.zh-cn empty`);
    assert.ok(HAN.test(t['zh-cn']), `${path}.zh-cn has no Chinese: ${t['zh-cn']}`);
    assert.ok(!CJK_ANY.test(t.en), `${path}.en has Chinese characters or punctuation: ${t.en}`);
  }
});

test('no text can be read as raw HTML: "<" only inside code', () => {
  for (const [path, t] of ALL) {
    for (const lang of ['en', 'zh-cn'] as const) {
      assert.ok(!outsideCode(t[lang]).includes('<'), `${path}.${lang} has '<' outside code: ${t[lang]}`);
    }
  }
});

// Every key explain() knows, rendered in both languages, must obey the same rules.
const KEYS: [KnowledgeKind, string][] = [
  ...STATE_SPELLINGS.map((s) => ['state', s.text] as [KnowledgeKind, string]),
  ...FLAGS.map((f) => ['flag', f.tshark] as [KnowledgeKind, string]),
  ...['[S]', '[S.]', '[.]', '[P.]', '[F.]', '[R]', '[R.]', '[none]', '[SEW]', '[S.E]', '[SEWe]', '[FSRP.UEW]', '[SYN, ACK]', '<None>'].map(
    (f) => ['flags', f] as [KnowledgeKind, string],
  ),
  ...FIELDS.map((f) => ['field', f.id] as [KnowledgeKind, string]),
  ['seq', 'seq 1:9'],
  ['ack', 'ack 9'],
  ['win', 'win 64'],
  ['checksum', 'cksum 0xfe30 (incorrect -> 0x83db)'],
  ['recvQ', '5'],
  ['sendQ', '16'],
  ['timer', 'timer:(on,6.060ms,2)'],
  ['timer', 'keepalive (7199.99/0/0)'],
  ...SS_FIELDS.map((f) => ['ssInfo', f.name] as [KnowledgeKind, string]),
  ['ssInfo', 'skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d0)'],
  ...TCP_OPTIONS.flatMap((o) => o.tcpdump.map((t) => ['option', t] as [KnowledgeKind, string])),
  ...SYSCTLS.map((s) => ['sysctl', s.key] as [KnowledgeKind, string]),
  ...SYSCTLS.filter((s) => s.default).map((s) => ['sysctl', `${s.key} = ${s.default}`] as [KnowledgeKind, string]),
  ...ERRNOS.map((e) => ['errno', e.name] as [KnowledgeKind, string]),
  ...PORTS.map((p) => ['port', String(p.port)] as [KnowledgeKind, string]),
  ['port', '46548'],
  ...SOCKET_OPTIONS.map((o) => ['socketOption', o.name] as [KnowledgeKind, string]),
];

test('every rendered explanation obeys the language and HTML rules', () => {
  for (const [kind, key] of KEYS) {
    for (const lang of ['en', 'zh-cn'] as Lang[]) {
      const ex = explain(kind, key, lang, { state: 'LISTEN', tool: 'ss', otherQueue: 16 });
      assert.ok(ex, `${kind} ${key} ${lang}`);
      assert.ok(ex.title.length > 0 && ex.markdown.length > 0);
      const text = outsideCode(ex.markdown);
      assert.ok(!text.includes('<'), `${kind} ${key} ${lang}: '<' outside code`);
      if (lang === 'zh-cn') assert.ok(HAN.test(ex.markdown), `${kind} ${key}: zh-cn rendering has no Chinese`);
      else assert.ok(!CJK_ANY.test(ex.markdown), `${kind} ${key}: en rendering has Chinese`);
    }
  }
  for (const t of TRANSITIONS) {
    assert.ok(!outsideCode(describeTransition(t, 'en')).includes('<'));
    assert.ok(HAN.test(describeTransition(t, 'zh-cn')));
  }
  assert.equal(spellFlags([], 'tshark'), '<None>');
});
