/** `queue:NAME` is how a job names a queue wherever it may also name a person. */
const QUEUE_PREFIX = /^queue:/i;

/** The queue name in `queue:Hopper` (`Hopper`), or undefined when the reference names a person. */
export function queueNameOf(reference: string): string | undefined {
  const text = reference.trim();
  return QUEUE_PREFIX.test(text) ? text.slice('queue:'.length).trim() : undefined;
}

/** `queue:NAME` for a queue name, which may already carry the prefix. */
export function queueReference(name: string): string {
  return `queue:${queueNameOf(name) ?? name.trim()}`;
}
