import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FRESH_MS } from "../../src/fs/file-stat-cache.js";
import { cachedListing, listingKey, type FolderListing } from "../../src/fs/folder-listing-cache.js";
import { readMigrationDir } from "../../src/fs/read-migration-dir.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(files: string[]) {
  const root = mkdtempSync(path.join(os.tmpdir(), "dbkit-listing-"));
  roots.push(root);
  const dir = path.join(root, "migrations");
  mkdirSync(dir);
  for (const name of files) writeFileSync(path.join(dir, name), `-- ${name}\n`);
  return { root, dir, stateDir: path.join(root, ".dbkit") };
}

/** One run's listing, `later` ms after now (files just written count as old enough to record); counts real listings. */
function lister(p: ReturnType<typeof project>) {
  let listings = 0;
  const list = async (): Promise<FolderListing> => {
    listings++;
    const named = readdirSync(p.dir)
      .filter((name) => name.endsWith(".sql"))
      .sort()
      .map((fileName) => ({ fileName, name: fileName.slice(0, -4), version: fileName.slice(0, 4), ...(fileName.startsWith("R") ? { repeatable: true } : {}) }));
    return { format: "dbkit", configured: false, named, downs: new Map([["1", "0001_a.down.sql"]]), warnings: ["a warning"], namesAlone: !readdirSync(p.dir).includes("archive") };
  };
  return {
    run: (key = "k", later = FRESH_MS + 1000) => cachedListing(p.stateDir, p.dir, p.root, key, list, () => Date.now() + later),
    listings: () => listings,
  };
}

describe("the folder listing cache", () => {
  it("gives back the recorded listing, field for field, while the folder's stat has not moved", async () => {
    const p = project(["0001_a.sql", "0002_b.sql", "R__views.sql"]);
    const l = lister(p);
    const first = await l.run();
    const second = await l.run();
    expect(l.listings()).toBe(1);
    expect(second).toEqual(first);
    expect(second.named.map((file) => file.repeatable)).toEqual([undefined, undefined, true]);
  });

  it("lists the folder again once a file is added, removed or renamed in it", async () => {
    const p = project(["0001_a.sql", "0002_b.sql"]);
    const l = lister(p);
    await l.run();
    writeFileSync(path.join(p.dir, "0003_c.sql"), "-- c\n");
    expect((await l.run()).named.map((file) => file.name)).toEqual(["0001_a", "0002_b", "0003_c"]);
    rmSync(path.join(p.dir, "0002_b.sql"));
    expect((await l.run()).named.map((file) => file.name)).toEqual(["0001_a", "0003_c"]);
    renameSync(path.join(p.dir, "0003_c.sql"), path.join(p.dir, "0003_d.sql"));
    expect((await l.run()).named.map((file) => file.name)).toEqual(["0001_a", "0003_d"]);
    expect(l.listings()).toBe(4);
  });

  it("does not record a folder changed moments before it was listed (racily clean), nor a listing that is not the names' alone", async () => {
    const p = project(["0001_a.sql"]);
    const l = lister(p);
    await l.run("k", 0);
    await l.run("k", 0);
    expect(l.listings()).toBe(2);
    mkdirSync(path.join(p.dir, "archive"));
    await l.run();
    await l.run();
    expect(l.listings()).toBe(4);
  });

  it("lists again under other reading options, and from a damaged cache", async () => {
    const p = project(["0001_a.sql"]);
    const l = lister(p);
    await l.run("k");
    await l.run("other");
    expect(l.listings()).toBe(2);
    const file = readdirSync(path.join(p.stateDir, "file-stats")).find((name) => name.endsWith(".listing.json"))!;
    const cachePath = path.join(p.stateDir, "file-stats", file);
    const stored = JSON.parse(readFileSync(cachePath, "utf8")) as { versions: string[] };
    stored.versions.push("extra");
    writeFileSync(cachePath, JSON.stringify(stored));
    await l.run("other");
    expect(l.listings()).toBe(3);
    writeFileSync(cachePath, "{not json");
    await l.run("other");
    expect(l.listings()).toBe(4);
  });

  it("is the listing readMigrationDir reads while the folder's stat has not moved", async () => {
    const p = project(["0001_a.sql", "0002_b.sql"]);
    // Recorded (as if the folder were old enough) naming one file only: the cache is trusted, not the folder.
    const recorded: FolderListing = { format: "dbkit", configured: false, named: [{ fileName: "0001_a.sql", name: "0001_a", version: "0001" }], downs: new Map(), warnings: [], namesAlone: true };
    await cachedListing(p.stateDir, p.dir, p.root, listingKey({}), async () => recorded, () => Date.now() + FRESH_MS + 1000);
    expect((await readMigrationDir(p.dir, p.root, p.stateDir)).files.map((file) => file.name)).toEqual(["0001_a"]);
    writeFileSync(path.join(p.dir, "0003_c.sql"), "-- c\n");
    expect((await readMigrationDir(p.dir, p.root, p.stateDir)).files.map((file) => file.name)).toEqual(["0001_a", "0002_b", "0003_c"]);
  });
});
