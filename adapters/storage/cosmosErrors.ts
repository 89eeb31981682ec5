/**
 * Maps @azure/cosmos failures onto the port's error classes, keeping the SDK error as `cause`.
 * Messages carry the operation and status only: never ids or document contents.
 */
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  StorageUnavailableError,
} from '../../core/ports/documentStore';

interface SdkError {
  readonly name?: string;
  readonly code?: number | string;
  readonly statusCode?: number;
}

/** The HTTP status of an SDK error, or undefined for network faults, timeouts and aborts. */
export function cosmosStatus(error: unknown): number | undefined {
  const e = (error ?? {}) as SdkError;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return typeof e.code === 'number' ? e.code : undefined;
}

export function toStorageError(operation: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const status = cosmosStatus(error);
  const options = { cause: error };
  switch (status) {
    case 409:
      return new ConflictError(`Cosmos ${operation}: document already exists`, options);
    case 412:
      return new PreconditionFailedError(`Cosmos ${operation}: document changed since it was read`, options);
    case 404:
      return new NotFoundError(`Cosmos ${operation}: not found`, options);
    case 400:
    case 413:
      // The request itself is wrong (bad query, document over 2 MB): retrying cannot help.
      return new StorageError(`Cosmos ${operation} rejected (${status})`, options);
    case undefined: {
      // Connection refused or reset, DNS failure, request timeout, our deadline (AbortError)…
      const e = (error ?? {}) as SdkError;
      const what = typeof e.code === 'string' ? e.code : (e.name ?? 'error');
      return new StorageUnavailableError(`Cosmos ${operation} unreachable (${what})`, options);
    }
    default:
      // 401/403 (credentials), 408, 429 after the SDK's few retries, 449, 5xx: the store is
      // unusable right now as far as the caller can tell.
      return new StorageUnavailableError(`Cosmos ${operation} failed (${status})`, options);
  }
}
