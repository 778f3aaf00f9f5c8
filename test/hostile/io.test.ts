/**
 * Hostile files for the readers: zip bombs and overlapping, duplicate or mislabelled zip
 * entries, `.npy` headers that are huge or say what numpy refuses, int64 values that round
 * twice, megabyte-long CSV cells and names, and a fuzz pass of mutated and truncated files.
 * Each read must give the right value or throw a typed NdError, quote at most a short excerpt
 * of the file, and leave `memory()` at its baseline.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../../ts/index.js";
import { crc32 } from "../../ts/io/zip.js";
import { loadAll } from "../helpers/backends.js";
import { countingInflation, deflated, npyFile, npyHeader, zeroBomb, zipArchive } from "./helpers/files.js";
import { expectNoLeakedArrays } from "../helpers/leaks.js";

beforeAll(loadAll);

const live = () => vz.memory().arrays;
expectNoLeakedArrays();

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/io/${name}`, import.meta.url)));
/** An error message quotes at most 40 characters of the file; the rest of the message is ours. */
const SHORT = 400;

/** The error `fn` throws (sync or async), checked to be a typed NdError with a short message. */
async function errorOf(fn: () => unknown): Promise<vz.NdError> {
  try {
    await fn();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(vz.NdError);
    expect((error as Error).message.length).toBeLessThan(SHORT);
    return error as vz.NdError;
  }
  throw new Error("no error thrown");
}

/** `f4` values 0, 1, 2, … as the bytes of a little-endian float32 array. */
const f4Data = (n: number) => new Uint8Array(Float32Array.from({ length: n }, (_, i) => i).buffer);
const small = () => npyFile(npyHeader("<f4", "(2,)"), f4Data(2));

describe("readNpz: zip bombs", () => {
  const GiB = 1024;

  it.each([false, true])("an entry declaring 100 bytes that inflates to 1 GiB stops near 100 bytes (gzip path: %s)", async (gzipOnly) => {
    const bomb = zipArchive([{ name: "X.npy", body: zeroBomb(GiB), method: 8, crc: 0, size: 100 }]);
    expect(bomb.length).toBeLessThan(2 << 20); // a 1 MB file
    const { inflated, formats, result } = await countingInflation(gzipOnly, () => vz.io.readNpz(bomb, { name: "bomb.npz" }));
    expect(formats).toContain(gzipOnly ? "gzip" : "deflate-raw");
    expect(result).toBeInstanceOf(vz.IOError);
    expect((result as Error).message).toBe("readNpz: bomb.npz: X.npy: corrupt zip entry: it inflates to more than the 100 bytes its header says (possible zip bomb)");
    // What left the decompressor: the declared 100 bytes and the chunks in flight, not 1 GiB.
    expect(inflated).toBeLessThan(1 << 20);
  });

  it("entries declaring more than maxBytes (2 GiB) in all are refused before anything is inflated", async () => {
    const big = [0, 1, 2].map((i) => ({ name: `a${i}.npy`, body: zeroBomb(4), method: 8 as const, crc: 0, size: 0x30000000 }));
    const { inflated, result } = await countingInflation(false, () => vz.io.readNpz(zipArchive(big), { name: "big.npz" }));
    expect(result).toBeInstanceOf(vz.IOError);
    expect((result as Error).message).toBe(
      "readNpz: big.npz: its arrays declare 2415919104 bytes uncompressed, more than maxBytes (2147483648); pass a larger maxBytes to read them",
    );
    expect(inflated).toBe(0);
    // maxBytes is the user's to set, both ways.
    const ones = vz.ones([10]);
    const zip = vz.io.writeNpz({ a: ones });
    ones.dispose();
    expect((await errorOf(() => vz.io.readNpz(zip, { maxBytes: 100 }))).message).toMatch(/declare 168 bytes uncompressed, more than maxBytes \(100\)/);
    const ok = await vz.io.readNpz(zip, { maxBytes: 168 });
    expect(ok["a"]!.toArray()).toEqual(new Array(10).fill(1));
    ok["a"]!.dispose();
    for (const maxBytes of [-1, 1.5, NaN, "1" as unknown as number]) {
      expect((await errorOf(() => vz.io.readNpz(zip, { maxBytes })))).toBeInstanceOf(vz.ValueError);
    }
  });

  it("an entry that inflates to less than it declares, or to other bytes, is corrupt", async () => {
    const data = npyFile(npyHeader("<f4", "(4,)"), f4Data(4));
    const short = { ...deflated("X.npy", data), size: data.length + 10 };
    expect((await errorOf(() => vz.io.readNpz(zipArchive([short])))).message).toBe(`readNpz: X.npy: corrupt zip entry: it holds ${data.length} bytes, its header says ${data.length + 10}`);
    const wrongCrc = { ...deflated("X.npy", data), crc: 1234 };
    expect((await errorOf(() => vz.io.readNpz(zipArchive([wrongCrc])))).message).toBe("readNpz: X.npy: corrupt zip entry: its CRC-32 does not match its data");
  });
});

