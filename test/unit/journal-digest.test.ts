import { describe, expect, it } from "vitest";
import { appliedDigest } from "../../src/core/journal-digest.js";

const sum = (n: number) => String(n).repeat(64).slice(0, 64);

describe("the digest that proves a no-op migrate", () => {
  it("is the same whatever order the files come in (the server orders the names byte by byte)", () => {
    const files = [{ name: "0010_x", checksum: sum(1) }, { name: "0002_b", checksum: sum(2) }, { name: "R__views", checksum: sum(3) }, { name: "0002_B", checksum: sum(4) }];
    expect(appliedDigest(files)).toBe(appliedDigest([...files].reverse()));
  });

  it("cannot read a name and checksum as another pair (each is length-prefixed)", () => {
    expect(appliedDigest([{ name: "0001_a", checksum: "1" }])).not.toBe(appliedDigest([{ name: "0001_a1", checksum: "" }]));
    expect(appliedDigest([{ name: "0001_a", checksum: "bc" }, { name: "0002_b", checksum: "de" }])).not.toBe(appliedDigest([{ name: "0001_a", checksum: "bc6:0002_b2:de" }]));
  });

  it("is not given for a name outside printable ASCII, whose byte order JavaScript does not share", () => {
    expect(appliedDigest([{ name: "0001_café", checksum: sum(1) }])).toBeUndefined();
    expect(appliedDigest([{ name: "0001_a\nb", checksum: sum(1) }])).toBeUndefined();
  });
});
