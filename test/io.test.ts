// I/O: .npy and .npz against files numpy wrote (test/fixtures/io, made by make_fixtures.py),
// round trips on every backend, CSV, the Node path helpers, and every error a bad file gives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { writeZip } from "../ts/io/zip.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";
import { expectIdentical } from "./helpers/close.js";
import { prng } from "./helpers/random.js";

beforeAll(loadAll);

const FIXTURES = new URL("./fixtures/io/", import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

// The fixtures' arrays, restated from make_fixtures.py: a formula over the C-order counter k.
const CASES = {
  f4: { shape: [2, 3, 4], value: (k: number) => k / 4 - 2, dtype: "float32" },
  f8: { shape: [2, 3], value: (k: number) => k * 0.1 + 1 / 3, dtype: "float64" },
  u1: { shape: [3, 4], value: (k: number) => (k * 23 + 7) % 256, dtype: "float32" },
  i4: { shape: [2, 3], value: (k: number) => (k - 3) * 1000003, dtype: "float32" },
  i8: { shape: [2, 2], value: (k: number) => (k - 1) * 3 ** 30 + 5, dtype: "float32" },
  b1: { shape: [2, 3], value: (k: number) => (k % 3 === 1 ? 1 : 0), dtype: "float32" },
} as const;
type Code = keyof typeof CASES;
const CODES = Object.keys(CASES) as Code[];

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
/** The expected values of a case, rounded to `dtype` as the conversion must round them. */
function expected(code: Code, dtype: vz.DType = CASES[code].dtype, count = size(CASES[code].shape)): number[] {
  const exact = Array.from({ length: count }, (_, k) => CASES[code].value(k));
  return dtype === "float32" ? exact.map(Math.fround) : exact;
}

/** The error `fn` throws (sync or async). */
async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("no error thrown");
}

/** A copy of `bytes` with `edit` applied. */
function patched(bytes: Uint8Array, edit: (copy: Uint8Array, view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(copy, new DataView(copy.buffer));
  return copy;
}

/** A copy of a .npy file with its header text replaced (same length, padded with spaces). */
function withHeader(npy: Uint8Array, header: string): Uint8Array {
  const length = new DataView(npy.buffer, npy.byteOffset).getUint16(8, true);
  expect(header.length).toBeLessThan(length);
  return patched(npy, (copy) => {
    copy.fill(0x20, 10, 10 + length - 1);
    for (let i = 0; i < header.length; i++) copy[10 + i] = header.charCodeAt(i);
  });
}

describe("readNpy: files numpy wrote", () => {
  it.each(CODES.flatMap((code) => (["c", "f"] as const).map((order) => [code, order] as const)))("%s, %s order", (code, order) => {
    const x = vz.io.readNpy(fixture(`${code}_${order}.npy`));
    expect(x.shape).toEqual(CASES[code].shape);
    expect(x.dtype).toBe(CASES[code].dtype);
    expect(x.isContiguous).toBe(true);
    expectIdentical(x.toTypedArray(), expected(code));
  });

  it("the Fortran fixtures really are in Fortran order (so the test above tests the reordering)", () => {
    const npy = fixture("f4_f.npy");
    expect(new TextDecoder().decode(npy.subarray(10, 80))).toContain("'fortran_order': True");
    // Fortran order: the second element in the file is x[1,0,0] = k 12.
    expect(new DataView(npy.buffer, npy.byteOffset).getFloat32(128 + 4, true)).toBe(CASES.f4.value(12));
  });

  it.each(CODES)("%s with { dtype } converts to float32 and to float64", (code) => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = vz.io.readNpy(fixture(`${code}_f.npy`), { dtype });
      expect(x.dtype).toBe(dtype);
      expectIdentical(x.toTypedArray(), expected(code, dtype));
    }
  });

  it("int64 beyond float32's precision: exact as float64, rounded as float32", () => {
    const x = vz.io.readNpy(fixture("i8_c.npy"), { dtype: "float64" });
    expect(x.toArray()).toEqual([[-205891132094644, 5], [205891132094654, 411782264189303]]);
    expect(vz.io.readNpy(fixture("i8_c.npy")).toTypedArray()[2]).toBe(Math.fround(205891132094654));
  });

  it("big-endian, 1-d, 0-d and empty arrays", () => {
    const big = vz.io.readNpy(fixture("f8_big_endian.npy"));
    expect(big.shape).toEqual([5]);
    expectIdentical(big.toTypedArray(), expected("f8", "float64", 5));
    const oneD = vz.io.readNpy(fixture("f4_1d.npy"));
    expect(oneD.shape).toEqual([5]);
    expect(oneD.toArray()).toEqual([-2, -1.75, -1.5, -1.25, -1]);
    const zeroD = vz.io.readNpy(fixture("f4_0d.npy"));
    expect(zeroD.shape).toEqual([]);
    expect(zeroD.item()).toBe(3.5);
    const empty = vz.io.readNpy(fixture("f4_empty.npy"));
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.size).toBe(0);
  });

  it("header versions 2.0 (C and Fortran order) and 3.0", () => {
    for (const name of ["f4_v2.npy", "f4_f_v2.npy", "f4_v3.npy"]) {
      expect(fixture(name)[6]).toBe(Number(name.at(-5)));
      const x = vz.io.readNpy(fixture(name));
      expect(x.shape).toEqual([2, 3, 4]);
      expectIdentical(x.toTypedArray(), expected("f4"));
    }
  });

  it("takes a Buffer, an ArrayBuffer or a DataView, at any byte offset", () => {
    const bytes = fixture("f8_c.npy");
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const input of [Buffer.from(bytes), bytes.slice().buffer, new DataView(shifted.buffer, 3), shifted.subarray(3)]) {
      expectIdentical(vz.io.readNpy(input).toTypedArray(), expected("f8"));
    }
  });

  it("reads Python 2's long ints and a header in double quotes", () => {
    const npy = withHeader(fixture("f4_c.npy"), `{"descr": "<f4", "fortran_order": False, "shape": (2L, 3L, 4L)}`);
    expect(vz.io.readNpy(npy).shape).toEqual([2, 3, 4]);
  });
});

