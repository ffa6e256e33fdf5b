/** Index factories by their `kind`; a duplicate kind is a programming error naming it. */
export function indexByKind<F extends { kind: string }>(factories: F[], what: string): ReadonlyMap<string, F> {
  const map = new Map<string, F>();
  for (const factory of factories) {
    if (map.has(factory.kind)) throw new Error(`duplicate ${what} kind "${factory.kind}"`);
    map.set(factory.kind, factory);
  }
  return map;
}
