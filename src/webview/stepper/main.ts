/**
 * The state-machine stepper: both ends side by side on RFC 9293's diagram, the segment in flight between two
 * lifelines, running timers, and an event log. Keyboard: Right/Left step, Space play/pause, Home reset, End last.
 * Scenarios run here with the core engine; breaks re-run it from the same script, so stepping back is exact.
 */
import type { Lang, Localized } from '../../core/model';
import { run, type Break, type Side } from '../../core/stepper/engine';
import { SCENARIOS, scenarioById } from '../../core/stepper/scenarios';
import { trackFromSteps, type Track, type TrackStep } from '../../core/stepper/track';
import type { StepperHostMessage, StepperState, StepperWebviewMessage } from '../stepperProtocol';
import { buildStateDiagram } from './diagram';
import '../../../media/stepper.css';

interface VsCodeApi {
  postMessage(message: StepperWebviewMessage): void;
  getState(): StepperState | undefined;
  setState(state: StepperState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

const UI: Record<string, Localized> = {
  scenario: { en: 'Scenario', 'zh-cn': '场景' },
  capture: { en: 'From your capture', 'zh-cn': '来自你的抓包' },
  reset: { en: 'Reset (Home)', 'zh-cn': '重置（Home）' },
  back: { en: 'Step back (Left)', 'zh-cn': '后退一步（左方向键）' },
  play: { en: 'Play (Space)', 'zh-cn': '播放（空格）' },
  pause: { en: 'Pause (Space)', 'zh-cn': '暂停（空格）' },
  forward: { en: 'Step forward (Right)', 'zh-cn': '前进一步（右方向键）' },
  last: { en: 'Last step (End)', 'zh-cn': '最后一步（End）' },
  speed: { en: 'Speed', 'zh-cn': '速度' },
  step: { en: 'Step', 'zh-cn': '步骤' },
  of: { en: 'of', 'zh-cn': '/' },
  breakIt: { en: 'Break it', 'zh-cn': '搞点破坏' },
  drop: { en: 'Drop the segment in flight', 'zh-cn': '丢弃在途报文' },
  crashClient: { en: 'Crash client host', 'zh-cn': '客户端主机宕机' },
  crashServer: { en: 'Crash server host', 'zh-cn': '服务端主机宕机' },
  rebootServer: { en: 'Reboot server host', 'zh-cn': '服务端主机重启' },
  abortClient: { en: 'Client aborts (RST)', 'zh-cn': '客户端中止（RST）' },
  undoBreaks: { en: 'Undo breaks', 'zh-cn': '撤销破坏' },
  client: { en: 'Client', 'zh-cn': '客户端' },
  server: { en: 'Server', 'zh-cn': '服务端' },
  timers: { en: 'Timers', 'zh-cn': '计时器' },
  queues: { en: 'In ss', 'zh-cn': 'ss 中' },
  window: { en: 'advertises', 'zh-cn': '通告' },
  none: { en: 'none', 'zh-cn': '无' },
  log: { en: 'Event log', 'zh-cn': '事件日志' },
  start: { en: 'Before the first step: both ends are CLOSED.', 'zh-cn': '第一步之前：两端都是 CLOSED。' },
  inflight: { en: 'In flight', 'zh-cn': '在途' },
  lost: { en: 'lost', 'zh-cn': '丢失' },
  down: { en: 'host down', 'zh-cn': '主机宕机' },
  inferred: { en: 'inferred', 'zh-cn': '推断' },
  sysctls: { en: 'Settings that govern this', 'zh-cn': '相关内核参数' },
  diagram: { en: 'RFC 9293 state diagram: client in blue, server in orange', 'zh-cn': 'RFC 9293 状态图：客户端为蓝色，服务端为橙色' },
};

const saved = vscode.getState();
let lang: Lang = saved?.lang ?? 'en';
let scenarioId: string | undefined = saved?.scenarioId ?? (saved?.track ? undefined : 'normal-open');
let breaks: Break[] = (saved?.breaks as Break[] | undefined) ?? [];
let captureTrack: Track | undefined = saved?.track;
let current = saved?.step ?? 0; // 0 = before the first step; k = after step k
let speed = saved?.speed ?? 1;
let playing: number | undefined;
let track: Track = computeTrack();

function t(key: keyof typeof UI): string {
  return UI[key]![lang];
}

function computeTrack(): Track {
  if (captureTrack) return captureTrack;
  const scenario = scenarioById(scenarioId ?? 'normal-open') ?? SCENARIOS[0]!;
  return { title: scenario.title, lesson: scenario.lesson, sysctls: scenario.sysctls, steps: trackFromSteps(run(scenario.script, breaks)) };
}

function save(): void {
  const state: StepperState = captureTrack
    ? { lang, track: captureTrack, step: current, speed }
    : { lang, scenarioId: scenarioId ?? 'normal-open', breaks, step: current, speed };
  vscode.setState(state);
}

// --- static layout ---------------------------------------------------------------------------------------------
const root = document.getElementById('stepper') as HTMLElement;

function make<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, parent?: Element, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  parent?.appendChild(node);
  return node;
}

const header = make('div', { class: 'stepper-header' }, root);
const scenarioLabel = make('label', { for: 'scenario' }, header);
const scenarioSelect = make('select', { id: 'scenario' }, header);
const titleEl = make('h2', { id: 'track-title' }, root);
const lessonEl = make('p', { id: 'lesson', class: 'lesson' }, root);

const controls = make('div', { class: 'controls', role: 'toolbar' }, root);
const buttons = {
  reset: make('button', { id: 'reset', type: 'button' }, controls, '«'),
  back: make('button', { id: 'back', type: 'button' }, controls, '‹'),
  play: make('button', { id: 'play', type: 'button' }, controls, '▶'),
  forward: make('button', { id: 'forward', type: 'button' }, controls, '›'),
  last: make('button', { id: 'last', type: 'button' }, controls, '»'),
};
const speedLabel = make('label', { for: 'speed' }, controls);
const speedSelect = make('select', { id: 'speed' }, controls);
for (const s of [0.5, 1, 2, 4]) make('option', { value: String(s) }, speedSelect, `${s}×`);
const slider = make('input', { id: 'jump', type: 'range', min: '0', max: '0', value: '0' }, controls);
const stepCounter = make('span', { id: 'step-counter', 'aria-live': 'polite' }, controls);

const breakBar = make('div', { class: 'break-bar', role: 'group' }, root);
const breakTitle = make('span', { class: 'break-title' }, breakBar);
const breakButtons = {
  drop: make('button', { id: 'break-drop', type: 'button' }, breakBar),
  crashClient: make('button', { id: 'break-crash-client', type: 'button' }, breakBar),
  crashServer: make('button', { id: 'break-crash-server', type: 'button' }, breakBar),
  rebootServer: make('button', { id: 'break-reboot-server', type: 'button' }, breakBar),
  abortClient: make('button', { id: 'break-abort-client', type: 'button' }, breakBar),
  undo: make('button', { id: 'break-undo', type: 'button' }, breakBar),
};

const main = make('div', { class: 'stepper-main' }, root);
const diagramBox = make('div', { class: 'diagram-box' }, main);
const side = make('div', { class: 'side-box' }, main);
const ends = make('div', { class: 'ends' }, side);
interface EndEls {
  box: HTMLElement;
  name: HTMLElement;
  state: HTMLElement;
  timers: HTMLElement;
  /** Recv-Q, Send-Q and the advertised window, for scenarios that model flow control (hidden otherwise). */
  flow: HTMLElement;
}
const endEl = (sd: Side): EndEls => ({
  box: make('div', { class: `end end-${sd}`, id: `end-${sd}` }, ends),
  name: document.createElement('div'),
  state: document.createElement('div'),
  timers: document.createElement('div'),
  flow: document.createElement('div'),
});
const endEls: Record<Side, EndEls> = { client: endEl('client'), server: endEl('server') };
for (const s of ['client', 'server'] as const) {
  const e = endEls[s];
  e.name.className = 'end-name';
  e.state.className = 'end-state';
  e.state.id = `state-${s}`;
  e.timers.className = 'end-timers';
  e.flow.className = 'end-timers end-flow';
  e.flow.id = `flow-${s}`;
  e.box.append(e.name, e.state, e.timers, e.flow);
}
const flight = make('div', { class: 'flight', id: 'flight', 'aria-live': 'polite' }, side);
const flightArrow = make('div', { class: 'flight-arrow' }, flight);
const flightLabel = make('div', { class: 'flight-label', id: 'flight-label' }, flight);
const explain = make('p', { class: 'explain', id: 'explain', 'aria-live': 'polite' }, side);
const sysctlEl = make('p', { class: 'sysctls', id: 'sysctls' }, side);
const logTitle = make('h3', {}, root);
const logList = make('ol', { id: 'log', class: 'log' }, root);

let diagram = buildStateDiagram(t('diagram'));
diagramBox.appendChild(diagram.svg);

function relabel(): void {
  scenarioLabel.textContent = `${t('scenario')}: `;
  scenarioSelect.replaceChildren();
  if (captureTrack) make('option', { value: '__capture' }, scenarioSelect, t('capture'));
  for (const s of SCENARIOS) make('option', { value: s.id }, scenarioSelect, s.title[lang]);
  scenarioSelect.value = captureTrack ? '__capture' : (scenarioId ?? 'normal-open');
  const labels: [HTMLElement, keyof typeof UI][] = [
    [buttons.reset, 'reset'],
    [buttons.back, 'back'],
    [buttons.forward, 'forward'],
    [buttons.last, 'last'],
  ];
  for (const [b, key] of labels) {
    b.setAttribute('aria-label', t(key));
    b.title = t(key);
  }
  speedLabel.textContent = `${t('speed')} `;
  speedSelect.value = String(speed);
  slider.setAttribute('aria-label', t('step'));
  breakTitle.textContent = `${t('breakIt')}:`;
  breakButtons.drop.textContent = t('drop');
  breakButtons.crashClient.textContent = t('crashClient');
  breakButtons.crashServer.textContent = t('crashServer');
  breakButtons.rebootServer.textContent = t('rebootServer');
  breakButtons.abortClient.textContent = t('abortClient');
  breakButtons.undo.textContent = t('undoBreaks');
  endEls.client.name.textContent = t('client');
  endEls.server.name.textContent = t('server');
  logTitle.textContent = t('log');
  diagramBox.replaceChildren();
  diagram = buildStateDiagram(t('diagram'));
  diagramBox.appendChild(diagram.svg);
}

// --- rendering a step ------------------------------------------------------------------------------------------
function stepAt(k: number): TrackStep | undefined {
  return k > 0 ? track.steps[k - 1] : undefined;
}

function render(): void {
  const total = track.steps.length;
  current = Math.max(0, Math.min(current, total));
  const s = stepAt(current);
  titleEl.textContent = track.title[lang];
  lessonEl.textContent = track.lesson?.[lang] ?? '';
  slider.max = String(total);
  slider.value = String(current);
  stepCounter.textContent = `${t('step')} ${current} ${t('of')} ${total}`;
  root.setAttribute('data-step', String(current));
  for (const sd of ['client', 'server'] as const) {
    const end = s?.after[sd];
    const state = end?.state ?? 'CLOSED';
    const e = endEls[sd];
    e.state.textContent = `${end && !end.certain ? '~' : ''}${state}${end?.down ? ` (${t('down')})` : ''}${end?.error ? ` · ${end.error}` : ''}`;
    e.state.title = end && !end.certain ? t('inferred') : '';
    e.box.setAttribute('data-state', state);
    e.timers.textContent = `${t('timers')}: ${end && end.timers.length > 0 ? end.timers.join(', ') : t('none')}`;
    const queues = end && end.recvQ !== undefined && end.sendQ !== undefined;
    e.flow.hidden = !queues;
    e.flow.textContent = queues ? `${t('queues')}: Recv-Q ${end.recvQ} · Send-Q ${end.sendQ}${end.window !== undefined ? ` · ${t('window')} win=${end.window}` : ''}` : '';
  }
  diagram.highlight({
    client: { state: s?.after.client.state ?? 'CLOSED', ...(s ? { from: s.before.client } : {}) },
    server: { state: s?.after.server.state ?? 'CLOSED', ...(s ? { from: s.before.server } : {}) },
  });
  diagram.svg.setAttribute('aria-label', `${t('diagram')}. ${t('client')}: ${s?.after.client.state ?? 'CLOSED'}. ${t('server')}: ${s?.after.server.state ?? 'CLOSED'}.`);
  if (s?.segment) {
    flight.className = `flight from-${s.segment.from}${s.segment.lost ? ' lost' : ''}`;
    flightArrow.textContent = s.segment.from === 'client' ? '──────────▶' : '◀──────────';
    const waiting = (s.inFlight ?? []).map((f) => f.label).filter((label) => label !== s.segment?.label);
    flightLabel.textContent = `${s.segment.label}${s.segment.lost ? ` ✕ ${t('lost')}` : ''}${waiting.length > 0 ? ` · ${t('inflight')}: ${waiting.join('; ')}` : ''}`;
  } else {
    flight.className = 'flight idle';
    flightArrow.textContent = '';
    flightLabel.textContent = '';
  }
  explain.textContent = s ? s.text[lang] : t('start');
  sysctlEl.textContent = track.sysctls.length > 0 ? `${t('sysctls')}: ${track.sysctls.join(', ')}` : '';
  logList.replaceChildren();
  for (const step of track.steps.slice(0, current)) {
    const li = make('li', { class: step.index === current - 1 ? 'current' : '' }, logList);
    li.textContent = `${step.timeMs !== undefined ? `[${formatTime(step.timeMs)}] ` : ''}${step.text[lang]}`;
    if (step.broken) li.classList.add('broken');
  }
  logList.lastElementChild?.scrollIntoView({ block: 'nearest' });
  buttons.play.textContent = playing ? '❚❚' : '▶';
  buttons.play.setAttribute('aria-label', playing ? t('pause') : t('play'));
  buttons.play.title = playing ? t('pause') : t('play');
  for (const b of Object.values(breakButtons)) b.toggleAttribute('disabled', captureTrack !== undefined);
  breakButtons.drop.toggleAttribute('disabled', captureTrack !== undefined || (s?.inFlight?.length ?? 0) === 0);
  breakButtons.undo.toggleAttribute('disabled', captureTrack !== undefined || breaks.length === 0);
  if (s?.line !== undefined) vscode.postMessage({ type: 'revealLine', line: s.line });
  vscode.postMessage({ type: 'stepChanged', step: current, total });
  save();
}

function formatTime(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms < 10 ? 3 : 0)} ms`;
}

// --- actions ---------------------------------------------------------------------------------------------------
function go(k: number): void {
  current = k;
  render();
}

function stopPlaying(): void {
  if (playing !== undefined) window.clearInterval(playing);
  playing = undefined;
}

function togglePlay(): void {
  if (playing !== undefined) {
    stopPlaying();
    render();
    return;
  }
  if (current >= track.steps.length) current = 0;
  playing = window.setInterval(() => {
    if (current >= track.steps.length) {
      stopPlaying();
      render();
      return;
    }
    go(current + 1);
  }, 1000 / speed);
  render();
}

function addBreak(b: Break): void {
  stopPlaying();
  // A new break replaces the ones at or after this step: the future they described no longer exists.
  breaks = [...breaks.filter((x) => x.atStep < b.atStep), b];
  track = computeTrack();
  go(Math.min(b.atStep + 1, track.steps.length));
}

buttons.reset.addEventListener('click', () => {
  stopPlaying();
  go(0);
});
buttons.back.addEventListener('click', () => go(current - 1));
buttons.forward.addEventListener('click', () => go(current + 1));
buttons.last.addEventListener('click', () => go(track.steps.length));
buttons.play.addEventListener('click', togglePlay);
slider.addEventListener('input', () => go(Number(slider.value)));
speedSelect.addEventListener('change', () => {
  speed = Number(speedSelect.value) || 1;
  if (playing !== undefined) {
    stopPlaying();
    togglePlay();
  } else save();
});
scenarioSelect.addEventListener('change', () => {
  stopPlaying();
  if (scenarioSelect.value === '__capture') return;
  captureTrack = undefined;
  scenarioId = scenarioSelect.value;
  breaks = [];
  track = computeTrack();
  relabel();
  go(0);
});
breakButtons.drop.addEventListener('click', () => addBreak({ kind: 'drop', atStep: current }));
breakButtons.crashClient.addEventListener('click', () => addBreak({ kind: 'crash', atStep: current, side: 'client' }));
breakButtons.crashServer.addEventListener('click', () => addBreak({ kind: 'crash', atStep: current, side: 'server' }));
breakButtons.rebootServer.addEventListener('click', () => addBreak({ kind: 'reboot', atStep: current, side: 'server' }));
breakButtons.abortClient.addEventListener('click', () => addBreak({ kind: 'abort', atStep: current, side: 'client' }));
breakButtons.undo.addEventListener('click', () => {
  breaks = [];
  track = computeTrack();
  go(Math.min(current, track.steps.length));
});

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  if (target && (target.tagName === 'SELECT' || target.tagName === 'INPUT')) return;
  switch (event.key) {
    case 'ArrowRight':
      go(current + 1);
      break;
    case 'ArrowLeft':
      go(current - 1);
      break;
    case ' ':
      togglePlay();
      break;
    case 'Home':
      stopPlaying();
      go(0);
      break;
    case 'End':
      go(track.steps.length);
      break;
    default:
      return;
  }
  event.preventDefault();
});

window.addEventListener('message', (event: MessageEvent<StepperHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      lang = message.lang;
      relabel();
      render();
      break;
    case 'showScenario':
      if (scenarioById(message.scenarioId)) {
        stopPlaying();
        captureTrack = undefined;
        scenarioId = message.scenarioId;
        breaks = [];
        track = computeTrack();
        relabel();
        go(0);
      }
      break;
    case 'showTrack':
      stopPlaying();
      lang = message.lang;
      captureTrack = message.track;
      scenarioId = undefined;
      breaks = [];
      track = computeTrack();
      relabel();
      go(0);
      break;
  }
});

relabel();
render();
vscode.postMessage({ type: 'ready' });
