/**
 * Parsing and redacting Postgres connection URLs. Passwords are commonly pasted without
 * percent-encoding (`postgres://u:p@ss#1@host/db`), so the user-info part is taken up to the
 * last `@` rather than trusting a generic URL parser.
 */
export interface ConnectionUrl {
  user: string | undefined;
  password: string | undefined;
  host: string;
  port: number;
  database: string;
  /** Query parameters (`sslmode`, `sslrootcert`, `application_name`, ...). */
  params: Record<string, string>;
}

export type ParseUrlResult = { ok: true; url: ConnectionUrl } | { ok: false; reason: string };

const SCHEMES = ["postgres://", "postgresql://"];

export function parseConnectionUrl(raw: string): ParseUrlResult {
  const scheme = SCHEMES.find((s) => raw.toLowerCase().startsWith(s));
  if (!scheme) return { ok: false, reason: "it must start with postgres:// or postgresql://" };
  let rest = raw.slice(scheme.length);
  let user: string | undefined;
  let password: string | undefined;
  const at = userInfoEnd(rest);
  if (at !== -1) {
    const userInfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userInfo.indexOf(":");
    user = decodeLenient(colon === -1 ? userInfo : userInfo.slice(0, colon));
    password = colon === -1 ? undefined : decodeLenient(userInfo.slice(colon + 1));
  }
  const queryAt = rest.indexOf("?");
  const query = queryAt === -1 ? "" : rest.slice(queryAt + 1);
  const hostAndPath = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const slash = hostAndPath.indexOf("/");
  const hostPort = slash === -1 ? hostAndPath : hostAndPath.slice(0, slash);
  const database = decodeLenient(slash === -1 ? "" : hostAndPath.slice(slash + 1));
  const params: Record<string, string> = {};
  for (const pair of query.split("&").filter(Boolean)) {
    const eq = pair.indexOf("=");
    const key = decodeLenient(eq === -1 ? pair : pair.slice(0, eq));
    params[key] = decodeLenient(eq === -1 ? "" : pair.slice(eq + 1));
  }
  const hostMatch = /^(\[[^\]]+\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  const host = decodeLenient(hostMatch?.[1] ?? "").replace(/^\[|\]$/g, "") || params.host || "localhost";
  const portText = hostMatch?.[2] ?? params.port;
  const port = portText === undefined || portText === "" ? 5432 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, reason: `the port ${JSON.stringify(portText)} is not a number from 1 to 65535` };
  }
  if (/[\s/]/.test(host) && !host.startsWith("/")) return { ok: false, reason: `the host ${JSON.stringify(host)} is not valid` };
  return {
    ok: true,
    url: { user: user || params.user, password: password ?? params.password, host, port, database: database || params.dbname || user || "postgres", params },
  };
}

/**
 * Where the user info ends: the last `@` before the host. An unencoded `@` in a password is
 * common, so that is the last `@` of the URL, unless the `@` sits in the query string
 * (`?password=p@ss`): when a `?` follows a host or a path already (an `@` or a `/` before it),
 * what comes after it is the query, and its `@` must not make a host of the password's tail.
 */
function userInfoEnd(rest: string): number {
  const query = rest.indexOf("?");
  if (query === -1) return rest.lastIndexOf("@");
  const beforeQuery = rest.slice(0, query);
  if (rest.indexOf("@", query) !== -1 && /[@/]/.test(beforeQuery)) return beforeQuery.lastIndexOf("@");
  return rest.lastIndexOf("@");
}

/** `%xx` sequences are decoded when they form valid UTF-8; anything else is kept as typed. */
function decodeLenient(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The password of a URL-like string, as typed (encoded or not), and its decoded form. */
export function secretsOfUrl(raw: string): string[] {
  const parsed = parseConnectionUrl(raw);
  const secrets = new Set<string>();
  const scheme = SCHEMES.find((s) => raw.toLowerCase().startsWith(s));
  if (scheme) {
    const rest = raw.slice(scheme.length);
    const at = userInfoEnd(rest);
    const colon = rest.indexOf(":");
    if (at !== -1 && colon !== -1 && colon < at) secrets.add(rest.slice(colon + 1, at));
  }
  if (parsed.ok && parsed.url.password) secrets.add(parsed.url.password);
  const passwordParam = /[?&]password=([^&]*)/.exec(raw)?.[1];
  if (passwordParam) secrets.add(passwordParam);
  return [...secrets].filter((s) => s.length > 0);
}

/** Secrets shorter than this are masked only inside URLs: masking every "p" would garble all text. */
export const MIN_MASKED_SECRET = 4;

/**
 * Masks every given secret and any `scheme://user:password@` user-info in `text`. Applied to
 * everything dbkit prints, so a password never reaches a terminal, a log or --json.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^\s]*@/gi, "$1****@");
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < MIN_MASKED_SECRET) continue;
    out = out.split(secret).join("****");
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join("****");
  }
  return out;
}

/** host:port/database as user, for "which database is this" lines. Never includes a password. */
export function describeTarget(url: Pick<ConnectionUrl, "host" | "port" | "database" | "user">): string {
  const host = url.host.includes(":") ? `[${url.host}]` : url.host;
  return `${host}:${url.port}/${url.database}${url.user ? ` as ${url.user}` : ""}`;
}

const LOCAL_HOSTS = new Set(["localhost", "::1"]);

/** IPv4 loopback (127.0.0.0/8) as an address, not a prefix: `127.prod-db.example` is a name. */
const LOOPBACK_V4 = /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;

/** True for hosts on this machine: loopback names and addresses, and Unix socket directories. */
export function isLocalHost(host: string): boolean {
  const lower = host.toLowerCase();
  return LOCAL_HOSTS.has(lower) || host.startsWith("/") || LOOPBACK_V4.test(lower.replace(/^::ffff:/, ""));
}
