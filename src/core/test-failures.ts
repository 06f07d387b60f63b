/**
 * Reading what a test statement returned: the "not ok" TAP lines the assertions of the `tests`
 * schema return, with their "# found:" and "# expected:" lines, and naming a pgTAP function
 * dbkit does not provide when a file calls one.
 */

/** A failed assertion or a statement that failed, at a line of a test file. */
export interface TestFailure {
  line: number;
  message: string;
  expected?: string;
  found?: string;
}

/** How one test file went. */
export interface TestFileResult {
  /** The file's path, relative to the project. */
  file: string;
  ok: boolean;
  /** Milliseconds the file took. */
  ms: number;
  /** How many assertions ran. */
  assertions: number;
  failures: TestFailure[];
}

/** The failed assertions among the values a statement returned (one TAP text per value). */
export function failuresInValues(values: readonly unknown[], line: number): TestFailure[] {
  const failures: TestFailure[] = [];
  for (const value of values) {
    if (typeof value !== "string" || !value.startsWith("not ok")) continue;
    const [first = value, ...rest] = value.split("\n");
    const failure: TestFailure = { line, message: first };
    for (const diag of rest) {
      const match = /^#\s*(found|expected):\s?(.*)$/.exec(diag);
      if (match?.[1] === "found") failure.found = match[2] ?? "";
      else if (match?.[1] === "expected") failure.expected = match[2] ?? "";
    }
    failures.push(failure);
  }
  return failures;
}

/** The functions pgTAP has that dbkit's `tests` schema does not (those a test file may call). */
const PGTAP_ONLY = new Set(
  (
    "hasnt_table has_view hasnt_view col_is_null col_has_default col_hasnt_default " +
    "col_default_is col_isnt_pk col_is_fk col_isnt_fk col_is_unique has_pk hasnt_pk has_fk hasnt_fk has_index hasnt_index " +
    "index_is_unique index_is_primary has_trigger hasnt_trigger trigger_is hasnt_function is_definer " +
    "isnt_definer volatility_is function_lang_is hasnt_schema has_role hasnt_role has_user has_extension hasnt_extension " +
    "has_sequence hasnt_sequence has_type hasnt_type has_enum enum_has_labels has_rule has_cast has_operator tables_are views_are " +
    "schemas_are functions_are indexes_are triggers_are roles_are users_are extensions_are sequences_are " +
    "table_privs_are function_privs_are column_privs_are " +
    "database_privs_are sequence_privs_are is_superuser isnt_superuser bag_eq bag_ne set_ne set_has set_hasnt bag_has " +
    "bag_hasnt throws_like throws_ilike throws_matching throws_imatching lives_ok_ok performs_ok performs_within " +
    "matches imatches alike ialike unalike unialike doesnt_match doesnt_imatch cmp_ok isa_ok is_aggregate isnt_aggregate " +
    "is_partitioned has_inherited_tables fk_ok todo todo_start todo_end skip runtests do_tap collect_tap is_clustered " +
    "has_tablespace has_composite has_domain domain_type_is has_foreign_table hasnt_foreign_table has_materialized_view " +
    "has_relation hasnt_relation is_member_of has_leftop has_rightop has_opclass isnt_empty_ok"
  ).split(" "),
);

/**
 * For an undefined_function error: the pgTAP function it names, when dbkit does not provide it
 * (a message for the user), else undefined.
 */
export function unsupportedPgtapFunction(message: string): string | undefined {
  const name = /function (?:[\w"]+\.)?"?(\w+)"?\(/.exec(message)?.[1];
  if (!name || !PGTAP_ONLY.has(name)) return undefined;
  return `${name}() is a pgTAP function dbkit test does not provide; dbkit test has plan, no_plan, ok, is, isnt, pass, fail, diag, results_eq, results_ne, set_eq, row_eq, is_empty, isnt_empty, lives_ok, throws_ok, has_table, has_schema, has_column, hasnt_column, col_is_pk, col_type_is, col_not_null, columns_are, has_function, function_returns, policies_are, policy_roles_are, policy_cmd_is, schema_privs_are, finish and the tests.* helpers (see the README)`;
}
