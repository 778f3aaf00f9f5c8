/**
 * Just enough of the zip format for `.npz` files: list an archive's entries from its central
 * directory, read stored and deflated entries (inflate.ts), check their CRC-32, and write
 * stored archives as `numpy.savez` does. Zip64 archives (over 4 GiB) are not read.
 *
 * An archive is checked whole before any entry is read: every entry's local header must be
 * there and name the same file, and no two entries may share bytes, as Python's zipfile
 * refuses them ("Overlapped entries"): overlapping entries are how a small archive can hold
 * many copies of one huge compressed stream.
 *
 * The format: PKWARE's APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory
 * header) and 4.3.16 (end of central directory record).
 */
import { excerpt } from "../options.js";
import { inflateAtMost } from "./inflate.js";
import { fileError } from "./source.js";

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  /** The uncompressed size the central directory declares. */
  size: number;
  /** Where the entry's local header starts. */
  localHeaderOffset: number;
  /** Where its (compressed) data starts, after the local header. */
  dataOffset: number;
}

/**
 * The entries of a zip archive, in the order of its central directory, each checked against
 * its local header and against the others.
 * @throws {IOError} not a zip archive, a zip64, multi-disk or encrypted archive, a truncated
 *   one, names that differ between the headers, overlapping entries.
 */
export function listZipEntries(op: string, bytes: Uint8Array, file: string | undefined): ZipEntry[] {
  const fail = (what: string) => fileError(op, file, what);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes, unless the archive has a comment (at most 65535 bytes).
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) {
    throw fail(bytes.length >= 4 && view.getUint32(0, true) === LOCAL_HEADER
      ? "truncated zip archive: its end of central directory record is missing"
      : "not a zip archive (an .npz file is one): no end of central directory record");
  }
  const count = view.getUint16(end + 10, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw fail("zip64 archives (over 4 GiB or 65535 entries) are not supported");
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0 || view.getUint16(end + 8, true) !== count) {
    throw fail("multi-disk zip archives are not supported");
  }

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL_HEADER) throw fail(`corrupt zip archive: central directory entry ${i} is missing`);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > end) throw fail(`corrupt zip archive: central directory entry ${i} runs past the directory's end`);
    const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = new TextDecoder("utf-8").decode(rawName);
    const entryFail = (what: string) => fail(`${excerpt(name)}: ${what}`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const localHeaderOffset = view.getUint32(at + 42, true);
    if (flags & 1) throw entryFail("encrypted zip entries are not supported");
    if ([compressedSize, size, localHeaderOffset].includes(0xffffffff)) throw entryFail("zip64 entries (over 4 GiB) are not supported");

    const local = localHeaderOffset;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_HEADER) throw entryFail("corrupt zip archive: the entry's local header is missing");
    const localNameLength = view.getUint16(local + 26, true);
    const dataOffset = local + 30 + localNameLength + view.getUint16(local + 28, true);
    const localName = bytes.subarray(local + 30, Math.min(bytes.length, local + 30 + localNameLength));
    if (localName.length !== rawName.length || localName.some((b, k) => b !== rawName[k])) {
      // Python's zipfile: "File name in directory … and header … differ."
      throw entryFail(`corrupt zip archive: the name in its local header ('${excerpt(new TextDecoder("utf-8").decode(localName))}') differs from the central directory's`);
    }
    if (dataOffset + compressedSize > bytes.length) {
      throw entryFail(`truncated zip entry: it needs ${compressedSize} bytes, the archive has ${Math.max(0, bytes.length - dataOffset)}`);
    }
    if (method === STORED && compressedSize !== size) throw entryFail(`corrupt zip entry: it holds ${compressedSize} bytes, its header says ${size}`);
    entries.push({ name, method, crc32: view.getUint32(at + 16, true), compressedSize, size, localHeaderOffset, dataOffset });
    at = next;
  }

  // Each entry's header and data end before the next entry's local header (the last one's
  // before the central directory), in the order they lie in the archive.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  byOffset.forEach((entry, k) => {
    const limit = k + 1 < byOffset.length ? byOffset[k + 1]!.localHeaderOffset : directoryOffset;
    if (entry.dataOffset + entry.compressedSize > limit) throw fail(`Overlapped entries: '${excerpt(entry.name)}' (possible zip bomb)`);
  });
  return entries;
}

