/** How a `running` row's runner is named in messages. */

/** "pid 4242 (dbkit on ci-runner-7)" */
export function describeOwner(owner: { pid: number | null; application: string | null; host: string | null }): string {
  if (owner.pid === null) return "an unknown runner";
  const where = [owner.application || undefined, owner.host ? `on ${owner.host}` : undefined].filter(Boolean).join(" ");
  return `pid ${owner.pid}${where ? ` (${where})` : ""}`;
}
