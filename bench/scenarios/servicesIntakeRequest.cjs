// autocannon request hook (loaded by path inside its worker thread): every request answers the
// next single-use delivery token created by the services-intake scenario.
let next = 0;
const service = process.env.KOV_BENCH_SERVICE;
module.exports = (req) => {
  const n = next++;
  return {
    ...req,
    body: JSON.stringify({
      serviceId: service,
      channel: 'service-desk',
      score: 1 + (n % 5),
      effort: 1 + ((n * 7) % 5),
      lang: 'et',
      token: `bench-token-${n}-${'x'.repeat(16)}`,
    }),
  };
};