describe("writeNpy: byte for byte what numpy.save writes", () => {
  const f4 = () => vz.array(expected("f4"), { shape: [2, 3, 4] });
  const f8 = () => vz.array(expected("f8"), { shape: [2, 3], dtype: "float64" });
  it.each([
    ["f4_c.npy", f4, {}],
    ["f4_f.npy", f4, { order: "F" }],
    ["f4_v2.npy", f4, { version: 2 }],
    ["f4_f_v2.npy", f4, { order: "F", version: 2 }],
    ["f4_v3.npy", f4, { version: 3 }],
    ["f8_c.npy", f8, {}],
    ["f8_f.npy", f8, { order: "F" }],
    ["f4_1d.npy", () => vz.array([-2, -1.75, -1.5, -1.25, -1]), {}],
    ["f4_0d.npy", () => vz.array(3.5), {}],
    ["f4_empty.npy", () => vz.zeros([0, 3]), {}],
  ] as const)("%s", (name, make, options) => {
    expect(vz.io.writeNpy(make(), options)).toEqual(fixture(name));
  });

  it("writes a view (transposed, sliced) as its values in C order", () => {
    const base = vz.array(expected("f4"), { shape: [4, 6] });
    const view = base.T.slice([1, null, 2]); // (6,4) → rows 1, 3, 5
    const back = vz.io.readNpy(vz.io.writeNpy(view));
    expect(back.shape).toEqual([3, 4]);
    expect(back.toArray()).toEqual(view.toArray());
  });

  it("switches to version 2.0 when the header outgrows 1.0's 64 KiB, as numpy does", () => {
    const x = vz.full(new Array<number>(21850).fill(1), 2);
    const npy = vz.io.writeNpy(x);
    expect(npy[6]).toBe(2);
    const headerEnd = 12 + new DataView(npy.buffer).getUint32(8, true);
    expect(headerEnd % 64).toBe(0);
    expect(npy[headerEnd - 1]).toBe(0x0a);
    expect(npy.length).toBe(headerEnd + 4);
    // numpy.load refuses a header this long unless told (max_header_size); so does readNpy.
    expect(() => vz.io.readNpy(npy)).toThrow(/^readNpy: Header info length \(65652\) is large and may not be safe to load securely\. To allow loading, adjust `maxHeaderSize` \(now 10000\)/);
    const back = vz.io.readNpy(npy, { maxHeaderSize: 70000 });
    expect(back.ndim).toBe(21850);
    expect(back.item()).toBe(2);
    const error = expect(() => vz.io.writeNpy(x, { version: 1 }));
    error.toThrow(vz.ValueError);
    error.toThrow(/^writeNpy: the header needs \d+ bytes and version 1.0 holds at most 65535; use version 2$/);
  });
});

