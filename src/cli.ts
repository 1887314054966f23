/**
 * `tcp-lens`: the command line over src/core. Arguments are parsed by hand (no dependency). Whatever the input,
 * the user gets a report, an empty model, or ONE line on stderr and a documented exit code — never a stack trace
 * (set TCP_LENS_DEBUG=1 to see one for an internal error).
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { analyse, FORMAT_CHOICES, type AnalysedModel, type FormatChoice } from './core/analyse';
import type { Lang } from './core/model';
import { connectionMermaid, inputsFromRebuild } from './core/render/connectionDiagram';
import { jsonChunks } from './core/render/json';
import { buildReport, renderText } from './core/render/report';
import { version } from '../package.json';

export const EXIT = {
  /** The command ran; for `explain`, no finding of severity error. */
  OK: 0,
  /** `explain` ran and at least one finding has severity error (useful in scripts and CI). */
  ERROR_FINDINGS: 1,
  /** Bad command line: unknown command or option, missing or extra FILE, bad option value. */
  USAGE: 2,
  /** The input cannot be read as tool output: missing, unreadable, a directory, binary, too large; or no such connection. */
  INPUT: 3,
  /** Not available in this build, or an internal error (a bug: please report it). */
  UNAVAILABLE: 4,
} as const;

/** Larger inputs do not fit in one JavaScript string (V8 caps strings near 512 Mi UTF-16 units). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export const HELP = `tcp-lens ${version} — explain netstat, ss, tcpdump and tshark output

Usage:
  tcp-lens explain [--json] [--lang en|zh-cn] [--format FORMAT] FILE|-
  tcp-lens diagram [--connection N] [--lang en|zh-cn] [--format FORMAT] FILE|-
  tcp-lens --help | --version

Commands:
  explain     Print a report: what was read, findings with cause and fix, socket states, connections.
              With --json, print one JSON object (schema 1, line numbers 1-based) instead.
  diagram     Print a mermaid sequenceDiagram of connection N of a tcpdump/tshark capture (N as explain shows it,
              #1 first; default 1).

Options:
  --json                 JSON output (explain).
  --lang en|zh-cn        Language of messages. Default: zh-cn when LC_ALL/LC_MESSAGES/LANG is Chinese, else en
                         (--json defaults to en whatever the locale).
  --format FORMAT        auto (default: detect each block), netstat (Linux, BSD/macOS or Windows, detected), ss,
                         tcpdump, tshark, netstat-linux, netstat-bsd, netstat-windows.
  --connection N         Connection number for diagram (1 = the first, as in explain and its JSON).
  --no-color             No ANSI colours (also NO_COLOR=1; colours are only used on a terminal).
  -h, --help             This help.
  -V, --version          The version.

FILE is a text file of tool output (UTF-8, UTF-16 with BOM, or GB18030/GBK); - reads standard input.

Exit codes:
  0  ok (explain: no finding of severity error)
  1  explain ran and found at least one error-severity finding
  2  usage error (unknown command or option, bad value, missing FILE)
  3  input error (missing or unreadable file, directory, binary or pcap file, too large; unknown connection)
  4  not available in this build, or internal error (e.g. a failed connection analysis)
`;

export interface CliIo {
  /** Write to standard output; may return a promise to apply backpressure. */
  readonly out: (chunk: string) => void | Promise<void>;
  readonly err: (line: string) => void;
  /** Read all of standard input. */
  readonly readStdin: () => Uint8Array;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard output is a terminal (colours, width). */
  readonly isTTY: boolean;
  readonly columns?: number;
}

class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

interface Args {
  readonly command: 'explain' | 'diagram' | 'help' | 'version';
  readonly json: boolean;
  readonly lang?: Lang;
  readonly format: FormatChoice;
  readonly connection?: number;
  readonly color: boolean;
  readonly file?: string;
}

const COMMANDS = new Set(['explain', 'diagram']);

