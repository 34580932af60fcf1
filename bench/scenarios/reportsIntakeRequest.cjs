// autocannon request hook (loaded by path inside its worker thread): every request reports a
// problem at the next of the points on land that the reports scenario chose (KOV_BENCH_REPORT_POINTS).
const points = JSON.parse(process.env.KOV_BENCH_REPORT_POINTS || '[[58.3804,26.7225]]');
const cats = ['roads', 'cleanliness', 'lighting', 'greenery', 'other'];
let n = 0;
module.exports = (req) => {
  const [lat, lon] = points[n % points.length];
  const body = JSON.stringify({ categoryCode: cats[n % cats.length], description: `Koormustest ${n}`, lat, lon });
  n += 1;
  return { ...req, body };
};
