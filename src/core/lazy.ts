/**
 * A value made on first use and kept: for modules required on first use rather than at
 * activation. (In the bundle, each `require()` of one of our own modules copies its exports into a
 * new object, so a module needed on every call is required once, here, not per call.)
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
