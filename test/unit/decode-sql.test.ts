import { describe, expect, it } from "vitest";
import { checksumOf, decodeSqlBytes } from "../../src/core/decode-sql.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("decoding SQL files", () => {
  it("strips a UTF-8 BOM and gives the same checksum as without it", () => {
    const plain = decodeSqlBytes(bytes("select 1;\n"));
    const withBom = decodeSqlBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("select 1;\n")]));
    expect(withBom).toMatchObject({ ok: true, hadBom: true, text: "select 1;\n" });
    expect(plain.ok && withBom.ok && checksumOf(plain.text) === checksumOf(withBom.text)).toBe(true);
  });

  it("normalises CRLF, lone CR and mixed endings so a Windows checkout does not look edited", () => {
    const unix = decodeSqlBytes(bytes("select 1;\nselect 2;\n"));
    const windows = decodeSqlBytes(bytes("select 1;\r\nselect 2;\r\n"));
    const mixed = decodeSqlBytes(bytes("select 1;\r\nselect 2;\r"));
    expect(unix.ok && windows.ok && mixed.ok).toBe(true);
    if (unix.ok && windows.ok && mixed.ok) {
      expect(windows.text).toBe(unix.text);
      expect(mixed.text).toBe(unix.text);
      expect(checksumOf(windows.text)).toBe(checksumOf(unix.text));
    }
  });

  it("checksums differ when the content differs", () => {
    expect(checksumOf("select 1;")).not.toBe(checksumOf("select 2;"));
    expect(checksumOf("select 1;")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rejects UTF-16 with or without a BOM", () => {
    const utf16 = Buffer.from("\ufeffselect 1;\n", "utf16le");
    expect(decodeSqlBytes(utf16)).toEqual({ ok: false, problem: { kind: "utf16" } });
    expect(decodeSqlBytes(Buffer.from("select 1; select 2;\n", "utf16le"))).toEqual({ ok: false, problem: { kind: "utf16" } });
  });

  it("rejects invalid UTF-8 and names the line", () => {
    const latin1 = new Uint8Array([...bytes("select 1;\nselect 'caf"), 0xe9, ...bytes("';\n")]);
    expect(decodeSqlBytes(latin1)).toEqual({ ok: false, problem: { kind: "invalid-utf8", line: 2, byteOffset: 21 } });
    expect(decodeSqlBytes(new Uint8Array([0xed, 0xa0, 0x80]))).toMatchObject({ ok: false }); // a UTF-16 surrogate
    expect(decodeSqlBytes(new Uint8Array([0xc0, 0x80]))).toMatchObject({ ok: false }); // overlong
  });

  it("accepts multi-byte UTF-8", () => {
    expect(decodeSqlBytes(bytes("select 'héllo ✓ 🐘';"))).toMatchObject({ ok: true, text: "select 'héllo ✓ 🐘';" });
  });

  it("rejects a NUL byte and names the line", () => {
    expect(decodeSqlBytes(bytes("select 1;\nselect 2;\n\u0000"))).toEqual({ ok: false, problem: { kind: "nul-byte", line: 3 } });
  });
});