describe("readNpz: archive structure", () => {
  const a = small();

  it("two central records for one local entry (same name): overlapped entries, as Python's zipfile says", async () => {
    const zip = zipArchive([{ name: "a.npy", body: a }], [{ local: 0 }, { local: 0 }]);
    const error = await errorOf(() => vz.io.readNpz(zip, { name: "o.npz" }));
    expect(error).toBeInstanceOf(vz.IOError);
    expect(error.message).toBe("readNpz: o.npz: Overlapped entries: 'a.npy' (possible zip bomb)");
  });

  it("an entry whose data runs into the next entry's header: overlapped entries", async () => {
    const locals = [{ name: "a.npy", body: a }, { name: "b.npy", body: a }];
    const plain = zipArchive(locals);
    const reach = 30 + 5 + a.length + 30 + 5 + a.length - (30 + 5); // a's data through the end of b's
    const zip = zipArchive(locals, [{ local: 0, compressedSize: reach, size: reach }, { local: 1 }]);
    const read = await vz.io.readNpz(plain);
    expect(Object.keys(read)).toEqual(["a", "b"]);
    for (const array of Object.values(read)) array.dispose();
    expect((await errorOf(() => vz.io.readNpz(zip))).message).toBe("readNpz: Overlapped entries: 'a.npy' (possible zip bomb)");
  });

  it("a local header that names another file than the central directory", async () => {
    const zip = zipArchive([{ name: "a.npy", body: a }], [{ local: 0, name: "b.npy" }]);
    expect((await errorOf(() => vz.io.readNpz(zip))).message).toBe(
      "readNpz: b.npy: corrupt zip archive: the name in its local header ('a.npy') differs from the central directory's",
    );
  });

  it("duplicate entry names are refused, and no array is left allocated", async () => {
    const zip = zipArchive([{ name: "a.npy", body: a }, { name: "a.npy", body: small() }]);
    const error = await errorOf(() => vz.io.readNpz(zip, { name: "d.npz" }));
    expect(error).toBeInstanceOf(vz.IOError);
    expect(error.message).toBe("readNpz: d.npz: duplicate entry 'a.npy'");
  });

  it("entries named __proto__, constructor and toString are ordinary keys of a prototype-less result", async () => {
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    const zip = zipArchive(names.map((name) => ({ name: `${name}.npy`, body: small() })));
    const result = await vz.io.readNpz(zip);
    try {
      expect(Object.getPrototypeOf(result)).toBe(null);
      expect(Object.keys(result)).toEqual(names);
      for (const name of names) {
        expect(Object.getOwnPropertyDescriptor(result, name)?.value).toBeInstanceOf(vz.NDArray);
        expect(result[name]!.toArray()).toEqual([0, 1]);
      }
      expect("valueOf" in result).toBe(false); // nothing inherited: `in` means "the file has it"
      const { __proto__: p } = result;
      expect(p).toBeInstanceOf(vz.NDArray);
    } finally {
      for (const array of Object.values(result)) array.dispose();
    }
  });

  it("a bad array after good ones frees the good ones (stored and deflated)", async () => {
    const bad = npyFile(npyHeader("<f4", "(2.0,)"), f4Data(2));
    for (const zip of [
      zipArchive([{ name: "a.npy", body: small() }, { name: "b.npy", body: small() }, { name: "c.npy", body: bad }]),
      zipArchive([deflated("a.npy", small()), deflated("c.npy", bad)]),
    ]) {
      expect((await errorOf(() => vz.io.readNpz(zip))).message).toMatch(/^readNpz: c\.npy: the header's 'shape' is \(2\.0,\)/);
    }
  });

  it("a central record running past the directory's end, a huge entry name, a comment", async () => {
    const zip = zipArchive([{ name: "a.npy", body: a }]);
    const cd = new DataView(zip.buffer).getUint32(zip.length - 22 + 16, true);
    const past = zip.slice();
    new DataView(past.buffer).setUint16(cd + 28, 0xffff, true);
    expect((await errorOf(() => vz.io.readNpz(past))).message).toBe("readNpz: corrupt zip archive: central directory entry 0 runs past the directory's end");
    // A 60 000-character name is quoted as an excerpt.
    const long = "n".repeat(60_000);
    const named = zipArchive([{ name: "a.npy", body: a }], [{ local: 0, name: long }]);
    const error = await errorOf(() => vz.io.readNpz(named));
    expect(error.message).toBe(`readNpz: ${"n".repeat(40)}…: corrupt zip archive: the name in its local header ('a.npy') differs from the central directory's`);
  });
});

describe("readNpy: headers", () => {
  it("a header over 10000 characters is refused before it is parsed, in numpy's words", async () => {
    const huge = npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': '${"a".repeat(16 << 20)}'}`, f4Data(2), 2);
    const error = await errorOf(() => vz.io.readNpy(huge, { name: "h.npy" }));
    expect(error).toBeInstanceOf(vz.IOError);
    expect(error.message).toMatch(/^readNpy: h\.npy: Header info length \(16777\d\d\d\) is large and may not be safe to load securely\. To allow loading, adjust `maxHeaderSize` \(now 10000\) if you trust the file\.$/);
    // UTF-8 (version 3) headers count characters, not bytes, as numpy does.
    const wide = npyFile(npyHeader("<f4", "(2,)").replace("}", `'x': '${"é".repeat(4990)}'}`), f4Data(2), 3);
    expect(wide.length).toBeGreaterThan(10_000);
    // Within 5200 characters (though over 10 000 bytes): past the size check, to the keys check.
    expect((await errorOf(() => vz.io.readNpy(wide, { maxHeaderSize: 5200 }))).message).toMatch(/is not a dict with the keys/);
    expect((await errorOf(() => vz.io.readNpy(wide, { maxHeaderSize: 5000 }))).message).toMatch(/Header info length \(5[01]\d\d\)/);
    expect((await errorOf(() => vz.io.readNpy(small(), { maxHeaderSize: -1 })))).toBeInstanceOf(vz.ValueError);
  });

  it("a header that declares 4 GiB but is not there is a truncated header (nothing allocated for it)", async () => {
    const npy = small().slice(0, 64);
    npy[6] = 2;
    new DataView(npy.buffer).setUint32(8, 0xfffffff0, true);
    expect((await errorOf(() => vz.io.readNpy(npy))).message).toBe("readNpy: truncated header: the header ends at byte 4294967292, the file has 64 bytes");
  });

  it.each([
    ["(2.0,)", "(2.0,)"],
    ["[2]", "[2]"],
    ["(-1,)", "(-1,)"],
    ["(True, 2)", "(True, 2)"],
    ["(None,)", "(None,)"],
    ["('2',)", "('2',)"],
    ["((2,),)", "((2,),)"],
    ["(2)", "2"], // a parenthesised int, not a tuple
    ["2", "2"],
    ["{'a': 2}", "{'a': 2}"],
  ])("shape %s is not a tuple of non-negative ints", async (shape, shown) => {
    const error = await errorOf(() => vz.io.readNpy(npyFile(npyHeader("<f4", shape), f4Data(2))));
    expect(error).toBeInstanceOf(vz.IOError);
    expect(error.message).toBe(`readNpy: the header's 'shape' is ${shown}, not a tuple of non-negative integers`);
  });

  it("shapes numpy accepts: (), (2,), (2, 3), Python 2's (2L, 3L), a trailing comma, spaces", () => {
    for (const [shape, dims] of [["()", []], ["(6,)", [6]], ["(2, 3)", [2, 3]], ["(2L, 3L)", [2, 3]], ["( 2 ,3 , )", [2, 3]]] as const) {
      const x = vz.io.readNpy(npyFile(npyHeader("<f4", shape), f4Data(6)));
      expect(x.shape).toEqual(dims);
      x.dispose();
    }
  });

  it.each([
    ["1", "1"],
    ["'True'", "'True'"],
    ["None", "None"],
    ["(False,)", "(False,)"],
  ])("fortran_order %s is not True or False", async (fortran, shown) => {
    const error = await errorOf(() => vz.io.readNpy(npyFile(npyHeader("<f4", "(2,)", fortran), f4Data(2))));
    expect(error.message).toBe(`readNpy: the header's 'fortran_order' is ${shown}, not True or False`);
  });

  it("keys: missing, extra, duplicated (the last wins, as in Python), __proto__", async () => {
    const bad = [
      "{'descr': '<f4', 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
      "{'descr': '<f4', 'fortran_order': False, '__proto__': (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), '__proto__': {}}",
    ];
    for (const header of bad) {
      expect((await errorOf(() => vz.io.readNpy(npyFile(header, f4Data(2))))).message).toMatch(/is not a dict with the keys 'descr', 'fortran_order' and 'shape'$/);
    }
    const twice = vz.io.readNpy(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (9,), 'shape': (2,)}", f4Data(2)));
    expect(twice.shape).toEqual([2]);
    twice.dispose();
  });

  it("nesting beyond 64 levels is a parse error, not a stack overflow", async () => {
    const deep = `{'descr': '<f4', 'fortran_order': False, 'shape': ${"(".repeat(5000)}${")".repeat(5000)}}`;
    const error = await errorOf(() => vz.io.readNpy(npyFile(deep, f4Data(2)), { maxHeaderSize: 20000 }));
    expect(error).toBeInstanceOf(vz.IOError);
    expect(error.message).toMatch(/cannot parse the header .*: more than 64 levels of nesting at character \d+/);
  });

  it("descr: every byte order numpy reads ('<', '>', '|', '=', none), and descrs it does not", async () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -2, false);
    const le = new Uint8Array(new Float32Array([1.5, -2]).buffer);
    for (const [descr, data] of [["<f4", le], [">f4", be], ["|f4", le], ["=f4", le], ["f4", le], [">u1", new Uint8Array([1, 2])], ["<b1", new Uint8Array([0, 7])]] as const) {
      const x = vz.io.readNpy(npyFile(npyHeader(descr, "(2,)"), data));
      expect(x.toArray(), descr).toEqual(descr.endsWith("u1") ? [1, 2] : descr.endsWith("b1") ? [0, 1] : [1.5, -2]);
      x.dispose();
    }
    for (const descr of ["!f4", "<f4 ", "<F4", "<f04", "<f4\\x00", "<<f4", "<i8>", "", "<", "f"]) {
      const error = await errorOf(() => vz.io.readNpy(npyFile(npyHeader(descr, "(2,)"), new Uint8Array(16))));
      expect(error.message, descr).toMatch(/^readNpy: unsupported dtype '.*'; readNpy reads float32/);
    }
    expect((await errorOf(() => vz.io.readNpy(npyFile("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", f4Data(2))))).message).toMatch(
      /^readNpy: unsupported dtype 4; readNpy reads/,
    );
  });
});

