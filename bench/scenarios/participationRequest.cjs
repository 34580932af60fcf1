// autocannon request hook (loaded by path inside its worker thread) for the participation
// scenario: every request is a ballot of the next voter (sessions prepared by the scenario, read
// from the file named in KOV_BENCH_VOTERS), with an answer that varies from voter to voter.
const fs = require('node:fs');

const voters = JSON.parse(fs.readFileSync(process.env.KOV_BENCH_VOTERS, 'utf8'));
const path = process.env.KOV_BENCH_CAST_PATH;
// The cluster scenario's polls (deploy/drills/lib.ts prepareVote) ask one yes/no question.
const yesNo = process.env.KOV_BENCH_CAST_YESNO === '1';
let next = 0;
module.exports = (req) => {
  const n = next++;
  const v = voters[n % voters.length];
  return {
    ...req,
    method: 'POST',
    path,
    headers: {
      ...req.headers,
      'content-type': 'application/json',
      cookie: `kov_session=${v[0]}`,
      'x-csrf-token': v[1],
    },
    body: JSON.stringify({
      answers: yesNo
        ? [{ questionId: 1, choiceIds: [1 + (n % 2)] }]
        : [
            { questionId: 1, choiceIds: [1 + (n % 3)] },
            { questionId: 2, choiceIds: n % 2 ? [4 + (n % 4)] : [4 + (n % 4), 4 + ((n + 1) % 4)] },
          ],
    }),
  };
};
