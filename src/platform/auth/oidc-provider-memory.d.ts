// oidc-provider's own in-memory adapter (not in its type definitions): one store shared by the
// demo provider's instances, so that rotating its signing key keeps logins in flight.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown;
}