describe("readNpy: sizes", () => {
  it("a shape the data cannot fill is truncated data, checked before anything is allocated", async () => {
    const error = await errorOf(() => vz.io.readNpy(npyFile(npyHeader("<f8", "(1073741824, 1024)"), f4Data(4))));
    expect(error.message).toBe("readNpy: truncated data: shape (1073741824,1024) of '<f8' needs 8796093022208 bytes after the header, the file has 16");
  });

  it("sizes beyond 2^53 bytes: numpy's 'array is too big', even when a dimension is 0", async () => {
    for (const shape of ["(4294967296, 4294967296)", "(0, 4611686018427387904)", "(18446744073709551616,)", "(0, 3, 1125899906842624)"]) {
      const error = await errorOf(() => vz.io.readNpy(npyFile(npyHeader("<f4", shape))));
      expect(error, shape).toBeInstanceOf(vz.IOError);
      expect(error.message, shape).toMatch(/^readNpy: array is too big; `arr\.size \* arr\.dtype\.itemsize` is larger than the maximum possible size: shape \(/);
    }
  });

  it("an array beyond one wasm buffer (2 GiB) is an OutOfMemoryError before it is decoded", async () => {
    // 2^28 + 1 uint8 values (a 256 MiB file, zero pages the OS never fills) as float64: 2 GiB + 8 bytes.
    const count = 2 ** 28 + 1;
    const header = npyFile(npyHeader("|u1", `(${count},)`));
    const bytes = new Uint8Array(header.length + count); // zero-filled, allocated lazily by the OS
    bytes.set(header);
    const error = await errorOf(() => vz.io.readNpy(bytes, { dtype: "float64" }));
    expect(error).toBeInstanceOf(vz.OutOfMemoryError);
  });

  it("empty arrays in Fortran order, every 0-size shape", () => {
    for (const shape of [[0], [0, 3], [3, 0], [2, 0, 4], [0, 0]]) {
      for (const fortran of ["True", "False"]) {
        const x = vz.io.readNpy(npyFile(npyHeader("<f4", `(${shape.join(", ")},)`, fortran)));
        expect(x.shape).toEqual(shape);
        expect(x.size).toBe(0);
        x.dispose();
      }
    }
  });
});

describe("readNpy: int64 rounds once", () => {
  /** The float32 nearest the integer v, ties to even, found by exact BigInt comparisons. */
  function nearestFloat32(v: bigint): number {
    const f = Math.fround(Number(v)); // within one float32 step of the answer
    // Below 2^24 f is v itself and its neighbours are fractions: keep integers only.
    const candidates = [f, nextFloat32(f, -1), nextFloat32(f, 1)].filter(Number.isInteger);
    const distance = (c: number) => {
      const d = BigInt(c) - v; // every float32 this large is an integer
      return d < 0n ? -d : d;
    };
    candidates.sort((a, b) => {
      const [da, db] = [distance(a), distance(b)];
      if (da !== db) return da < db ? -1 : 1;
      return evenMantissa(a) ? -1 : 1;
    });
    return candidates[0]!;
  }
  const nextFloat32 = (f: number, direction: 1 | -1) => {
    const bits = new Int32Array(new Float32Array([f]).buffer);
    bits[0]! += f === 0 ? 0 : direction * Math.sign(f);
    return new Float32Array(bits.buffer)[0]!;
  };
  const evenMantissa = (f: number) => (new Int32Array(new Float32Array([f]).buffer)[0]! & 1) === 0;

  const i8 = (values: bigint[], littleEndian = true) => {
    const data = new Uint8Array(8 * values.length);
    values.forEach((v, i) => new DataView(data.buffer).setBigInt64(8 * i, v, littleEndian));
    return npyFile(npyHeader(littleEndian ? "<i8" : ">i8", `(${values.length},)`), data);
  };

  it("2^60 + 2^36 + 1 is 2^60 + 2^37 in float32 (numpy's astype), 2^60 + 2^36 in float64", () => {
    const v = 2n ** 60n + 2n ** 36n + 1n;
    for (const littleEndian of [true, false]) {
      const x32 = vz.io.readNpy(i8([v, -v], littleEndian));
      expect(x32.toArray()).toEqual([2 ** 60 + 2 ** 37, -(2 ** 60 + 2 ** 37)]);
      const x64 = vz.io.readNpy(i8([v, -v], littleEndian), { dtype: "float64" });
      expect(x64.toArray()).toEqual([2 ** 60 + 2 ** 36, -(2 ** 60 + 2 ** 36)]);
      [x32, x64].forEach((x) => x.dispose());
    }
  });

  /**
   * Integers within 1024 of a point halfway between two float32s, where rounding to float64
   * first can make a tie that is not one (random int64s almost never land there).
   */
  const nearHalfway = fc
    .tuple(fc.integer({ min: 2 ** 23, max: 2 ** 24 - 1 }), fc.integer({ min: 30, max: 38 }), fc.integer({ min: -1024, max: 1024 }), fc.boolean())
    .map(([mantissa, shift, delta, negative]) => {
      const v = ((2n * BigInt(mantissa) + 1n) << BigInt(shift)) + BigInt(delta);
      return negative ? -v : v;
    });

  it("any int64, to float32 and float64, is the nearest value (ties to even)", () => {
    const extremes = [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 24n + 1n, 0n, -1n];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(...extremes), nearHalfway), { minLength: 1, maxLength: 40 }), (values) => {
        const x32 = vz.io.readNpy(i8(values));
        const x64 = vz.io.readNpy(i8(values), { dtype: "float64" });
        try {
          expect(Array.from(x32.toTypedArray())).toEqual(values.map(nearestFloat32));
          expect(Array.from(x64.toTypedArray())).toEqual(values.map((v) => Number(v)));
        } finally {
          [x32, x64].forEach((x) => x.dispose());
        }
      }),
      { seed: 14, numRuns: 200 },
    );
  });
});

