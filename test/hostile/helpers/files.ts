/**
 * Hostile files, built byte by byte: .npy files with any header text, zip archives whose
 * headers say whatever a test wants, deflate bombs, and a DecompressionStream that counts what
 * it inflates.
 */
import { constants, deflateRawSync } from "node:zlib";
import { crc32 } from "../../../ts/io/zip.js";

/** A .npy file with `header` as its header text (padded as numpy pads it) and `data` after it. */
export function npyFile(header: string, data: Uint8Array = new Uint8Array(0), version: 1 | 2 | 3 = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const prefix = version === 1 ? 10 : 12;
  const length = text.length + 1 + ((64 - ((prefix + text.length + 1) % 64)) % 64);
  const out = new Uint8Array(prefix + length + data.length);
  const view = new DataView(out.buffer);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) view.setUint16(8, length, true);
  else view.setUint32(8, length, true);
  out.fill(0x20, prefix, prefix + length - 1);
  out.set(text, prefix);
  out[prefix + length - 1] = 0x0a;
  out.set(data, prefix + length);
  return out;
}

/** numpy's header dict for `descr`, `shape` (Python text, as `(2, 3)`) and `fortran_order`. */
export function npyHeader(descr: string, shape: string, fortran = "False"): string {
  return `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
}

export interface LocalEntry {
  name: string;
  /** The bytes as stored in the archive (compressed for method 8). */
  body: Uint8Array;
  method?: 0 | 8;
  /** CRC-32 of the uncompressed data; that of `body` unless said. */
  crc?: number;
  /** Declared uncompressed size; `body.length` unless said. */
  size?: number;
}

export interface CentralEntry {
  /** Which local entry (index into the locals) this central record points at. */
  local: number;
  /** Overrides of what the central record says. */
  name?: string;
  size?: number;
  compressedSize?: number;
}

/**
 * A zip archive: the local entries in order, then a central directory of `central` records
 * (one per local entry, as they are, unless given), then the end record.
 */
export function zipArchive(locals: LocalEntry[], central?: CentralEntry[]): Uint8Array {
  const enc = (s: string) => new TextEncoder().encode(s);
  const records: CentralEntry[] = central ?? locals.map((_, local) => ({ local }));
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  const facts = locals.map((e) => ({ name: enc(e.name), method: e.method ?? 0, crc: e.crc ?? crc32(e.body), size: e.size ?? e.body.length, compressedSize: e.body.length }));
  locals.forEach((e, i) => {
    const f = facts[i]!;
    const header = new Uint8Array(30 + f.name.length);
    const v = new DataView(header.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(8, f.method, true);
    v.setUint32(14, f.crc, true);
    v.setUint32(18, f.compressedSize, true);
    v.setUint32(22, f.size, true);
    v.setUint16(26, f.name.length, true);
    header.set(f.name, 30);
    offsets.push(at);
    parts.push(header, e.body);
    at += header.length + e.body.length;
  });
  const directoryOffset = at;
  for (const r of records) {
    const f = facts[r.local]!;
    const name = r.name === undefined ? f.name : enc(r.name);
    const record = new Uint8Array(46 + name.length);
    const v = new DataView(record.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, 20, true);
    v.setUint16(10, f.method, true);
    v.setUint32(16, f.crc, true);
    v.setUint32(20, r.compressedSize ?? f.compressedSize, true);
    v.setUint32(24, r.size ?? f.size, true);
    v.setUint16(28, name.length, true);
    v.setUint32(42, offsets[r.local]!, true);
    record.set(name, 46);
    parts.push(record);
    at += record.length;
  }
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, records.length, true);
  v.setUint16(10, records.length, true);
  v.setUint32(12, at - directoryOffset, true);
  v.setUint32(16, directoryOffset, true);
  parts.push(end);
  const out = new Uint8Array(at + 22);
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

/** A deflated local entry holding `data`, with its true CRC and size. */
export function deflated(name: string, data: Uint8Array): LocalEntry {
  return { name, body: deflateRawSync(data), method: 8, crc: crc32(data), size: data.length };
}

/**
 * Raw deflate data of `mebibytes` MiB of zeros, about 1 KB per MiB, made without inflating
 * anything: a 4 MiB segment ending in a full flush (so it needs nothing before it) repeated,
 * then a final empty block.
 */
export function zeroBomb(mebibytes: number): Uint8Array {
  const segment = deflateRawSync(new Uint8Array(4 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  const tail = deflateRawSync(new Uint8Array(0));
  const copies = Math.ceil(mebibytes / 4);
  const out = new Uint8Array(segment.length * copies + tail.length);
  for (let i = 0; i < copies; i++) out.set(segment, i * segment.length);
  out.set(tail, segment.length * copies);
  return out;
}

/**
 * Replaces the global DecompressionStream, for the duration of `fn`, by one that counts the
 * bytes it inflates (as they leave it, before anyone reads them); `gzipOnly` also refuses
 * "deflate-raw", as Node 18's does.
 */
export async function countingInflation<T>(gzipOnly: boolean, fn: () => Promise<T>): Promise<{ inflated: number; formats: string[]; result: T | Error }> {
  const native = globalThis.DecompressionStream;
  const seen = { inflated: 0, formats: [] as string[] };
  class Counting extends native {
    constructor(format: CompressionFormat) {
      if (gzipOnly && format === "deflate-raw") throw new TypeError(`The argument 'format' is invalid. Received '${format}'`);
      super(format);
      seen.formats.push(format);
      const counted = super.readable.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            seen.inflated += chunk.length;
            controller.enqueue(chunk);
          },
        }),
      );
      Object.defineProperty(this, "readable", { value: counted });
    }
  }
  globalThis.DecompressionStream = Counting;
  try {
    const result = await fn().catch((error: Error) => error);
    return { ...seen, result };
  } finally {
    globalThis.DecompressionStream = native;
  }
}