export function parseArgs(argv: readonly string[]): Args {
  let command: Args['command'] | undefined;
  let json = false;
  let lang: Lang | undefined;
  let format: FormatChoice = 'auto';
  let connection: number | undefined;
  let color = true;
  const files: string[] = [];
  let optionsEnded = false;
  const usage = (msg: string): never => {
    throw new CliError(`${msg} (see tcp-lens --help)`, EXIT.USAGE);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (optionsEnded || arg === '-' || !arg.startsWith('-')) {
      if (command === undefined) {
        if (!COMMANDS.has(arg)) usage(`unknown command '${shown(arg)}': use explain or diagram`);
        command = arg as Args['command'];
      } else files.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) usage(`${name} needs a value`);
      i++;
      return next!;
    };
    const noValue = (): void => {
      if (inline !== undefined) usage(`${name} takes no value`);
    };
    switch (name) {
      case '-h':
      case '--help':
        return { command: 'help', json, format, color };
      case '-V':
      case '--version':
        return { command: 'version', json, format, color };
      case '--json':
        noValue();
        json = true;
        break;
      case '--no-color':
        noValue();
        color = false;
        break;
      case '--lang': {
        const v = value().toLowerCase();
        if (v === 'en') lang = 'en';
        else if (v === 'zh-cn' || v === 'zh' || v === 'zh_cn') lang = 'zh-cn';
        else usage(`--lang must be en or zh-cn, not '${shown(v)}'`);
        break;
      }
      case '--format': {
        const v = value().toLowerCase() as FormatChoice;
        if (!FORMAT_CHOICES.includes(v)) usage(`--format must be one of ${FORMAT_CHOICES.join(', ')}, not '${shown(v)}'`);
        format = v;
        break;
      }
      case '--connection': {
        const v = value();
        if (!/^\d{1,9}$/.test(v)) usage(`--connection needs a connection number, not '${shown(v)}'`);
        connection = Number(v);
        break;
      }
      default:
        usage(`unknown option '${shown(arg)}'`);
    }
  }
  if (command === undefined) usage('no command given: use explain or diagram');
  if (command === 'explain' && connection !== undefined) usage('--connection is for the diagram command');
  if (command === 'diagram' && json) usage('--json is for the explain command');
  if (files.length === 0) usage(`${command} needs a FILE (or - for standard input)`);
  if (files.length > 1) usage(`${command} reads one FILE, got ${files.length}`);
  return { command: command!, json, lang, format, connection, color, file: files[0] };
}

/** Arguments and file names are user text: keep control characters out of the one-line error. */
function shown(text: string): string {
  let out = '';
  for (const ch of text.length > 80 ? text.slice(0, 80) + '…' : text) {
    const c = ch.codePointAt(0)!;
    out += c < 32 || c === 127 ? '?' : ch;
  }
  return out;
}