describe("readCsv: hostile text", () => {
  it("a megabyte cell, a megabyte column name, a megabyte label are quoted as excerpts", async () => {
    const cell = "x".repeat(1 << 20);
    const e1 = await errorOf(() => vz.io.readCsv(`a,b\n1,${cell}\n`, { name: "c.csv" }));
    expect(e1.message).toBe(`readCsv: c.csv: line 2, column 2 ('b'): could not convert string to float: '${"x".repeat(40)}…'`);
    const e2 = await errorOf(() => vz.io.readCsv(`a,${cell}\n1,z\n`));
    expect(e2.message).toBe(`readCsv: line 2, column 2 ('${"x".repeat(40)}…'): could not convert string to float: 'z'`);
    const e3 = await errorOf(() => vz.io.readCsv("a,b\n1,2\n", { label: cell }));
    expect(e3.message).toBe(`readCsv: no column named '${"x".repeat(40)}…'; the columns are 'a', 'b'`);
  });

  it("a header of 200 000 columns: the missing-label message lists ten, rows are checked without allocating for every column", async () => {
    const header = Array.from({ length: 200_000 }, (_, j) => `c${j}`).join(",");
    const e1 = await errorOf(() => vz.io.readCsv(`${header}\n1,2\n`));
    expect(e1.message).toBe("readCsv: line 2 has 2 fields, expected 200000 as in the header");
    const e2 = await errorOf(() => vz.io.readCsv(`${header}\n`, { label: "y" }));
    expect(e2.message).toBe("readCsv: no column named 'y'; the columns are 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', … (200000 columns)");
  });

  it("an unterminated quote over a megabyte, a lone CR, quotes inside fields", async () => {
    const e = await errorOf(() => vz.io.readCsv(`a\n"${"1".repeat(1 << 20)}`));
    expect(e.message).toBe("readCsv: unterminated quoted field starting on line 2");
    const cr = vz.io.readCsv("a,b\r1,2\r3,4");
    expect(cr.X.toArray()).toEqual([[1, 2], [3, 4]]);
    cr.X.dispose();
    expect((await errorOf(() => vz.io.readCsv('a\n1"2\n'))).message).toBe(`readCsv: line 2, column 1 ('a'): could not convert string to float: '1"2'`);
  });

  it("unknown options are refused by name, with the close match", async () => {
    const e = await errorOf(() => vz.io.readCsv("a\n1\n", { delimeter: ";" } as vz.io.ReadCsvOptions));
    expect(e).toBeInstanceOf(vz.ValueError);
    expect(e.message).toMatch(/^readCsv: unknown option 'delimeter' \(did you mean 'delimiter'\?\)/);
    expect((await errorOf(() => vz.io.readNpy(small(), { max_header_size: 1 } as vz.io.ReadNpyOptions))).message).toMatch(/did you mean 'maxHeaderSize'/);
    expect((await errorOf(() => vz.io.readNpz(vz.io.writeNpz({}), { max_bytes: 1 } as vz.io.ReadNpzOptions))).message).toMatch(/did you mean 'maxBytes'/);
  });

  it("plain decimals read exactly as Number() reads them (the fast path is exact)", () => {
    const cells = ["0.1", "-0.000001", "123456789012345", "1234567890123456", "0.30000000000000004", "9007199254740993", "+7.", ".5", "00012.500", "-0"];
    const { X } = vz.io.readCsv(`${cells.map((_, j) => `c${j}`).join(",")}\n${cells.join(",")}\n`, { dtype: "float64" });
    expect(Array.from(X.toTypedArray())).toEqual(cells.map(Number));
    expect(Object.is(X.toTypedArray()[9], -0)).toBe(true);
    X.dispose();
  });
});