describe.each(ALL_BACKENDS)("writeNpy then readNpy on %s", (backend) => {
  it("gives back every value (NaN, ±Infinity, -0, subnormals) and shape, both dtypes, both orders, every version", () => {
    const next = prng(6);
    const specials = [NaN, Infinity, -Infinity, -0, 0, 1e-40, 5e-324, 3.4e38, -1e300];
    const shapes = [[], [0], [7], [3, 5], [2, 0, 3], [2, 3, 4], [1, 4, 1, 3]];
    on(backend, () =>
      vz.scope(() => {
        for (const shape of shapes) {
          for (const dtype of ["float32", "float64"] as const) {
            const values = Array.from({ length: size(shape) }, (_, i) => (i % 4 === 0 ? specials[i % specials.length]! : (next() - 0.5) * 1e3));
            const x = vz.array(values, { shape, dtype });
            for (const order of ["C", "F"] as const) {
              for (const version of [1, 2, 3] as const) {
                const back = vz.io.readNpy(vz.io.writeNpy(x, { order, version }));
                const what = `${dtype} ${vz.formatShape(shape)} order ${order} v${version}`;
                expect(back.shape, what).toEqual(shape);
                expect(back.dtype, what).toBe(dtype);
                expectIdentical(back.toTypedArray(), x.toTypedArray(), what);
              }
            }
          }
        }
      }),
    );
  });
});