function localeLang(env: CliIo['env']): Lang {
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return tag.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

// ---------------------------------------------------------------------------------------------------------------
// Input

/** Read FILE (or stdin for '-') as bytes, refusing what is not a readable regular file or pipe. */
export function readInput(file: string, io: CliIo): Uint8Array {
  if (file === '-') return io.readStdin();
  const name = shown(file);
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new CliError(`cannot read ${name}: ${errnoText(e)}`, EXIT.INPUT);
  }
  if (st.isDirectory()) throw new CliError(`${name} is a directory, not a file of tool output`, EXIT.INPUT);
  if (!st.isFile() && !st.isFIFO()) throw new CliError(`${name} is not a regular file`, EXIT.INPUT);
  if (st.isFile() && st.size > MAX_INPUT_BYTES) {
    throw new CliError(`${name} is too large (${Math.round(st.size / 1048576)} MiB; the limit is ${MAX_INPUT_BYTES / 1048576} MiB): split it first`, EXIT.INPUT);
  }
  try {
    return readAll(file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${name}: ${errnoText(e)}`, EXIT.INPUT);
  }
}

function readAll(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let buf = new Uint8Array(size > 0 ? size : 65536);
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        if (buf.length >= MAX_INPUT_BYTES) throw new CliError(`${shown(file)} is too large (over ${MAX_INPUT_BYTES / 1048576} MiB)`, EXIT.INPUT);
        const bigger = new Uint8Array(Math.min(buf.length * 2, MAX_INPUT_BYTES));
        bigger.set(buf);
        buf = bigger;
      }
      const n = readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
    }
    return buf.subarray(0, used);
  } finally {
    closeSync(fd);
  }
}

function errnoText(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return code ?? (e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
}

/**
 * Bytes to text. UTF-8 (BOM stripped) first; a UTF-16 BOM (PowerShell 5 redirects write UTF-16LE) is honoured;
 * text that is not valid UTF-8 but valid GB18030 (Chinese Windows `netstat > file`) is read as GB18030.
 * Captures and other binary files are refused with a hint.
 */
export function decodeInput(bytes: Uint8Array, name: string): string {
  if (bytes.length === 0) return '';
  const b0 = bytes[0]!;
  const b1 = bytes[1] ?? -1;
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const magic = bytes.length >= 4 ? ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 : 0;
  if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1 || magic === 0x0a0d0d0a) {
    throw new CliError(`${name} is a packet capture (pcap), not text: run 'tcpdump -nn -r ${name}' or 'tshark -r ${name}' and give tcp-lens that output`, EXIT.INPUT);
  }
  if (b0 === 0x1f && b1 === 0x8b) throw new CliError(`${name} is gzip-compressed: decompress it first (zcat ${name} | tcp-lens explain -)`, EXIT.INPUT);
  if (looksUtf16le(bytes)) return new TextDecoder('utf-16le').decode(bytes);
  const probe = bytes.subarray(0, Math.min(bytes.length, 65536));
  if (probe.includes(0)) throw new CliError(`${name} looks binary (it contains NUL bytes), not netstat, ss, tcpdump or tshark text`, EXIT.INPUT);
  const start = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(body);
    } catch {
      return new TextDecoder('utf-8').decode(body);
    }
  }
}

/** UTF-16LE without a BOM: ASCII text then has a NUL in (nearly) every odd byte and none in the even ones. */
function looksUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return false;
  let oddZero = 0;
  let evenZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  return oddZero >= (n / 2) * 0.9 && evenZero === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** The mermaid sequenceDiagram of one connection (model id, 0-based), with the rebuild's states and numbers. */
export function connectionDiagramText(model: AnalysedModel, id: number, lang: Lang): string {
  const inputs = model.rebuild ? inputsFromRebuild(model.rebuild.perSegment, model.segments) : {};
  return connectionMermaid(model, id, lang, inputs);
}

async function explain(args: Args, io: CliIo, model: AnalysedModel): Promise<number> {
  const lang = args.lang ?? (args.json ? 'en' : localeLang(io.env));
  if (args.json) {
    await writeChunks(io, jsonChunks(model, { lang }));
  } else {
    const color = args.color && io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
    const width = io.columns ? Math.max(60, Math.min(io.columns, 120)) : 100;
    const title = args.file === '-' ? undefined : args.file;
    await io.out(renderText(buildReport(model), lang, { title, width, color }));
  }
  return model.findings.some((f) => f.severity === 'error') ? EXIT.ERROR_FINDINGS : EXIT.OK;
}

async function diagram(args: Args, io: CliIo, model: AnalysedModel): Promise<number> {
  const lang = args.lang ?? localeLang(io.env);
  if (model.analysisError !== undefined) {
    throw new CliError(`diagram: the connection analysis failed: ${model.analysisError.split('\n')[0]} (please report it)`, EXIT.UNAVAILABLE);
  }
  const source = args.file === '-' ? 'standard input' : shown(args.file!);
  if (model.connections.length === 0) {
    throw new CliError(`diagram: no TCP connection found in ${source} (diagram needs tcpdump or tshark output)`, EXIT.INPUT);
  }
  // People and the JSON count connections from 1; the model from 0.
  const number = args.connection ?? model.connections[0]!.id + 1;
  const connection = model.connections.find((c) => c.id + 1 === number);
  if (!connection) {
    const count = model.connections.length;
    throw new CliError(`diagram: there is no connection ${number}; ${source} has ${count === 1 ? 'connection 1 only' : `connections 1–${count}`}`, EXIT.INPUT);
  }
  await io.out(connectionDiagramText(model, connection.id, lang));
  return EXIT.OK;
}

/** Join small pieces into ~64 KiB writes. */
async function writeChunks(io: CliIo, chunks: Iterable<string>): Promise<void> {
  let buf = '';
  for (const chunk of chunks) {
    buf += chunk;
    if (buf.length >= 65536) {
      await io.out(buf);
      buf = '';
    }
  }
  if (buf) await io.out(buf);
}

/** Run the command line; returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      await io.out(HELP);
      return EXIT.OK;
    }
    if (args.command === 'version') {
      await io.out(`${version}\n`);
      return EXIT.OK;
    }
    const name = args.file === '-' ? 'standard input' : shown(args.file!);
    const text = decodeInput(readInput(args.file!, io), name);
    const model = analyse(text, { format: args.format });
    const code = args.command === 'explain' ? await explain(args, io, model) : await diagram(args, io, model);
    if (model.analysisError !== undefined) {
      io.err(`tcp-lens: internal error in the connection analysis: ${model.analysisError.split('\n')[0]} (sockets and segments are reported; please report it)`);
      return EXIT.UNAVAILABLE;
    }
    return code;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`tcp-lens: ${e.message}`);
      return e.code;
    }
    io.err(`tcp-lens: internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (please report it; TCP_LENS_DEBUG=1 shows details)`);
    if (io.env.TCP_LENS_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT.UNAVAILABLE;
  }
}

/** The real process: stdout with backpressure, EPIPE (`| head`) ends quietly. */
export function nodeIo(): CliIo {
  const stdout = process.stdout;
  return {
    out: (chunk) =>
      new Promise<void>((resolve) => {
        if (stdout.write(chunk)) resolve();
        else stdout.once('drain', resolve);
      }),
    err: (line) => {
      process.stderr.write(line.endsWith('\n') ? line : line + '\n');
    },
    readStdin: () => {
      const parts: Buffer[] = [];
      let total = 0;
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        let n: number;
        try {
          n = readSync(0, chunk, 0, chunk.length, null);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'EAGAIN') continue;
          if (code === 'EOF') break;
          throw new CliError(`cannot read standard input: ${errnoText(e)}`, EXIT.INPUT);
        }
        if (n === 0) break;
        total += n;
        if (total > MAX_INPUT_BYTES) throw new CliError(`standard input is too large (over ${MAX_INPUT_BYTES / 1048576} MiB)`, EXIT.INPUT);
        parts.push(Buffer.from(chunk.subarray(0, n)));
      }
      return Buffer.concat(parts);
    },
    env: process.env,
    isTTY: stdout.isTTY === true,
    columns: stdout.isTTY ? stdout.columns : undefined,
  };
}

function run(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (`tcp-lens explain big.txt | head`): stop quietly.
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`tcp-lens: cannot write output: ${e.code ?? e.message}\n`);
    process.exit(EXIT.UNAVAILABLE);
  });
  main(process.argv.slice(2), nodeIo()).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT.UNAVAILABLE;
    },
  );
}

/**
 * Run when executed (`node dist/cli.js`, the `tcp-lens` bin); stay quiet when the bench requires the bundle or a test
 * bundles this file (then `require.main === module` holds for the test, so the script name is checked too).
 */
function isMain(): boolean {
  if (typeof require === 'undefined' || typeof module === 'undefined' || require.main !== module) return false;
  const script = (process.argv[1] ?? '').replace(/\\/g, '/');
  const name = script.slice(script.lastIndexOf('/') + 1);
  return name === 'cli.js' || name === 'tcp-lens' || name === 'tcp-lens.js';
}

if (isMain()) run();

// The bench (bench/run.mjs) drives these from the same bundle, so it measures exactly the CLI's code path.
export { analyse, analyseParsed } from './core/analyse';
export { parseText } from './core/formats/detect';
export { jsonChunks, renderJson } from './core/render/json';
