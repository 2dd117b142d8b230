// Loaded with `node --require` by bench/gateway-overhead.sh before Portkey starts.
//
// Portkey 1.15.2 on Node 20 sets headers on the Response that fetch() returns for the upstream
// call; those headers are immutable, so its streaming path fails with "TypeError: immutable" and
// answers 500. Re-wrapping every fetched Response with a copy of its headers (same status, same
// body stream, nothing buffered) makes them mutable and leaves everything else as it was.
const upstreamFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await upstreamFetch(...args);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