describe("readNpy: bad files", () => {
  const f4 = fixture("f4_c.npy");
  /** The IOError reading `bytes` as a file named `name` (null: no name given) throws. */
  async function ioError(bytes: Uint8Array, name: string | null = "x.npy"): Promise<vz.IOError> {
    const error = await errorOf(() => vz.io.readNpy(bytes, name === null ? {} : { name }));
    expect(error).toBeInstanceOf(vz.IOError);
    expect(error).toBeInstanceOf(vz.NdError);
    expect((error as vz.IOError).code).toBe("IOError");
    expect((error as vz.IOError).file).toBe(name ?? undefined);
    return error as vz.IOError;
  }

  it("bad magic: names the file and shows the bytes found", async () => {
    expect((await ioError(fixture("stored.npz"))).message).toBe(
      "readNpy: x.npy: not a .npy file: the magic string is not correct; expected b'\\x93NUMPY', got b'PK\\x03\\x04-\\x00'",
    );
    expect((await ioError(new Uint8Array(0))).message).toBe(
      "readNpy: x.npy: not a .npy file: the magic string is not correct; expected b'\\x93NUMPY', got b''",
    );
    expect((await ioError(new TextEncoder().encode("a,b\n1,2\n"), null)).message).toBe(
      "readNpy: not a .npy file: the magic string is not correct; expected b'\\x93NUMPY', got b'a,b\\x0a1,'",
    );
  });

  it("unsupported format versions", async () => {
    expect((await ioError(patched(f4, (b) => (b[6] = 4)))).message).toBe(
      "readNpy: x.npy: unsupported .npy format version 4.0; readNpy reads versions 1.0, 2.0 and 3.0",
    );
    expect((await ioError(patched(f4, (b) => (b[7] = 1)))).message).toMatch(/unsupported .npy format version 1\.1;/);
  });

  it("truncated headers", async () => {
    expect((await ioError(f4.subarray(0, 7))).message).toBe("readNpy: x.npy: truncated header: the file ends after 7 bytes");
    expect((await ioError(f4.subarray(0, 9))).message).toBe("readNpy: x.npy: truncated header: the file ends after 9 bytes");
    expect((await ioError(fixture("f4_v2.npy").subarray(0, 11))).message).toBe("readNpy: x.npy: truncated header: the file ends after 11 bytes");
    expect((await ioError(f4.subarray(0, 50))).message).toBe("readNpy: x.npy: truncated header: the header ends at byte 128, the file has 50 bytes");
  });

  it("malformed headers", async () => {
    expect((await ioError(withHeader(f4, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4}"))).message).toBe(
      // The header quoted up to 40 characters; the parser's message says where it failed.
      `readNpy: x.npy: cannot parse the header "{'descr': '<f4', 'fortran_order': False,…": expected ',' or ')' at character 58 ('}')`,
    );
    expect((await ioError(withHeader(f4, "{'descr': '<f4', 'shape': (2, 3, 4), }"))).message).toBe(
      `readNpy: x.npy: the header "{'descr': '<f4', 'shape': (2, 3, 4), }" is not a dict with the keys 'descr', 'fortran_order' and 'shape'`,
    );
    expect((await ioError(withHeader(f4, "(2, 3)"))).message).toMatch(/the header "\(2, 3\)" is not a dict with the keys/);
    expect((await ioError(withHeader(f4, "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3, 4), }"))).message).toBe(
      "readNpy: x.npy: the header's 'fortran_order' is 0, not True or False",
    );
    expect((await ioError(withHeader(f4, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3, 4), }"))).message).toBe(
      "readNpy: x.npy: the header's 'shape' is (2, -3, 4), not a tuple of non-negative integers",
    );
    expect((await ioError(withHeader(f4, "{'descr': '<f4', 'fortran_order': False, 'shape': 24, }"))).message).toMatch(
      /the header's 'shape' is 24, not a tuple/,
    );
  });

  it.each([
    ["c16.npy", "'<c16'"],
    ["f2.npy", "'<f2'"],
    ["u3.npy", "'<U3'"],
    ["structured.npy", `[('x', '<f4'), ('y', '<i4')]: structured arrays are not read`],
  ])("unsupported dtype: %s", async (name, what) => {
    expect((await ioError(fixture(name), name)).message).toBe(
      `readNpy: ${name}: unsupported dtype ${what}; readNpy reads float32 ('<f4'), float64 ('<f8'), uint8 ('|u1'), int32 ('<i4'), int64 ('<i8') and bool ('|b1'), in either byte order`,
    );
  });

  it("truncated data", async () => {
    expect((await ioError(f4.subarray(0, f4.length - 4))).message).toBe(
      "readNpy: x.npy: truncated data: shape (2,3,4) of '<f4' needs 96 bytes after the header, the file has 92",
    );
    expect((await ioError(fixture("i8_f.npy").subarray(0, 128))).message).toBe(
      "readNpy: x.npy: truncated data: shape (2,2) of '<i8' needs 32 bytes after the header, the file has 0",
    );
  });

  it("bad arguments: not bytes, an unsupported dtype option", () => {
    expect(() => vz.io.readNpy("x.npy" as unknown as Uint8Array)).toThrow(
      new vz.ValueError("readNpy: expected the file's bytes (a Uint8Array, Buffer or ArrayBuffer), got string"),
    );
    const bad = expect(() => vz.io.readNpy(f4, { dtype: "int32" as vz.DType }));
    bad.toThrow(vz.DTypeError);
    bad.toThrow('readNpy: unsupported dtype "int32"; expected "float32" or "float64"');
  });

  it("writeNpy: bad arguments, a disposed array", () => {
    expect(() => vz.io.writeNpy([1, 2] as unknown as vz.NDArray)).toThrow(new vz.ValueError("writeNpy: expected an NDArray, got object"));
    expect(() => vz.io.writeNpy(vz.ones([2]), { order: "K" as "C" })).toThrow(new vz.ValueError('writeNpy: order must be "C" or "F", got "K"'));
    expect(() => vz.io.writeNpy(vz.ones([2]), { version: 4 as 3 })).toThrow(new vz.ValueError("writeNpy: version must be 1, 2 or 3, got 4"));
    const x = vz.ones([2]);
    x.dispose();
    expect(() => vz.io.writeNpy(x)).toThrow(vz.DisposedError);
  });
});

/** Where a zip's central directory starts and its first entry (no archive comment in these files). */
function centralDirectory(zip: Uint8Array): number {
  return new DataView(zip.buffer, zip.byteOffset).getUint32(zip.length - 22 + 16, true);
}

describe("readNpz", () => {
  it.each(["stored.npz", "deflated.npz"])("%s from numpy: every array, by name, with its dtype", async (name) => {
    const arrays = await vz.io.readNpz(fixture(name));
    expect(Object.keys(arrays)).toEqual(["X", "y", "w"]);
    const { X, y, w } = arrays as { X: vz.NDArray; y: vz.NDArray; w: vz.NDArray };
    expect([X.shape, X.dtype]).toEqual([[2, 3, 4], "float32"]);
    expectIdentical(X.toTypedArray(), expected("f4"));
    expect([y.shape, y.dtype]).toEqual([[3, 4], "float32"]);
    expectIdentical(y.toTypedArray(), expected("u1"));
    expect([w.shape, w.dtype]).toEqual([[2, 3], "float64"]);
    expectIdentical(w.toTypedArray(), expected("f8"));
    const as64 = await vz.io.readNpz(fixture(name), { dtype: "float64" });
    expect(Object.values(as64).map((a) => a.dtype)).toEqual(["float64", "float64", "float64"]);
  });

  it("deflated entries read the same where DecompressionStream lacks \"deflate-raw\" (Node 18): through gzip", async () => {
    const native = globalThis.DecompressionStream;
    const formats: string[] = [];
    class GzipOnly extends native {
      constructor(format: CompressionFormat) {
        formats.push(format);
        if (format === "deflate-raw") throw new TypeError(`The argument 'format' is invalid. Received '${format}'`);
        super(format);
      }
    }
    globalThis.DecompressionStream = GzipOnly;
    try {
      const arrays = await vz.io.readNpz(fixture("deflated.npz"));
      expect(formats).toContain("gzip");
      expect(Object.keys(arrays)).toEqual(["X", "y", "w"]);
      expectIdentical(arrays["X"]!.toTypedArray(), expected("f4"));
      expectIdentical(arrays["w"]!.toTypedArray(), expected("f8"));
      // A cut deflate stream is still an error naming the file and the entry.
      const cut = patched(fixture("deflated.npz"), (_, v) => v.setUint32(centralDirectory(fixture("deflated.npz")) + 20, 10, true));
      await expect(vz.io.readNpz(cut, { name: "d.npz" })).rejects.toThrow(/^readNpz: d\.npz: X\.npy: corrupt deflate data \(.+\)$/);
    } finally {
      globalThis.DecompressionStream = native;
    }
  });

  it("the deflated fixture really is deflated, and the stored one stored", () => {
    const method = (zip: Uint8Array) => new DataView(zip.buffer, zip.byteOffset).getUint16(centralDirectory(zip) + 10, true);
    expect(method(fixture("deflated.npz"))).toBe(8);
    expect(method(fixture("stored.npz"))).toBe(0);
  });

  it("writeNpz: readNpz gives the arrays back; each entry is writeNpy's bytes", async () => {
    const a = vz.array(expected("f4"), { shape: [2, 3, 4] });
    const b = vz.array(expected("f8"), { shape: [2, 3], dtype: "float64" });
    const zip = vz.io.writeNpz({ a, "b c": b, s: vz.array(2.5) });
    const back = await vz.io.readNpz(zip);
    expect(Object.keys(back)).toEqual(["a", "b c", "s"]);
    expectIdentical(back["a"]!.toTypedArray(), a.toTypedArray());
    expectIdentical(back["b c"]!.toTypedArray(), b.toTypedArray());
    expect(back["b c"]!.dtype).toBe("float64");
    expect(back["s"]!.shape).toEqual([]);
    // The first local header (30 bytes, then the name "a.npy") holds writeNpy(a) as it is.
    const view = new DataView(zip.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0);
    const npy = vz.io.writeNpy(a);
    expect(zip.subarray(35, 35 + npy.length)).toEqual(npy);
    expect(() => vz.io.writeNpz({ a: [1] as unknown as vz.NDArray })).toThrow(new vz.ValueError('writeNpz: "a" is neither an NDArray nor a number (got 1)'));
  });

  it("writeNpz: a number is stored as numpy.savez stores a Python float, a 0-d float64 array", async () => {
    // numpy 2.4.6: np.save(f, np.asanyarray(0.25)), the entry np.savez(f, lr=0.25) holds.
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }".padEnd(117) + "\n";
    const numpys = new Uint8Array(10 + header.length + 8);
    numpys.set([0x93, ..."NUMPY"].map((c) => (typeof c === "number" ? c : c.charCodeAt(0))));
    numpys.set([1, 0, header.length, 0], 6);
    numpys.set([...header].map((c) => c.charCodeAt(0)), 10);
    new DataView(numpys.buffer).setFloat64(10 + header.length, 0.25, true);
    const before = vz.memory().arrays;
    const zip = vz.io.writeNpz({ lr: 0.25 });
    expect(vz.memory().arrays).toBe(before); // the 0-d array it went through is freed
    expect(zip.subarray(30 + "lr.npy".length, 30 + "lr.npy".length + numpys.length)).toEqual(numpys);
    const back = await vz.io.readNpz(zip);
    expect([back["lr"]!.shape, back["lr"]!.dtype, back["lr"]!.toArray()]).toEqual([[], "float64", 0.25]);
  });

  it("skips entries that are not .npy files", async () => {
    const npz = vz.io.writeNpz({ a: vz.ones([2]) });
    // Rename the entry (same length) in both headers: "a.npy" → "a.txt".
    const renamed = patched(npz, (b) => {
      for (const at of [30, centralDirectory(npz) + 46]) b.set(new TextEncoder().encode("a.txt"), at);
    });
    expect(Object.keys(await vz.io.readNpz(renamed))).toEqual([]);
  });

  describe("bad files", () => {
    const stored = fixture("stored.npz");
    const deflated = fixture("deflated.npz");
    const cd = centralDirectory(stored);
    /** The message of the IOError reading `bytes` as a file named `name` (null: no name given) throws. */
    async function ioError(bytes: Uint8Array, name: string | null = "d.npz"): Promise<string> {
      const error = await errorOf(() => vz.io.readNpz(bytes, name === null ? {} : { name }));
      expect(error).toBeInstanceOf(vz.IOError);
      expect((error as vz.IOError).file).toBe(name ?? undefined);
      return error.message;
    }

    it("not a zip archive, and a truncated one", async () => {
      expect(await ioError(fixture("f4_c.npy"))).toBe("readNpz: d.npz: not a zip archive (an .npz file is one): no end of central directory record");
      expect(await ioError(new Uint8Array(0), null)).toBe("readNpz: not a zip archive (an .npz file is one): no end of central directory record");
      expect(await ioError(stored.subarray(0, 400))).toBe("readNpz: d.npz: truncated zip archive: its end of central directory record is missing");
    });

    it("a corrupt central directory or local header", async () => {
      expect(await ioError(patched(stored, (_, v) => v.setUint32(stored.length - 22 + 16, cd + 1, true)))).toBe(
        "readNpz: d.npz: corrupt zip archive: central directory entry 0 is missing",
      );
      expect(await ioError(patched(stored, (_, v) => v.setUint32(cd + 42, 5, true)))).toBe(
        "readNpz: d.npz: X.npy: corrupt zip archive: the entry's local header is missing",
      );
    });

    it("zip64 and encrypted archives", async () => {
      expect(await ioError(patched(stored, (_, v) => v.setUint16(stored.length - 22 + 10, 0xffff, true)))).toBe(
        "readNpz: d.npz: zip64 archives (over 4 GiB or 65535 entries) are not supported",
      );
      expect(await ioError(patched(stored, (_, v) => v.setUint32(cd + 20, 0xffffffff, true)))).toBe(
        "readNpz: d.npz: X.npy: zip64 entries (over 4 GiB) are not supported",
      );
      expect(await ioError(patched(stored, (_, v) => v.setUint16(cd + 8, 1, true)))).toBe("readNpz: d.npz: X.npy: encrypted zip entries are not supported");
    });

    it("an unsupported compression method", async () => {
      expect(await ioError(patched(stored, (_, v) => v.setUint16(cd + 10, 12, true)))).toBe(
        "readNpz: d.npz: X.npy: compression method 12 is not supported; readNpz reads stored (0) and deflated (8) entries",
      );
    });

    it("truncated and corrupt entries", async () => {
      expect(await ioError(patched(stored, (_, v) => v.setUint32(cd + 20, 10_000, true)))).toMatch(
        /^readNpz: d\.npz: X\.npy: truncated zip entry: it needs 10000 bytes, the archive has \d+$/,
      );
      expect(await ioError(patched(stored, (_, v) => v.setUint32(cd + 24, 225, true)))).toBe(
        "readNpz: d.npz: X.npy: corrupt zip entry: it holds 224 bytes, its header says 225",
      );
      // A flipped bit in X's data (its last byte), and a deflate stream cut short.
      const dataEnd = new DataView(stored.buffer).getUint32(cd + 42, true) + 30 + 5 + 20 + 224;
      expect(await ioError(patched(stored, (b) => (b[dataEnd - 1]! ^= 1)))).toBe("readNpz: d.npz: X.npy: corrupt zip entry: its CRC-32 does not match its data");
      const dcd = centralDirectory(deflated);
      expect(await ioError(patched(deflated, (_, v) => v.setUint32(dcd + 20, 10, true)))).toMatch(/^readNpz: d\.npz: X\.npy: corrupt deflate data \(.+\)$/);
    });

    it("a bad .npy inside names the archive and the entry, and frees the arrays read before it", async () => {
      const good = vz.scope(() => vz.io.writeNpy(vz.ones([2])));
      const bad = vz.scope(() => vz.io.writeNpy(vz.ones([2, 3]))).subarray(0, 128 + 8);
      // A truncated second entry, zipped by hand (writeNpz only writes whole arrays).
      const zip = writeZip([
        { name: "a.npy", data: good },
        { name: "b.npy", data: bad },
      ]);
      const before = vz.memory().arrays;
      const error = await errorOf(() => vz.io.readNpz(zip, { name: "d.npz" }));
      expect(error).toBeInstanceOf(vz.IOError);
      expect((error as vz.IOError).file).toBe("d.npz");
      expect(error.message).toBe("readNpz: d.npz: b.npy: truncated data: shape (2,3) of '<f4' needs 24 bytes after the header, the file has 8");
      expect(vz.memory().arrays).toBe(before); // "a", read before b.npy failed, was freed
    });
  });
});

describe("readCsv", () => {
  const table = "x1,x2,label\n0.1,2,1\n-3.5e2, 4 ,0\n";

  it("splits the label column off by name, by index and by negative index", () => {
    for (const label of ["label", 2, -1] as const) {
      const { X, y, columns, label: name } = vz.io.readCsv(table, { label });
      expect(X.shape).toEqual([2, 2]);
      expect(X.dtype).toBe("float32");
      expect(X.toArray()).toEqual([[Math.fround(0.1), 2], [-350, 4]]);
      expect(y.shape).toEqual([2]);
      expect(y.toArray()).toEqual([1, 0]);
      expect(columns).toEqual(["x1", "x2"]);
      expect(name).toBe("label");
    }
    const middle = vz.io.readCsv(table, { label: "x2", dtype: "float64" });
    expect(middle.X.toArray()).toEqual([[0.1, 1], [-350, 0]]);
    expect(middle.y.toArray()).toEqual([2, 4]);
    expect(middle.columns).toEqual(["x1", "label"]);
  });

  it("without a label: every column in X", () => {
    const t = vz.io.readCsv(table, { dtype: "float64" });
    expect(t.X.toArray()).toEqual([[0.1, 2, 1], [-350, 4, 0]]);
    expect(t.columns).toEqual(["x1", "x2", "label"]);
    expect("y" in t).toBe(false);
  });

  it("quoted fields (delimiters, doubled quotes, line breaks), CRLF, a BOM, blank lines, spaces", () => {
    const text = '\ufeff"a, the first","b ""quoted""","c\r\nmultiline"\r\n\r\n"1", 2 ,3\r\n  \n4,"5",6';
    const { X, columns } = vz.io.readCsv(text);
    expect(columns).toEqual(["a, the first", 'b "quoted"', "c\r\nmultiline"]);
    expect(X.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it("nan, inf and -inf as numpy reads them; signs, exponents, leading dots", () => {
    const { X } = vz.io.readCsv("a,b,c,d\nnan,inf,-inf,+Infinity\n.5,-2.,1e-3,+7E+2\nNaN,-INF,00.25,1e999\n", { dtype: "float64" });
    expectIdentical(X.toTypedArray(), [NaN, Infinity, -Infinity, Infinity, 0.5, -2, 1e-3, 700, NaN, -Infinity, 0.25, Infinity]);
  });

  it("other delimiters, no header row, bytes in, an empty table", () => {
    expect(vz.io.readCsv("a;b\n1;2\n", { delimiter: ";" }).X.toArray()).toEqual([[1, 2]]);
    const tsv = vz.io.readCsv("1\t2\t3\n4\t5\t6\n", { delimiter: "\t", header: false, label: 0 });
    expect(tsv.columns).toEqual(["1", "2"]);
    expect(tsv.label).toBe("0");
    expect(tsv.X.toArray()).toEqual([[2, 3], [5, 6]]);
    expect(tsv.y.toArray()).toEqual([1, 4]);
    expect(vz.io.readCsv(new TextEncoder().encode("a,b\n1,2\n")).X.toArray()).toEqual([[1, 2]]);
    const empty = vz.io.readCsv("a,b,c\n", { label: "b" });
    expect([empty.X.shape, empty.y.shape, empty.columns]).toEqual([[0, 2], [0], ["a", "c"]]);
  });

  describe("bad files", () => {
    function ioError(text: string, options: vz.io.ReadCsvOptions = { name: "d.csv" }): string {
      let error: unknown;
      try {
        vz.io.readCsv(text, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(vz.IOError);
      expect((error as vz.IOError).file).toBe(options.name);
      return (error as Error).message;
    }

    it("a non-numeric cell: its line, column number and name, and the text", () => {
      expect(ioError("a,b\n1,2\n3,abc\n")).toBe("readCsv: d.csv: line 3, column 2 ('b'): could not convert string to float: 'abc'");
      expect(ioError("a,b\n1,\n", {})).toBe("readCsv: line 2, column 2 ('b'): could not convert string to float: ''");
      for (const cell of ["0x10", "0B1", "0o7", "1_000", "1e", "--1", "1.5.2", "infinite"]) {
        expect(ioError(`a,b\n1,${cell}\n`)).toBe(`readCsv: d.csv: line 2, column 2 ('b'): could not convert string to float: '${cell}'`);
      }
      // Line numbers count the line breaks inside quoted fields.
      expect(ioError('"a\nb",c\n1,2\nyes,2\n')).toBe("readCsv: d.csv: line 4, column 1 ('a\nb'): could not convert string to float: 'yes'");
      // A non-numeric label is an error too.
      expect(ioError("a,label\n1,cat\n", { name: "d.csv", label: "label" })).toBe(
        "readCsv: d.csv: line 2, column 2 ('label'): could not convert string to float: 'cat'",
      );
    });

    it("rows with too few or too many fields", () => {
      expect(ioError("a,b,c\n1,2,3\n4,5\n")).toBe("readCsv: d.csv: line 3 has 2 fields, expected 3 as in the header");
      expect(ioError("1,2\n3,4,5\n", { name: "d.csv", header: false })).toBe("readCsv: d.csv: line 2 has 3 fields, expected 2 as in the first row");
      expect(ioError("a,b\n1\n")).toBe("readCsv: d.csv: line 2 has 1 field, expected 2 as in the header");
    });

    it("an unterminated quote", () => {
      expect(ioError('a,b\n1,"2\n3,4\n')).toBe("readCsv: d.csv: unterminated quoted field starting on line 2");
    });

    it("bad options: a missing label column, a bad delimiter, a bad dtype", () => {
      expect(() => vz.io.readCsv(table, { label: "y", name: "d.csv" })).toThrow(
        new vz.ValueError("readCsv: d.csv: no column named 'y'; the columns are 'x1', 'x2', 'label'"),
      );
      expect(() => vz.io.readCsv(table, { label: 3 })).toThrow(new vz.ValueError("readCsv: label column 3 is out of bounds for 3 columns"));
      expect(() => vz.io.readCsv(table, { label: -4 })).toThrow(new vz.ValueError("readCsv: label column -4 is out of bounds for 3 columns"));
      expect(() => vz.io.readCsv("1,2\n", { label: "a", header: false })).toThrow(
        new vz.ValueError("readCsv: a label column by name needs a header row; give its index"),
      );
      for (const delimiter of ["", ";;", '"', "\n"]) {
        expect(() => vz.io.readCsv(table, { delimiter })).toThrow(
          new vz.ValueError(`readCsv: the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`),
        );
      }
      expect(() => vz.io.readCsv(table, { dtype: "int8" as vz.DType })).toThrow(vz.DTypeError);
    });
  });
});

describe("files by path (Node)", () => {
  const dir = mkdtempSync(join(tmpdir(), "vectorized-io-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("saveNpy / loadNpy, saveNpz / loadNpz, loadCsv", async () => {
    const x = vz.array(expected("f8"), { shape: [2, 3], dtype: "float64" });
    await vz.io.saveNpy(join(dir, "x.npy"), x, { order: "F" });
    expect(new Uint8Array(readFileSync(join(dir, "x.npy")))).toEqual(fixture("f8_f.npy"));
    expectIdentical((await vz.io.loadNpy(join(dir, "x.npy"))).toTypedArray(), expected("f8"));
    expect((await vz.io.loadNpy(join(dir, "x.npy"), { dtype: "float32" })).dtype).toBe("float32");

    await vz.io.saveNpz(join(dir, "d.npz"), { x });
    expectIdentical((await vz.io.loadNpz(join(dir, "d.npz")))["x"]!.toTypedArray(), expected("f8"));

    writeFileSync(join(dir, "d.csv"), "a,b\n1,2\n");
    const { X, y } = await vz.io.loadCsv(join(dir, "d.csv"), { label: "a" });
    expect([X.toArray(), y.toArray()]).toEqual([[[2]], [1]]);
  });

  it("errors name the path: a missing file, a bad file, an unwritable path", async () => {
    const missing = join(dir, "missing.npy");
    const error = await errorOf(() => vz.io.loadNpy(missing));
    expect(error).toBeInstanceOf(vz.IOError);
    expect((error as vz.IOError).file).toBe(missing);
    expect(error.message).toMatch(new RegExp(`^loadNpy: ${missing}: cannot read the file: ENOENT: no such file or directory`));

    writeFileSync(join(dir, "bad.npy"), "a,b\n");
    expect((await errorOf(() => vz.io.loadNpy(join(dir, "bad.npy")))).message).toMatch(new RegExp(`^readNpy: ${dir}/bad\\.npy: not a \\.npy file`));
    writeFileSync(join(dir, "bad.csv"), "a\nx\n");
    expect((await errorOf(() => vz.io.loadCsv(join(dir, "bad.csv")))).message).toBe(
      `readCsv: ${dir}/bad.csv: line 2, column 1 ('a'): could not convert string to float: 'x'`,
    );
    expect((await errorOf(() => vz.io.loadNpz(join(dir, "bad.csv")))).message).toMatch(/^readNpz: .*bad\.csv: not a zip archive/);

    // Regular files only, read up to their size: a device or a directory is refused up front.
    for (const path of ["/dev/zero", dir]) {
      const device = await errorOf(() => vz.io.loadCsv(path));
      expect(device).toBeInstanceOf(vz.IOError);
      expect(device.message).toBe(`loadCsv: ${path}: cannot read the file: it is not a regular file (a device, a pipe or a directory)`);
    }

    const unwritable = join(dir, "no-such-dir", "x.npy");
    const write = await errorOf(() => vz.io.saveNpy(unwritable, vz.ones([1])));
    expect(write).toBeInstanceOf(vz.IOError);
    expect(write.message).toMatch(new RegExp(`^saveNpy: ${unwritable}: cannot write the file: ENOENT`));
    expect((await errorOf(() => vz.io.saveNpz(unwritable, {}))).message).toMatch(/^saveNpz: .*cannot write the file/);
  });

  it("without process.getBuiltinModule (browsers, older Node): a ValueError that says what to do instead", async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      const read = await errorOf(() => vz.io.loadCsv(join(dir, "d.csv")));
      expect(read).toBeInstanceOf(vz.ValueError);
      expect(read.message).toBe("loadCsv: file paths need Node.js 20.16 or later (process.getBuiltinModule); elsewhere, pass the file's contents to readCsv");
      expect((await errorOf(() => vz.io.saveNpz(join(dir, "e.npz"), {}))).message).toBe(
        "saveNpz: file paths need Node.js 20.16 or later (process.getBuiltinModule); elsewhere, save the bytes writeNpz returns",
      );
    } finally {
      proc.getBuiltinModule = original;
    }
  });
});