describe("fuzz: mutated and truncated files give the right value or a typed NdError", () => {
  /** A mutation of a file: overwrite a few bytes, or cut it. */
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("overwrite" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
  /** The mutated copy, and the range of bytes that differ from the original. */
  function mutate(file: Uint8Array, m: Mutation, region: [number, number] = [0, file.length]): { bytes: Uint8Array; from: number; to: number } {
    const at = region[0] + (m.at % Math.max(1, region[1] - region[0]));
    if (m.kind === "cut") return { bytes: file.slice(0, at), from: at, to: file.length };
    const bytes = file.slice();
    if (m.kind === "flip") bytes[at] = bytes[at]! ^ (1 << m.bit);
    else bytes.set(m.bytes.subarray(0, Math.max(0, bytes.length - at)), at);
    return { bytes, from: at, to: at + (m.kind === "flip" ? 1 : m.bytes.length) };
  }
  /** Calls `fn`, which must return or throw an NdError, and frees what it returned. */
  async function readOrTypedError<T>(fn: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof vz.NdError)) throw error;
      expect(error.message.length).toBeLessThan(SHORT);
      return undefined;
    }
  }

  const NPY = ["f4_c.npy", "f4_f.npy", "f8_big_endian.npy", "i8_f.npy", "b1_c.npy", "u1_c.npy", "f4_0d.npy", "f4_empty.npy", "f4_v2.npy", "f4_v3.npy"].map((name) => ({
    name,
    bytes: fixture(name),
  }));
  const dataStart = (npy: Uint8Array) => (npy[6] === 1 ? 10 + new DataView(npy.buffer).getUint16(8, true) : 12 + new DataView(npy.buffer).getUint32(8, true));

  it("readNpy: header mutations give an array or an IOError; data mutations the mutated values; cuts an IOError", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NPY), mutation, fc.boolean(), async ({ bytes: original }, m, inData) => {
        runs++;
        const start = dataStart(original);
        const dataRegion = inData && original.length > start;
        const { bytes } = mutate(original, m, dataRegion ? [start, original.length] : [0, start]);
        const before = live();
        const x = await readOrTypedError(() => vz.io.readNpy(bytes));
        if (m.kind === "cut") expect(x).toBeUndefined();
        if (x !== undefined) {
          expect(x.toTypedArray().length).toBe(x.shape.reduce((n, d) => n * d, 1));
          if (dataRegion && m.kind !== "cut") {
            // The header is untouched: the values are what the original decoder reads from the new bytes.
            const fresh = vz.io.readNpy(original);
            expect(x.shape).toEqual(fresh.shape);
            fresh.dispose();
            const expected = referenceDecode(bytes, start, new TextDecoder().decode(original.subarray(0, start)), x.size);
            if (expected) expect(Array.from(x.toTypedArray())).toEqual(expected);
          }
          x.dispose();
        }
        expect(live()).toBe(before);
      }),
      { seed: 1414, numRuns: 400 },
    );
    expect(runs).toBe(400);
  });

  /** The values of a C-ordered f4/f8/u1/b1 file from its bytes, as float32 (null for other layouts). */
  function referenceDecode(bytes: Uint8Array, start: number, header: string, count: number): number[] | null {
    if (header.includes("True")) return null; // Fortran order: the values come back reordered
    const view = new DataView(bytes.buffer, start);
    const le = !header.includes(">");
    const read = header.includes("f4") ? (i: number) => view.getFloat32(4 * i, le)
      : header.includes("f8") ? (i: number) => view.getFloat64(8 * i, le)
      : header.includes("u1") ? (i: number) => view.getUint8(i)
      : header.includes("b1") ? (i: number) => (view.getUint8(i) ? 1 : 0)
      : null;
    if (!read) return null;
    const toDtype = header.includes("f8") ? (v: number) => v : Math.fround;
    return Array.from({ length: count }, (_, i) => toDtype(read(i)));
  }

  it("readNpz: any mutation or cut of an archive gives the original arrays (CRC-32 guards them) or a typed error", async () => {
    const archives = [
      fixture("stored.npz"),
      fixture("deflated.npz"),
      zipArchive([deflated("a.npy", small()), { name: "b.npy", body: npyFile(npyHeader("<f8", "(3, 1)"), new Uint8Array(24)) }, { name: "notes.txt", body: new Uint8Array(5) }]),
    ];
    const originals = await Promise.all(archives.map(async (zip) => snapshot(await vz.io.readNpz(zip))));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: archives.length - 1 }), mutation, async (which, m) => {
        runs++;
        const { bytes } = mutate(archives[which]!, m);
        const before = live();
        const result = await readOrTypedError(() => vz.io.readNpz(bytes));
        if (result !== undefined) expect(snapshot(result)).toEqual(originals[which]);
        expect(live()).toBe(before);
      }),
      { seed: 1415, numRuns: 400 },
    );
    expect(runs).toBe(400);
  });

  /** An npz result as plain data (names, shapes, dtypes, values), its arrays freed. */
  function snapshot(arrays: Record<string, vz.NDArray>) {
    return Object.entries(arrays).map(([name, x]) => {
      const data = { name, shape: x.shape, dtype: x.dtype, values: Array.from(x.toTypedArray()) };
      x.dispose();
      return data;
    });
  }

  it("readCsv: valid tables read back exactly; mutated ones give a consistent table or a typed error", async () => {
    // (+ 0: a -0 cell is written "0" by String(), so the table holds +0.)
    const cellValue = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((v) => v + 0));
    const table = fc.integer({ min: 1, max: 5 }).chain((n) => fc.array(fc.array(cellValue, { minLength: n, maxLength: n }), { minLength: 0, maxLength: 8 }).map((rows) => ({ n, rows })));
    const noise = fc.array(fc.record({ at: fc.nat(), text: fc.constantFrom('"', ",", "\n", "\r", " ", "x", "nan", "-", "e", "1", '""', "\r\n", "\u00e9", "\ufeff") }), { maxLength: 3 });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(table, noise, fc.boolean(), async ({ n, rows }, edits, labeled) => {
        runs++;
        const header = Array.from({ length: n }, (_, j) => `c${j}`).join(",");
        const text = [header, ...rows.map((r) => r.map(String).join(","))].join("\n");
        const options = labeled ? { label: -1, dtype: "float64" as const } : { dtype: "float64" as const };
        const before = live();
        if (edits.length === 0) {
          const t = vz.io.readCsv(text, options) as vz.io.LabeledCsvTable;
          const expectedX = rows.map((r) => (labeled ? r.slice(0, -1) : r));
          expect(t.X.shape).toEqual([rows.length, labeled ? n - 1 : n]);
          expect(Array.from(t.X.toTypedArray())).toEqual(expectedX.flat());
          if (labeled) expect(Array.from(t.y.toTypedArray())).toEqual(rows.map((r) => r[n - 1]!));
          [t.X, t.y].forEach((x) => x?.dispose());
        } else {
          let mutated = text;
          for (const { at, text: piece } of edits) {
            const k = at % (mutated.length + 1);
            mutated = mutated.slice(0, k) + piece + mutated.slice(k);
          }
          const t = await readOrTypedError(() => vz.io.readCsv(mutated, options) as vz.io.LabeledCsvTable);
          if (t !== undefined) {
            const [m, width] = t.X.shape;
            expect(t.X.toTypedArray().length).toBe(m! * width!);
            expect(t.columns).toHaveLength(width!);
            if (labeled) expect(t.y.shape).toEqual([m]);
            [t.X, t.y].forEach((x) => x?.dispose());
          }
        }
        expect(live()).toBe(before);
      }),
      { seed: 1416, numRuns: 500 },
    );
    expect(runs).toBe(500);
  });
});

it("the CRC-32 the hostile archives use is zip's (a check of the helper)", () => {
  expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
});
