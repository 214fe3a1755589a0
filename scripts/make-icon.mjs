// Draws the extension's icon (images/icon.png, 128×128): two pages joined by a link, written as a PNG with node alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SUPER = 4; // samples per pixel side: smooth edges without a drawing library
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');

const BACKGROUND = [0x1f, 0x3a, 0x5f];
const PAGE = [0xf7, 0xf4, 0xec];
const TEXT = [0xa9, 0xb4, 0xc2];
const LINK = [0xf2, 0x8c, 0x28];

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function nearSegment(x, y, [ax, ay], [bx, by], width) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= (width / 2) ** 2;
}

/** An outlined ring: one link of a chain. */
function ring(x, y, cx, cy, rx, ry, angle, thickness) {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const u = ((x - cx) * c + (y - cy) * s) / rx;
  const v = (-(x - cx) * s + (y - cy) * c) / ry;
  const d = Math.sqrt(u * u + v * v);
  return Math.abs(d - 1) * Math.min(rx, ry) <= thickness / 2;
}

const pages = [
  { x0: 14, y0: 12, x1: 66, y1: 80 },
  { x0: 62, y0: 48, x1: 114, y1: 116 },
];

/** The colour at a point (in pixel units), or undefined outside the rounded background. */
function colour(x, y) {
  if (!roundedRect(x, y, 0, 0, SIZE, SIZE, 24)) return undefined;
  let c = BACKGROUND;
  for (const p of pages) {
    if (roundedRect(x, y, p.x0, p.y0, p.x1, p.y1, 6)) {
      c = PAGE;
      for (let line = 0; line < 5; line++) {
        const ly = p.y0 + 14 + line * 10;
        const end = line === 4 ? p.x0 + 28 : p.x1 - 9;
        if (nearSegment(x, y, [p.x0 + 9, ly], [end, ly], 4)) c = TEXT;
      }
    }
  }
  // Two chain links across the gap between the pages.
  if (ring(x, y, 54, 72, 15, 8, -Math.PI / 4, 5.5) || ring(x, y, 74, 56, 15, 8, -Math.PI / 4, 5.5)) c = LINK;
  return c;
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SUPER; sy++) {
      for (let sx = 0; sx < SUPER; sx++) {
        const c = colour(px + (sx + 0.5) / SUPER, py + (sy + 0.5) / SUPER);
        if (!c) continue;
        sum[0] += c[0];
        sum[1] += c[1];
        sum[2] += c[2];
        sum[3] += 255;
      }
    }
    const n = SUPER * SUPER;
    const covered = sum[3] / 255;
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    raw[o] = covered ? Math.round(sum[0] / covered) : 0;
    raw[o + 1] = covered ? Math.round(sum[1] / covered) : 0;
    raw[o + 2] = covered ? Math.round(sum[2] / covered) : 0;
    raw[o + 3] = Math.round(sum[3] / n);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