/**
 * The uncompressed bytes of one entry, checked against its size and CRC-32; inflating stops as
 * soon as the output passes the declared size.
 * @throws {IOError} an unsupported compression method, corrupt data, more or fewer bytes than declared.
 */
export async function readZipEntry(op: string, bytes: Uint8Array, entry: ZipEntry, file: string | undefined): Promise<Uint8Array> {
  const fail = (what: string) => fileError(op, file, `${excerpt(entry.name)}: ${what}`);
  const compressed = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);

  let data: Uint8Array | undefined;
  if (entry.method === STORED) {
    data = compressed;
  } else if (entry.method === DEFLATED) {
    try {
      data = await inflateAtMost(compressed, entry.size, entry.crc32);
    } catch (error) {
      throw fail(`corrupt deflate data (${excerpt((error as Error).message, 200)})`);
    }
    if (data === undefined) throw fail(`corrupt zip entry: it inflates to more than the ${entry.size} bytes its header says (possible zip bomb)`);
  } else {
    throw fail(`compression method ${entry.method} is not supported; readNpz reads stored (0) and deflated (8) entries`);
  }
  if (data.length !== entry.size) throw fail(`corrupt zip entry: it holds ${data.length} bytes, its header says ${entry.size}`);
  if (crc32(data) !== entry.crc32) throw fail("corrupt zip entry: its CRC-32 does not match its data");
  return data;
}

/** A zip archive of stored (uncompressed) entries, as `numpy.savez` writes (without its zip64 extras). */
export function writeZip(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const encoded = entries.map(({ name, data }) => ({ name: new TextEncoder().encode(name), data, crc: crc32(data) }));
  const localSize = encoded.reduce((n, e) => n + 30 + e.name.length + e.data.length, 0);
  const centralSize = encoded.reduce((n, e) => n + 46 + e.name.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  // Fields shared by the local and the central header, from "version needed" to the name's length.
  // Dates are 1980-01-01 00:00 (DOS time 0, date 0x21) so the same arrays give the same bytes.
  const common = (at: number, e: (typeof encoded)[number]) => {
    view.setUint16(at, 20, true); // version needed: 2.0
    view.setUint16(at + 2, 0x0800, true); // flags: the name is UTF-8
    view.setUint16(at + 4, STORED, true);
    view.setUint16(at + 6, 0, true);
    view.setUint16(at + 8, 0x21, true);
    view.setUint32(at + 10, e.crc, true);
    view.setUint32(at + 14, e.data.length, true);
    view.setUint32(at + 18, e.data.length, true);
    view.setUint16(at + 22, e.name.length, true);
  };
  const offsets: number[] = [];
  let at = 0;
  for (const e of encoded) {
    offsets.push(at);
    view.setUint32(at, LOCAL_HEADER, true);
    common(at + 4, e);
    out.set(e.name, at + 30);
    out.set(e.data, at + 30 + e.name.length);
    at += 30 + e.name.length + e.data.length;
  }
  encoded.forEach((e, i) => {
    view.setUint32(at, CENTRAL_HEADER, true);
    view.setUint16(at + 4, 20, true); // version made by: 2.0
    common(at + 6, e);
    view.setUint32(at + 42, offsets[i]!, true); // (extra, comment, disk, attributes: 0)
    out.set(e.name, at + 46);
    at += 46 + e.name.length;
  });
  view.setUint32(at, END_OF_CENTRAL_DIRECTORY, true);
  view.setUint16(at + 8, encoded.length, true);
  view.setUint16(at + 10, encoded.length, true);
  view.setUint32(at + 12, centralSize, true);
  view.setUint32(at + 16, localSize, true);
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zip stores it. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of data) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
