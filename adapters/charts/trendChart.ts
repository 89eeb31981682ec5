/**
 * A small trend chart for the clinician summary, drawn on the server: a Vega-Lite spec (pure, built
 * here) → Vega View with renderer 'none' → SVG → @resvg/resvg-js → PNG, shown in the Adaptive Card
 * as a data: URI.
 *
 * Why a worker thread: vega and vega-lite 6 are ESM-only and this project compiles to CommonJS;
 * a real `import()` works in Node but not inside jest's module sandbox, whereas a worker is a plain
 * Node context everywhere. It also keeps the rendering (a few tens of milliseconds of CPU, ~0.3 s
 * for the first load) off the event loop that answers people, crisis turns included. One worker is
 * kept while charts are being asked for and ended after `idleMs`; it never keeps the process alive
 * when idle. A render that overruns `timeoutMs` ends the worker (the next render starts a new one).
 *
 * The spec carries inline numbers and dates only (no URLs), and the worker's data loader refuses
 * any external load anyway. Teams limits a message to about 28 KB: images above `maxBytes` are
 * dropped (the card keeps the numbers).
 */
import { Worker } from 'node:worker_threads';

export interface ChartPoint {
  readonly at: string;
  readonly value: number;
}

export interface TrendChartInput {
  /** Questionnaire scores, one line each (left axis). */
  readonly measures: readonly { readonly label: string; readonly points: readonly ChartPoint[]; readonly maxScore?: number }[];
  /** Confidence 0–10 (right axis, dashed). */
  readonly confidence?: { readonly label: string; readonly points: readonly ChartPoint[] };
  readonly labels: { readonly scoreAxis: string; readonly confidenceAxis: string };
  /** 'fr-CA' (default) or 'en-CA': month names on the time axis. */
  readonly locale?: string;
  readonly width?: number;
  readonly height?: number;
}

export interface ChartImage {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly dataUri: string;
}

export const DEFAULT_CHART_WIDTH = 480;
export const DEFAULT_CHART_HEIGHT = 200;
/** ≈ 16 KB once in base64: leaves room for the rest of the card under Teams' ~28 KB message limit. */
export const DEFAULT_MAX_PNG_BYTES = 12_000;

const SCORE_COLORS = ['#1f5fa8', '#c0392b', '#2e8b57', '#8e44ad', '#d35400'];
const CONFIDENCE_COLOR = '#6b6b6b';

const FR_TIME_LOCALE = {
  dateTime: '%A %e %B %Y à %X',
  date: '%Y-%m-%d',
  time: '%H:%M:%S',
  periods: ['AM', 'PM'],
  days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
  months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  shortMonths: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
};

/**
 * The Vega-Lite spec of the chart, or undefined when there is nothing to draw. Scores on the left
 * axis (0 to the largest instrument maximum), confidence on the right (0–10, dashed), dates below,
 * legend at the bottom. `autosize: fit` makes the whole image exactly width × height.
 */
