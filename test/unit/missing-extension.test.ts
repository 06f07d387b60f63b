import { describe, expect, it } from "vitest";
import { missingExtensionHint, missingExtensionOf } from "../../src/core/missing-extension.js";

describe("missing extensions", () => {
  it("finds the extension in Postgres 17's and 15's wordings", () => {
    expect(missingExtensionOf('extension "vector" is not available')).toBe("vector");
    expect(missingExtensionOf('could not open extension control file "/usr/share/postgresql/15/extension/pgsodium.control": No such file or directory')).toBe("pgsodium");
    expect(missingExtensionOf('relation "x" does not exist')).toBeUndefined();
  });

  it("hints only for extensions Supabase provides", () => {
    expect(missingExtensionHint("pg_graphql")).toContain("Supabase");
    expect(missingExtensionHint("my_own_extension")).toBeUndefined();
  });
});
