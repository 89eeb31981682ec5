/**
 * Argument checks shared by every DocumentStore, so a call that one store rejects is rejected by
 * all of them (a bug found on the file store in development must not first show up on Cosmos).
 */
import { COLLECTIONS, type CollectionName, type DocumentQuery } from '../../core/ports/documentStore';

/** Body field names a query may name: plain identifiers only, so they can never inject SQL. */
export const QUERY_FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertCollection(collection: string): asserts collection is CollectionName {
  if (!(COLLECTIONS as readonly string[]).includes(collection)) {
    throw new TypeError(`Unknown collection "${collection}"`);
  }
}

export function assertKey(kind: 'id' | 'partitionKey', value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${kind} must be a non-empty string`);
  }
}

export function assertEtag(etag: unknown): asserts etag is string {
  if (typeof etag !== 'string' || etag.length === 0) throw new TypeError('etag must be a non-empty string');
}

export function assertBody(body: unknown): void {
  // JSON would drop an undefined body and the document could not be read back.
  if (body === undefined) throw new TypeError('body must be a JSON value, not undefined');
}

export function validateQuery(query: DocumentQuery): void {
  for (const clause of [query.fieldAtMost, query.fieldEquals]) {
    if (clause && !QUERY_FIELD_PATTERN.test(clause.field)) {
      throw new TypeError(`Query field "${clause.field}" is not a plain identifier`);
    }
  }
  if (query.fieldAtMost) {
    const v = query.fieldAtMost.value;
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      throw new TypeError('fieldAtMost.value must be a string or a finite number');
    }
  }
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
    throw new TypeError('limit must be a non-negative integer');
  }
}
