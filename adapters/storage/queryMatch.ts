/**
 * In-memory evaluation of a DocumentQuery, with Cosmos DB's semantics so both stores agree:
 * a missing field matches nothing, and `<=` only compares values of the same type
 * (a string is never ≤ a number).
 */
import type { DocumentQuery } from '../../core/ports/documentStore';

export function matchesQuery(body: unknown, query: DocumentQuery): boolean {
  if (query.fieldAtMost) {
    const actual = ownField(body, query.fieldAtMost.field);
    const bound = query.fieldAtMost.value;
    if (actual === undefined || typeof actual !== typeof bound) return false;
    if (!((actual as string | number) <= bound)) return false;
  }
  if (query.fieldEquals) {
    const actual = ownField(body, query.fieldEquals.field);
    if (actual === undefined || actual !== query.fieldEquals.value) return false;
  }
  return true;
}

/** Own top-level field only: never walks the prototype chain (e.g. a field named "constructor"). */
function ownField(body: unknown, field: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return Object.prototype.hasOwnProperty.call(body, field) ? (body as Record<string, unknown>)[field] : undefined;
}
