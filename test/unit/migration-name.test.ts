import { describe, expect, it } from "vitest";
import { compareMigrations, findCaseCollisions, findSharedVersions, parseMigrationFileName } from "../../src/core/migration-name.js";

describe("migration file names", () => {
  it("parses <version>_<name>.sql with versions of any width", () => {
    expect(parseMigrationFileName("0001_init.sql")).toEqual({ name: "0001_init", version: "0001", label: "init" });
    expect(parseMigrationFileName("20250120000000_nps_submissions.sql")).toMatchObject({ version: "20250120000000" });
    expect(parseMigrationFileName("20250803135359_a2d91f3f-ea83-4e9d-8ae0-5a58dea1166a.sql")?.name).toBe("20250803135359_a2d91f3f-ea83-4e9d-8ae0-5a58dea1166a");
  });

  it("keeps everything after the first underscore as the label", () => {
    expect(parseMigrationFileName("0001_2_add_users.sql")).toEqual({ name: "0001_2_add_users", version: "0001", label: "2_add_users" });
    expect(parseMigrationFileName("0001_x.sql.sql")).toEqual({ name: "0001_x.sql", version: "0001", label: "x.sql" });
  });

  it("rejects names that do not follow the pattern", () => {
    for (const name of ["init.sql", "0001.sql", "0001_.sql", "_init.sql", ".sql", "0001_init.SQL", "v1_init.sql", "12a_init.sql", "0001_init.SQL.bak", "2025-11-05_telemetry.sql", "0001_a\nb.sql", "0001_a\u2028.sql"]) {
      expect(parseMigrationFileName(name), name).toBeUndefined();
    }
  });

  it("orders numerically by version, then by name", () => {
    const names = ["00010_x.sql", "0002_y.sql", "0006_seed_data_openai.sql", "0006_seed_data_google.sql", "1_a.sql", "99999999999999999999_big.sql"];
    const sorted = names.map((n) => parseMigrationFileName(n)!).sort(compareMigrations).map((f) => f.name);
    expect(sorted).toEqual(["1_a", "0002_y", "0006_seed_data_google", "0006_seed_data_openai", "00010_x", "99999999999999999999_big"]);
  });

  it("orders timestamps of different precisions as times (file name order), other versions numerically", () => {
    const names = ["202406201411_c.sql", "20230517185943_a.sql", "2024041012052_b.sql", "202404101227_b2.sql", "20240101_d.sql", "99999999999999_n.sql", "12345678_m.sql"];
    const sorted = names.map((n) => parseMigrationFileName(n)!).sort(compareMigrations).map((f) => f.name);
    expect(sorted).toEqual(["12345678_m", "20230517185943_a", "20240101_d", "2024041012052_b", "202404101227_b2", "202406201411_c", "99999999999999_n"]);
  });

  it("finds shared versions regardless of zero padding", () => {
    const files = ["0006_a.sql", "006_b.sql", "0007_c.sql"].map((n) => parseMigrationFileName(n)!);
    expect(findSharedVersions(files)).toEqual([["0006_a", "006_b"]]);
  });

  it("finds names that differ only in letter case", () => {
    expect(findCaseCollisions(["0001_Init", "0001_init", "0002_x"])).toEqual([["0001_Init", "0001_init"]]);
  });
});
