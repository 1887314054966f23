// Helpers shared by the bench's child processes (bench/editor.mjs, bench/diagram.mjs, bench/activation.mjs).
// Every child prints ONE JSON line on stdout; the parent (bench/run.mjs) formats it.
import { createRequire } from 'node:module';

/**
 * Time one call: CPU time of this process (user + system, µs resolution on Linux) and wall time. CPU time is what the
 * bench judges: on the shared 2-core machine wall time swings with the neighbours' load. It includes V8's helper
 * threads (concurrent GC), so it can exceed wall time.
 */
export function timed(fn) {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const value = fn();
  const wallMs = Number(process.hrtime.bigint() - w0) / 1e6;
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, wallMs, value };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** n, p50, p99, max, mean of a list of numbers. */
export function summary(values) {
  const s = values.slice().sort((a, b) => a - b);
  const mean = s.length > 0 ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s.length > 0 ? s[s.length - 1] : NaN, mean };
}

/** Summaries of the cpu and wall times of a list of `timed` results. */
export function timings(list) {
  return { cpu: summary(list.map((t) => t.cpuMs)), wall: summary(list.map((t) => t.wallMs)) };
}

/** Median of a few `timed` runs of fn (cpu and wall medians taken separately); the last value is kept. */
export function medianOf(runs, fn) {
  const list = [];
  let value;
  for (let i = 0; i < runs; i++) {
    const t = timed(fn);
    value = t.value;
    t.value = undefined;
    list.push(t);
  }
  return { cpuMs: summary(list.map((t) => t.cpuMs)).p50, wallMs: summary(list.map((t) => t.wallMs)).p50, runs, value };
}

/** The bench's core bundle (built by bench/run.mjs from whichever core modules exist). */
export function loadCore(bundlePath) {
  const require = createRequire(import.meta.url);
  return require(bundlePath);
}

/**
 * `core.<module>.<fn>` when it is a function, else undefined; the reason goes into `missing` so the section can print
 * "skipped: <why>" instead of crashing.
 */
export function pick(core, module, fn, missing) {
  const f = core?.[module]?.[fn];
  if (typeof f === 'function') return f;
  missing.push(`${module}.${fn} ${core?.[module] ? 'is not exported' : `(module ${module} is not in the build)`}`);
  return undefined;
}

/** A small seeded PRNG (mulberry32), so every run picks the same positions and edits. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function emit(result) {
  process.stdout.write(JSON.stringify(result) + '\n');
}
