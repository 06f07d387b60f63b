import { describe, expect, it } from "vitest";
import { touchesClusterObjects } from "../../src/core/cluster-objects.js";

describe("SQL that touches what a server's databases share", () => {
  it.each([
    ["create role reader nologin;", true],
    ["CREATE USER app WITH PASSWORD 'x';", true],
    ["alter role reader set search_path = app;", true],
    ["drop group staff;", true],
    ["create tablespace fast location '/ssd';", true],
    ["ALTER SYSTEM SET work_mem = '64MB';", true],
    ["reassign owned by old to new;", true],
    ["create table t (id int);\ngrant select on t to reader;", false],
    ["create user mapping for current_user server s;", false],
    ["create policy p on t to authenticated using (true);", false],
  ])("%s → %s", (sql, expected) => {
    expect(touchesClusterObjects(sql)).toBe(expected);
  });
});
