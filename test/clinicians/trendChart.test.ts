/**
 * The trend chart: the Vega-Lite spec (pure) and the real rendering (vega in a worker thread →
 * SVG → resvg → PNG): a valid PNG of the asked size, small enough for a Teams card.
 */
import { inflateSync } from 'node:zlib';
import {
  buildTrendChartSpec,
  ChartRenderer,
  ChartRenderError,
  DEFAULT_MAX_PNG_BYTES,
  PNG_SIGNATURE,
  pngSize,
  renderTrendChart,
  type TrendChartInput,
} from '../../adapters/charts/trendChart';

const input: TrendChartInput = {
  locale: 'fr-CA',
  labels: { scoreAxis: 'Score', confidenceAxis: 'Motivation (0–10)' },
  measures: [
    { label: 'PHQ-9', maxScore: 27, points: [{ at: '2025-01-06', value: 19 }, { at: '2025-01-20', value: 15 }, { at: '2025-02-03', value: 12 }, { at: '2025-02-17', value: 9 }] },
    { label: 'GAD-7', maxScore: 21, points: [{ at: '2025-01-06', value: 14 }, { at: '2025-02-17', value: 8 }] },
    { label: 'WSAS', maxScore: 40, points: [{ at: '2025-01-06', value: 25 }, { at: '2025-02-17', value: 18 }] },
  ],
  confidence: { label: 'Motivation', points: [{ at: '2025-01-08', value: 5 }, { at: '2025-01-29', value: 7 }, { at: '2025-02-12', value: 8 }] },
};

/** Walks the PNG chunks, checking every CRC, and inflates the image data. */
function readPng(png: Buffer): { chunks: string[]; width: number; height: number; colorType: number; raw: Buffer } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let offset = 8;
  let ihdr: Buffer = Buffer.alloc(0);
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc(png.subarray(offset + 4, offset + 8 + length)));
    chunks.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  return { chunks, width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), colorType: ihdr[9], raw: inflateSync(Buffer.concat(idat)) };
}

describe('the chart spec', () => {
  it('puts scores on the left (0 to the largest maximum), motivation dashed on the right, in French', () => {
    const spec = buildTrendChartSpec(input) as Record<string, any>;
    expect(spec).toMatchObject({ width: 480, height: 200, autosize: { type: 'fit', contains: 'padding' }, resolve: { scale: { y: 'independent' } } });
    expect(spec.layer).toHaveLength(2);
    expect(spec.layer[0].encoding.y).toMatchObject({ title: 'Score', scale: { domain: [0, 40] } });
    expect(spec.layer[1].encoding.y).toMatchObject({ title: 'Motivation (0–10)', scale: { domain: [0, 10] }, axis: { orient: 'right' } });
    expect(spec.layer[1].mark.strokeDash).toEqual([4, 3]);
    expect(spec.layer[0].encoding.color.scale.domain).toEqual(['PHQ-9', 'GAD-7', 'WSAS', 'Motivation']);
    expect(spec.config.locale.time.shortMonths[1]).toBe('févr.');
    expect(spec.data.values).toHaveLength(11);
    expect(JSON.stringify(spec)).not.toMatch(/"url"/); // inline data only
  });

  it('draws what there is, and nothing when there is nothing', () => {
    const onlyMotivation = buildTrendChartSpec({ ...input, measures: [], locale: 'en-CA' }) as Record<string, any>;
    expect(onlyMotivation.layer).toHaveLength(1);
    expect(onlyMotivation.layer[0].encoding.y.axis.orient).toBe('left');
    expect(onlyMotivation.config.locale).toBeUndefined();
    expect(buildTrendChartSpec({ ...input, measures: [{ label: 'PHQ-9', points: [{ at: 'not a date', value: 3 }] }], confidence: undefined })).toBeUndefined();
    expect(buildTrendChartSpec({ ...input, width: 5000, height: 1 })).toMatchObject({ width: 1200, height: 100 });
  });
});

describe('rendering', () => {
  const renderer = new ChartRenderer();
  afterAll(() => renderer.close());

  it('makes a valid 480 × 200 PNG, small enough for a Teams card', async () => {
    const image = await renderTrendChart(input, { renderer });
    expect(image).toBeDefined();
    const { png, width, height, bytes, dataUri } = image!;
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 480, height: 200 });
    expect({ width, height }).toEqual({ width: 480, height: 200 });
    expect(bytes).toBe(png.length);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_MAX_PNG_BYTES);
    expect(dataUri).toBe(`data:image/png;base64,${png.toString('base64')}`);
    const decoded = readPng(png);
    expect(decoded.chunks[0]).toBe('IHDR');
    expect(decoded.chunks.at(-1)).toBe('IEND');
    expect(decoded.colorType).toBe(3); // indexed colours
    expect(decoded.raw.length).toBe(200 * (480 + 1)); // one filter byte + one index per pixel, per row
  });

  it('renders several charts with one worker, and other sizes', async () => {
    const [a, b] = await Promise.all([
      renderTrendChart({ ...input, locale: 'en-CA' }, { renderer }),
      renderTrendChart({ ...input, width: 320, height: 160 }, { renderer }),
    ]);
    expect(pngSize(a!.png)).toEqual({ width: 480, height: 200 });
    expect(pngSize(b!.png)).toEqual({ width: 320, height: 160 });
  });

  it('drops an image above the size limit, and renders nothing for no data', async () => {
    expect(await renderTrendChart(input, { renderer, maxBytes: 100 })).toBeUndefined();
    expect(await renderTrendChart({ ...input, measures: [], confidence: undefined }, { renderer })).toBeUndefined();
  });

  it('fails cleanly on a broken spec or a timeout, and recovers', async () => {
    await expect(renderer.render({ mark: 'no-such-mark', data: { values: [] } })).rejects.toThrow(ChartRenderError);
    const slow = new ChartRenderer({ timeoutMs: 1 });
    await expect(slow.render(buildTrendChartSpec(input)!)).rejects.toThrow(/timed out/);
    await slow.close();
    const image = await renderTrendChart(input, { renderer });
    expect(pngSize(image!.png)).toEqual({ width: 480, height: 200 });
  });

  it('rejects pending renders when closed', async () => {
    const closing = new ChartRenderer();
    const pending = expect(closing.render(buildTrendChartSpec(input)!)).rejects.toThrow(/closed/);
    await closing.close();
    await pending;
  });

  it('reads PNG sizes and refuses other bytes', () => {
    expect(pngSize(Buffer.from('not a png at all, really not'))).toBeUndefined();
  });
});
