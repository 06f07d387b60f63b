import { describe, expect, it } from "vitest";
import { parseLibpqOptions, sessionSettingsSql } from "../../src/core/session-settings.js";

describe("session settings", () => {
  it("reads libpq's options the way libpq does: -c name=value, -cname=value, --name=value, escaped spaces", () => {
    expect(parseLibpqOptions("-c search_path=app,public -cstatement_timeout=5s --app.tenant=acme -c application_name=my\\ app")).toEqual({
      settings: { search_path: "app,public", statement_timeout: "5s", "app.tenant": "acme", application_name: "my app" },
      problems: [],
    });
    expect(parseLibpqOptions("--search-path=x").settings).toEqual({ search_path: "x" });
    expect(parseLibpqOptions("-x -c novalue").problems).toEqual(["-x", "novalue"]);
  });

  it("sets them with set_config, quoting values, local to the transaction or for the session", () => {
    expect(sessionSettingsSql({ search_path: '"$user", public', "app.note": "it's" }, true)).toBe(
      `select set_config('search_path', '"$user", public', true), set_config('app.note', 'it''s', true)`,
    );
    expect(sessionSettingsSql({ search_path: "app" }, false)).toBe("select set_config('search_path', 'app', false)");
    expect(sessionSettingsSql({}, true)).toBe("");
  });
});
