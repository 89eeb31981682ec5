#!/usr/bin/env node
'use strict';
/**
 * Regenerates the Teams icons from their SVG sources (run after editing an SVG, then commit the PNGs):
 *
 *   node teams/make-icons.js
 *
 * - teams/color.svg   -> teams/color.png   192x192, full colour
 * - teams/outline.svg -> teams/outline.png  32x32, white on transparent (Teams rejects other colours)
 *
 * @resvg/resvg-js renders the SVG; the PNG is encoded here from its pixels so that the outline icon is
 * exactly white (only the alpha channel varies at anti-aliased edges) and the output is byte-stable.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { deflateSync } = require('node:zlib');
const { crc32 } = require('../scripts/crc32');

const ICONS = [
  { source: 'color.svg', target: 'color.png', size: 192, whiteOnly: false },
  { source: 'outline.svg', target: 'outline.png', size: 32, whiteOnly: true },
];

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA (straight alpha), 8 bits per channel, no interlace, filter 0 on every row. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** resvg gives premultiplied RGBA; PNG wants straight alpha. */
function straightAlpha(premultiplied, whiteOnly) {
  const out = Buffer.alloc(premultiplied.length);
  for (let i = 0; i < premultiplied.length; i += 4) {
    const alpha = premultiplied[i + 3];
    if (alpha === 0) continue; // fully transparent: 0,0,0,0
    for (let c = 0; c < 3; c++) {
      out[i + c] = whiteOnly ? 255 : Math.min(255, Math.round((premultiplied[i + c] * 255) / alpha));
    }
    out[i + 3] = alpha;
  }
  return out;
}

function main() {
  const { Resvg } = require('@resvg/resvg-js');
  for (const icon of ICONS) {
    const svg = readFileSync(join(__dirname, icon.source), 'utf8');
    const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: icon.size }, background: 'rgba(0,0,0,0)' }).render();
    if (rendered.width !== icon.size || rendered.height !== icon.size) {
      throw new Error(`${icon.source} rendered at ${rendered.width}x${rendered.height}, expected ${icon.size}x${icon.size}`);
    }
    const png = encodePng(icon.size, icon.size, straightAlpha(Buffer.from(rendered.pixels), icon.whiteOnly));
    writeFileSync(join(__dirname, icon.target), png);
    process.stdout.write(`teams/${icon.target}: ${icon.size}x${icon.size}, ${png.length} bytes\n`);
  }
}

if (require.main === module) main();

module.exports = { encodePng, crc32 };
