/**
 * Rejects with `makeError()` after `ms`; the late outcome of `promise` is ignored (and a late
 * rejection never becomes an unhandled one). Used wherever a slow database or channel must not
 * hold up a person's reply.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, makeError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError()), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