export function buildTrendChartSpec(input: TrendChartInput): Record<string, unknown> | undefined {
  const width = clampSize(input.width, DEFAULT_CHART_WIDTH, 160, 1200);
  const height = clampSize(input.height, DEFAULT_CHART_HEIGHT, 100, 800);
  const rows: { t: string; s: string; v: number; k: 'score' | 'conf' }[] = [];
  const scoreLabels: string[] = [];
  let scoreMax = 0;
  for (const series of input.measures) {
    const points = cleanPoints(series.points);
    if (!points.length) continue;
    scoreLabels.push(series.label);
    for (const p of points) rows.push({ t: p.at, s: series.label, v: p.value, k: 'score' });
    scoreMax = Math.max(scoreMax, series.maxScore ?? 0, ...points.map((p) => p.value));
  }
  const confidencePoints = cleanPoints(input.confidence?.points ?? []);
  const confidenceLabel = input.confidence?.label ?? '';
  for (const p of confidencePoints) rows.push({ t: p.at, s: confidenceLabel, v: p.value, k: 'conf' });
  if (!rows.length) return undefined;

  const french = !/^en\b/i.test(input.locale ?? 'fr-CA');
  const x = { field: 't', type: 'temporal', title: null, axis: { format: french ? '%e %b' : '%b %e', tickCount: 5, grid: false, labelFlush: true } };
  const domain = [...scoreLabels, ...(confidencePoints.length ? [confidenceLabel] : [])];
  const range = [...scoreLabels.map((_, i) => SCORE_COLORS[i % SCORE_COLORS.length]), ...(confidencePoints.length ? [CONFIDENCE_COLOR] : [])];
  const color = { field: 's', type: 'nominal', title: null, scale: { domain, range }, legend: { orient: 'bottom', direction: 'horizontal', symbolSize: 50 } };
  const layers: Record<string, unknown>[] = [];
  if (scoreLabels.length) {
    layers.push({
      transform: [{ filter: { field: 'k', equal: 'score' } }],
      mark: { type: 'line', point: { size: 16 }, strokeWidth: 2 },
      encoding: { x, y: { field: 'v', type: 'quantitative', title: input.labels.scoreAxis, scale: { domain: [0, Math.ceil(scoreMax) || 1], nice: false }, axis: { tickCount: 4 } }, color },
    });
  }
  if (confidencePoints.length) {
    layers.push({
      transform: [{ filter: { field: 'k', equal: 'conf' } }],
      mark: { type: 'line', point: { size: 16 }, strokeWidth: 1.5, strokeDash: [4, 3] },
      encoding: {
        x,
        y: { field: 'v', type: 'quantitative', title: input.labels.confidenceAxis, scale: { domain: [0, 10], nice: false }, axis: { orient: scoreLabels.length ? 'right' : 'left', tickCount: 3 } },
        color,
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 6,
    background: '#ffffff',
    config: {
      font: 'sans-serif',
      view: { stroke: null },
      axis: { labelFontSize: 9, titleFontSize: 9, labelColor: '#333333', titleColor: '#333333', domainColor: '#999999', tickColor: '#999999', gridColor: '#eeeeee' },
      legend: { labelFontSize: 9, labelColor: '#333333' },
      ...(french ? { locale: { time: FR_TIME_LOCALE } } : {}),
    },
    data: { values: rows },
    layer: layers,
    ...(layers.length > 1 ? { resolve: { scale: { y: 'independent' } } } : {}),
  };
}

function cleanPoints(points: readonly ChartPoint[]): ChartPoint[] {
  return points
    .filter((p) => p && Number.isFinite(p.value) && !Number.isNaN(Date.parse(p.at)))
    .map((p) => ({ at: new Date(Date.parse(p.at)).toISOString(), value: p.value }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

function clampSize(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

// ---------------------------------------------------------------------------------------------
// Rendering in a worker thread

export interface ChartRendererOptions {
  /** The worker ends after this long without a render. Default 60 s. */
  readonly idleMs?: number;
  /** A render taking longer ends the worker and fails. Default 20 s (the first one loads vega). */
  readonly timeoutMs?: number;
  /** Font family for every text of the chart (resvg loads the system fonts). Default 'DejaVu Sans'. */
  readonly fontFamily?: string;
  /** Extra font files (e.g. a TTF shipped with the app where the host has no fonts). */
  readonly fontFiles?: readonly string[];
  /** Where vega, vega-lite and @resvg/resvg-js are resolved from. Default: this module. */
  readonly resolveFrom?: string;
}

export class ChartRenderError extends Error {
  override readonly name = 'ChartRenderError';
}

interface Pending {
  readonly resolve: (value: { png: Buffer; width: number; height: number }) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Plain JavaScript run by the worker (it cannot load TypeScript under jest). Modules are resolved
 * from `workerData.base` and the ESM ones loaded with a real dynamic import by absolute file URL.
 * Errors go back as their kind only.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const req = createRequire(workerData.base);
const zlib = require('node:zlib');
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; CRC_TABLE[n] = c; }
function crc32(buf) { let c = -1; for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 255] ^ (c >>> 8); return (c ^ -1) >>> 0; }
function chunk(type, data) {
  const head = Buffer.alloc(4); head.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const tail = Buffer.alloc(4); tail.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head, body, tail]);
}
// A chart has few colours (≈250 with anti-aliasing): an indexed PNG holds them exactly in about
// half the bytes of resvg's RGBA one. More than 256 colours: undefined (the RGBA PNG is used).
function indexedPng(rgba, width, height) {
  const pixels = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length);
  if (pixels.length !== width * height * 4) return undefined;
  const palette = new Map();
  const index = Buffer.alloc(width * height);
  for (let i = 0, j = 0; i < pixels.length; i += 4, j++) {
    const key = pixels.readUInt32BE(i);
    let n = palette.get(key);
    if (n === undefined) { if (palette.size === 256) return undefined; n = palette.size; palette.set(key, n); }
    index[j] = n;
  }
  const plte = Buffer.alloc(palette.size * 3);
  const trns = Buffer.alloc(palette.size);
  let transparent = false;
  for (const [key, n] of palette) {
    plte[n * 3] = key >>> 24; plte[n * 3 + 1] = (key >>> 16) & 255; plte[n * 3 + 2] = (key >>> 8) & 255;
    trns[n] = key & 255; if ((key & 255) !== 255) transparent = true;
  }
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) index.copy(raw, y * (width + 1) + 1, y * width, (y + 1) * width);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 3;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), ...(transparent ? [chunk('tRNS', trns)] : []),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
let libs;
async function load() {
  if (!libs) {
    const [vega, vl] = await Promise.all([
      import(pathToFileURL(req.resolve('vega')).href),
      import(pathToFileURL(req.resolve('vega-lite')).href),
    ]);
    const { Resvg } = req('@resvg/resvg-js');
    libs = { vega, vl, Resvg };
  }
  return libs;
}
parentPort.on('message', async (msg) => {
  try {
    const { vega, vl, Resvg } = await load();
    const compiled = vl.compile(msg.spec).spec;
    const loader = vega.loader();
    loader.load = loader.sanitize = async () => { throw new Error('external data refused'); };
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
    let svg;
    try { svg = await view.toSVG(); } finally { view.finalize(); }
    const font = { loadSystemFonts: true, defaultFontFamily: msg.fontFamily, sansSerifFamily: msg.fontFamily };
    if (msg.fontFiles && msg.fontFiles.length) font.fontFiles = msg.fontFiles;
    const rendered = new Resvg(svg, { fitTo: { mode: 'original' }, background: '#ffffff', font }).render();
    const indexed = indexedPng(rendered.pixels, rendered.width, rendered.height);
    const full = indexed ? undefined : Buffer.from(rendered.asPng());
    const png = indexed || full;
    parentPort.postMessage({ id: msg.id, ok: true, png, width: rendered.width, height: rendered.height });
  } catch (error) {
    parentPort.postMessage({ id: msg.id, ok: false, kind: (error && error.name) || 'Error' });
  }
});
`;

export class ChartRenderer {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private readonly timeoutMs: number;
  private readonly fontFamily: string;
  private readonly fontFiles: readonly string[];
  private readonly resolveFrom: string;

  constructor(options: ChartRendererOptions = {}) {
    this.idleMs = options.idleMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.fontFamily = options.fontFamily ?? 'DejaVu Sans';
    this.fontFiles = options.fontFiles ?? [];
    this.resolveFrom = options.resolveFrom ?? __filename;
  }

  /** Renders a Vega-Lite spec to PNG. Rejects with ChartRenderError (kind only) on any failure. */
  render(spec: Record<string, unknown>): Promise<{ png: Buffer; width: number; height: number }> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    worker.ref(); // a render in progress keeps the process alive; an idle worker does not
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new ChartRenderError('chart render timed out'));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, spec, fontFamily: this.fontFamily, fontFiles: [...this.fontFiles] });
    });
  }

  /** Ends the worker; pending renders fail. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const worker = this.worker;
    this.fail(new ChartRenderError('chart renderer closed'), false);
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { base: this.resolveFrom },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: true,
      stderr: true,
    });
    // Nothing the worker prints is ours to pass on (it could only be library warnings).
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (message: { id: number; ok: boolean; png?: Uint8Array; width?: number; height?: number; kind?: string }) => {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok && message.png) entry.resolve({ png: Buffer.from(message.png), width: message.width ?? 0, height: message.height ?? 0 });
      else entry.reject(new ChartRenderError(`chart render failed (${String(message.kind ?? 'Error').slice(0, 40)})`));
      this.settleIdle();
    });
    worker.on('error', () => {
      if (this.worker === worker) this.fail(new ChartRenderError('chart worker failed'), false);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.fail(new ChartRenderError('chart worker exited'), false);
    });
    this.worker = worker;
    return worker;
  }

  private settleIdle(): void {
    if (this.pending.size > 0 || !this.worker) return;
    this.worker.unref();
    const worker = this.worker;
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = undefined;
        void worker.terminate();
      }
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Fails every pending render and drops the worker (terminated unless it is already gone). */
  private fail(error: Error, terminate = true): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.reject(error);
    }
    if (worker && terminate) void worker.terminate();
  }
}

let sharedRenderer: ChartRenderer | undefined;

/** One renderer per process (its worker comes and goes with use). */
export function sharedChartRenderer(): ChartRenderer {
  sharedRenderer ??= new ChartRenderer();
  return sharedRenderer;
}

/**
 * The chart as a PNG and a data: URI, or undefined when there is nothing to draw or the image is
 * larger than `maxBytes`. Rendering errors are thrown (ChartRenderError): callers show the card
 * without the image.
 */
export async function renderTrendChart(
  input: TrendChartInput,
  options: { readonly renderer?: ChartRenderer; readonly maxBytes?: number } = {},
): Promise<ChartImage | undefined> {
  const spec = buildTrendChartSpec(input);
  if (!spec) return undefined;
  const { png, width, height } = await (options.renderer ?? sharedChartRenderer()).render(spec);
  if (png.length > (options.maxBytes ?? DEFAULT_MAX_PNG_BYTES)) return undefined;
  return { png, width, height, bytes: png.length, dataUri: `data:image/png;base64,${png.toString('base64')}` };
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
