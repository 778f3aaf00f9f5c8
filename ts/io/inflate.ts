/**
 * Inflating a zip entry's deflate data without trusting the size its header declares: the
 * output is read as it streams out of the platform's `DecompressionStream` and reading stops
 * as soon as it passes the declared size, so a 1 MB entry claiming 100 bytes costs 100 bytes
 * (and a chunk), not the gigabyte it would inflate to.
 *
 * Where the platform lacks `"deflate-raw"` (Node 18, browsers before 2023) the same raw data
 * goes through `"gzip"`, which every DecompressionStream has, wrapped in a gzip member whose
 * trailer carries the CRC-32 and size the zip entry records (RFC 1952); bounded the same way.
 */

/** The data an entry inflates to, or undefined when it would be more than `limit` bytes. */
export async function inflateAtMost(compressed: Uint8Array, limit: number, crc32: number): Promise<Uint8Array | undefined> {
  if (typeof DecompressionStream !== "function") {
    throw new Error("this platform has no DecompressionStream to inflate with (numpy.savez, unlike savez_compressed, writes stored entries)");
  }
  const raw = hasDeflateRaw();
  // A copy either way: Blob takes only ArrayBuffer-backed views (not SharedArrayBuffer ones).
  const input = raw ? compressed.slice() : asGzip(compressed, crc32, limit);
  const reader = new Blob([input]).stream().pipeThrough(new DecompressionStream(raw ? "deflate-raw" : "gzip")).getReader();
  // Grown as output arrives (never beyond `limit`), so a size declared but not delivered costs nothing.
  let out = new Uint8Array(Math.min(limit, 1 << 16));
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out.subarray(0, length);
      if (value.length > limit - length) return undefined;
      if (length + value.length > out.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(2 * out.length, length + value.length)));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(value, length);
      length += value.length;
    }
  } finally {
    // Stops the decompressor (a no-op once it is done; it may reject once it has failed).
    await reader.cancel().catch(() => {});
  }
}

/** Whether this platform's DecompressionStream reads raw deflate data (asked each time: it is cheap). */
function hasDeflateRaw(): boolean {
  try {
    new DecompressionStream("deflate-raw");
    return true;
  } catch {
    return false;
  }
}

/** Raw deflate data as a gzip member: a 10-byte header (no name, no time), the data, CRC-32 and size. */
function asGzip(compressed: Uint8Array, crc32: number, size: number): Uint8Array<ArrayBuffer> {
  const member = new Uint8Array(10 + compressed.length + 8);
  member.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  member.set(compressed, 10);
  const trailer = new DataView(member.buffer, 10 + compressed.length);
  trailer.setUint32(0, crc32, true);
  trailer.setUint32(4, size >>> 0, true);
  return member;
}
