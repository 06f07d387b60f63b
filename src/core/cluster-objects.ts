/**
 * Whether SQL touches what a Postgres server shares between its databases (roles, tablespaces,
 * server settings). verify builds the expected schema in a scratch database inside the embedded
 * server it verifies only when the migrations touch none of it: there, `create role` would meet
 * the target's own roles. A lexical check, on the safe side: a word in a comment or a string
 * only costs the build a server of its own.
 */
const CLUSTER_WIDE = /\b(?:(?:create|alter|drop)\s+(?:role|user(?!\s+mapping)|group)|create\s+tablespace|alter\s+system|(?:drop|reassign)\s+owned)\b/i;

export function touchesClusterObjects(text: string): boolean {
  return CLUSTER_WIDE.test(text);
}
