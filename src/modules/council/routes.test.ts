import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractText } from 'unpdf';
import { testPlatform, sessionFor } from '../../../test/support/app';
import { makeCouncil, makeSitting } from './testkit';
import { openSseReader } from './sseClient';

/** The council's HTTP API: validation, uploads, voting, live view on two app nodes, minutes and open data. */
const node1 = await testPlatform({ listen: true, events: true });
// A second app node on the same database: events travel between them through PostgreSQL only.
const node2 = await testPlatform({ listen: true, events: true, ownerUrl: node1.ownerUrl });
const { ctx, app } = node1;
const f = await makeCouncil(ctx, { seats: 7 });
const admin = await sessionFor(ctx, f.admin.id);
const secretary = await sessionFor(ctx, f.secretary.id);
const chair = await sessionFor(ctx, f.chair.id);
const members = await Promise.all(f.members.map((m) => sessionFor(ctx, m.id)));
const base = `/api/v1/municipalities/${f.code}`;

const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
function multipart(fields: Record<string, string>, file?: { name: string; type: string; content: Buffer }) {
  const boundary = '----kovtest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

test('bad input is a clear problem: validation, unknown fields, CSRF, wrong roles', async () => {
  const bad = await app.inject({
    method: 'POST',
    url: `${base}/councils`,
    headers: admin.headers,
    payload: { name: 'X', seats: 6, termStart: '2030-01-01' },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().type, '/problems/validation');
  assert.ok(bad.json().errors.some((e: { pointer: string }) => e.pointer === '/body/seats'));
  const extra = await app.inject({
    method: 'POST',
    url: `${base}/councils`,
    headers: admin.headers,
    payload: { name: 'X', seats: 9, termStart: '2030-01-01', colour: 'red' },
  });
  assert.equal(extra.statusCode, 400);
  const quorum = await app.inject({
    method: 'POST',
    url: `${base}/councils`,
    headers: admin.headers,
    payload: { name: 'X', seats: 9, termStart: '2030-01-01', quorum: { num: 1, den: 3 } },
  });
  assert.equal(quorum.statusCode, 400);
  assert.match(quorum.json().detail, /at least 1\/2/);
  const noCsrf = await app.inject({
    method: 'POST',
    url: `${base}/councils`,
    headers: { cookie: admin.cookie },
    payload: { name: 'X', seats: 9, termStart: '2030-01-01' },
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(noCsrf.json().type, '/problems/csrf');
  const member = await app.inject({
    method: 'POST',
    url: `${base}/councils`,
    headers: members[2]!.headers,
    payload: { name: 'X', seats: 9, termStart: '2030-01-01' },
  });
  assert.equal(member.statusCode, 403);
  const anon = await app.inject({ method: 'GET', url: `${base}/council` });
  assert.equal(anon.statusCode, 200);
  assert.equal(anon.json().members.length, f.members.length + f.substitutes.length);
  const text = JSON.stringify(anon.json());
  for (const m of [...f.members, ...f.substitutes])
    assert.ok(
      !text.includes(m.idCode) && !text.includes(m.idCode.slice(0, 6) + '*'),
      'no personal ID codes in the public composition',
    );
});

test('documents: PDFs only (by content), size-limited; closed items only for the council', async () => {
  const { sittingId, itemIds } = await makeSitting(
    ctx,
    f,
    [
      { title: 'Avalik punkt', kind: 'decision', majority: { kind: 'cast' } },
      { title: 'Kinnine punkt', kind: 'decision', majority: { kind: 'cast' }, isPublic: false },
    ],
    { open: false },
  );
  const up = (item: string, body: ReturnType<typeof multipart>, headers = admin.headers) =>
    app.inject({
      method: 'POST',
      url: `${base}/council/sittings/${sittingId}/items/${item}/documents`,
      headers: { ...headers, 'content-type': body.contentType },
      payload: body.payload,
    });
  const ok = await up(
    itemIds[0]!,
    multipart({ title: 'Eelnõu õiendiga' }, { name: 'eelnou.pdf', type: 'application/pdf', content: pdfBytes }),
  );
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().title, 'Eelnõu õiendiga');
  const fake = await up(
    itemIds[0]!,
    multipart({}, { name: 'virus.pdf', type: 'application/pdf', content: Buffer.from('MZ not a pdf') }),
  );
  assert.equal(fake.statusCode, 415);
  const wrongType = await up(itemIds[0]!, multipart({}, { name: 'a.pdf', type: 'text/plain', content: pdfBytes }));
  assert.equal(wrongType.statusCode, 415);
  const big = await up(
    itemIds[0]!,
    multipart(
      {},
      {
        name: 'big.pdf',
        type: 'application/pdf',
        content: Buffer.concat([pdfBytes, Buffer.alloc(10 * 1024 * 1024 + 1)]),
      },
    ),
  );
  assert.equal(big.statusCode, 413);
  const none = await up(itemIds[0]!, multipart({ title: 'x' }));
  assert.equal(none.statusCode, 400);
  const byMember = await up(
    itemIds[0]!,
    multipart({}, { name: 'a.pdf', type: 'application/pdf', content: pdfBytes }),
    members[1]!.headers,
  );
  assert.equal(byMember.statusCode, 403);
  const closed = await up(
    itemIds[1]!,
    multipart({}, { name: 'kinnine.pdf', type: 'application/pdf', content: pdfBytes }),
  );
  assert.equal(closed.statusCode, 200);

  const pub = await app.inject({
    method: 'GET',
    url: `${base}/council/sittings/${ok.json().id ? sittingId : ''}/documents/${ok.json().id}`,
  });
  assert.equal(pub.statusCode, 200);
  assert.equal(pub.headers['content-type'], 'application/pdf');
  assert.deepEqual(pub.rawPayload, pdfBytes);
  assert.equal(
    (await app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}/documents/${closed.json().id}` }))
      .statusCode,
    404,
  );
  assert.equal(
    (
      await app.inject({
        method: 'GET',
        url: `${base}/council/sittings/${sittingId}/documents/${closed.json().id}`,
        headers: { cookie: members[3]!.cookie },
      })
    ).statusCode,
    200,
  );
  const detail = (await app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}` })).json();
  assert.equal(detail.items[0].documents.length, 1);
  assert.equal(detail.items[1].documents.length, 0);
  assert.ok(
    detail.changes.some((ch: { action: string }) => ch.action === 'document.added'),
    'documents added after publication are in the public change log',
  );
});

test('a sitting over HTTP on two app nodes: attendance, an open vote, the result streamed to viewers of both nodes; minutes and open data', async () => {
  const { sittingId, itemIds } = await makeSitting(ctx, f, [
    {
      title: 'Ühistranspordi korraldus',
      kind: 'decision',
      majority: { kind: 'composition' },
      draftDecision: 'Kinnitada ühistranspordi korraldus.',
    },
  ]);
  const live = (node: typeof node1) => openSseReader(`${node.url}${base}/council/sittings/${sittingId}/live`);
  const viewer1 = await live(node1);
  const viewer2 = await live(node2);
  const snap = await viewer2.next((e) => e.event === 'snapshot');
  assert.equal((snap.data as { state: { sitting: { status: string } } }).state.sitting.status, 'open');

  for (const [i, m] of members.slice(0, 5).entries()) {
    const node = i % 2 ? node2 : node1;
    const res = await node.app.inject({
      method: 'PUT',
      url: `${base}/council/sittings/${sittingId}/attendance/me`,
      headers: m.headers,
      payload: { present: true, mode: 'online' },
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  await viewer2.next((e) => e.event === 'attendance' && (e.data as { present: number }).present === 5);
  const notAllowed = await node2.app.inject({
    method: 'PUT',
    url: `${base}/council/sittings/${sittingId}/attendance/${f.members[6]!.memberId}`,
    headers: members[1]!.headers,
    payload: { present: true },
  });
  assert.equal(notAllowed.statusCode, 403);
  const marked = await node2.app.inject({
    method: 'PUT',
    url: `${base}/council/sittings/${sittingId}/attendance/${f.members[6]!.memberId}`,
    headers: secretary.headers,
    payload: { present: true, mode: 'room' },
  });
  assert.equal(marked.statusCode, 200);

  const start = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/votes`,
    headers: chair.headers,
    payload: { itemId: itemIds[0] },
  });
  assert.equal(start.statusCode, 200, start.body);
  const voteId = start.json().id;
  await viewer2.next((e) => e.event === 'state' && (e.data as { vote: { id: string } | null }).vote?.id === voteId);
  for (const [i, m] of members.slice(0, 5).entries()) {
    const res = await (i % 2 ? node2 : node1).app.inject({
      method: 'POST',
      url: `${base}/council/votes/${voteId}/ballot`,
      headers: m.headers,
      payload: { choice: i < 4 ? 'for' : 'against' },
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  const badChoice = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/votes/${voteId}/ballot`,
    headers: members[6]!.headers,
    payload: { choice: 'maybe' },
  });
  assert.equal(badChoice.statusCode, 400);
  assert.equal(badChoice.json().type, '/problems/council-wrong-ballot');
  await viewer1.next((e) => e.event === 'progress' && (e.data as { voted: number }).voted === 5);
  const close = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/votes/${voteId}/close`,
    headers: chair.headers,
  });
  assert.equal(close.statusCode, 200, close.body);
  const late = await node2.app.inject({
    method: 'POST',
    url: `${base}/council/votes/${voteId}/ballot`,
    headers: members[6]!.headers,
    payload: { choice: 'for' },
  });
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().type, '/problems/council-vote-closed');

  for (const v of [viewer1, viewer2]) {
    const r = await v.next((e) => e.event === 'result');
    const data = r.data as {
      outcome: string;
      for: number;
      against: number;
      rule: { kind: string };
      records: Record<string, string>;
    };
    assert.deepEqual([data.outcome, data.for, data.against, data.rule.kind], ['adopted', 4, 1, 'composition']);
    assert.equal(data.records[f.members[4]!.memberId], 'against');
    assert.equal(data.records[f.members[6]!.memberId], 'not_voted');
    v.close();
  }
  // A viewer arriving late gets the result in its first snapshot.
  const lateViewer = await live(node2);
  const s2 = (await lateViewer.next((e) => e.event === 'snapshot')).data as { results: { id: string }[] };
  assert.equal(s2.results[0]!.id, voteId);
  lateViewer.close();

  assert.equal(
    (
      await node1.app.inject({
        method: 'POST',
        url: `${base}/council/sittings/${sittingId}/status`,
        headers: chair.headers,
        payload: { action: 'close' },
      })
    ).statusCode,
    200,
  );
  const gen = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/minutes`,
    headers: secretary.headers,
  });
  assert.equal(gen.statusCode, 200, gen.body);
  const sha = gen.json().sha256;
  assert.equal(
    (await node1.app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}/minutes.pdf` })).statusCode,
    404,
    'draft minutes are not public',
  );
  const wrongHash = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/minutes/sign`,
    headers: chair.headers,
    payload: { as: 'chair', sha256: '0'.repeat(64) },
  });
  assert.equal(wrongHash.statusCode, 409);
  const asSecretary = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/minutes/sign`,
    headers: chair.headers,
    payload: { as: 'secretary', sha256: sha },
  });
  assert.equal(asSecretary.statusCode, 403);
  assert.equal(
    (
      await node1.app.inject({
        method: 'POST',
        url: `${base}/council/sittings/${sittingId}/minutes/sign`,
        headers: chair.headers,
        payload: { as: 'chair', sha256: sha },
      })
    ).statusCode,
    200,
  );
  const regen = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/minutes`,
    headers: secretary.headers,
  });
  assert.equal(regen.json().type, '/problems/council-minutes-signed');
  const signed = await node1.app.inject({
    method: 'POST',
    url: `${base}/council/sittings/${sittingId}/minutes/sign`,
    headers: secretary.headers,
    payload: { as: 'secretary', sha256: sha },
  });
  assert.equal(signed.json().approved, true);

  const pdf = await node2.app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}/minutes.pdf` });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['x-content-sha256'], sha);
  const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
  for (const expected of [
    'Testi Vallavolikogu',
    'Istungi nr',
    'Ühistranspordi korraldus',
    'Hääletus nr 1 (avalik)',
    'volikogu koosseisu häälteenamus',
    'Poolt 4, vastu 1, erapooletu 0, ei hääletanud 1',
    'Otsus võeti vastu.',
    f.members[4]!.name,
    'Sirje Sekretär',
    'kohapeal',
  ]) {
    assert.ok(text.includes(expected), `the minutes PDF says "${expected}"`);
  }
  assert.match(text, /Õie|Ülle|Küllike|Tõnu|Märt/, 'Estonian letters survive in the PDF');
  const html = await node2.app.inject({ method: 'GET', url: `${base}/council/sittings/${sittingId}/minutes.html` });
  assert.equal(html.statusCode, 200);
  assert.match(String(html.headers['content-security-policy']), /style-src 'self' 'sha256-/);
  assert.match(html.body, /Otsus võeti vastu\./);

  const csv = await node2.app.inject({ method: 'GET', url: `${base}/council/open-data/decisions.csv` });
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(
    lines[0],
    'sitting_number,sitting_date,item,vote_number,kind,question,rule,for,against,abstain,not_voted,recused,absent,outcome,elected,closed_at',
  );
  assert.ok(
    lines.some((l) => l.includes('Ühistranspordi korraldus') && l.includes(',composition,4,1,0,1,0,1,adopted,')),
  );
  const rec = (await node2.app.inject({ method: 'GET', url: `${base}/council/open-data/voting-records.json` })).json();
  assert.ok(
    rec.records.some(
      (r: { memberId: string; record: string }) => r.memberId === f.members[0]!.memberId && r.record === 'for',
    ),
  );
  const mine = (
    await node2.app.inject({ method: 'GET', url: `${base}/council/voting-records?memberId=${f.members[4]!.memberId}` })
  ).json();
  assert.equal(mine.member.name, f.members[4]!.name);
  assert.ok(mine.records.every((r: { memberId: string }) => r.memberId === f.members[4]!.memberId));
});

test('a draft sitting is invisible to the public; other municipalities cannot touch it', async () => {
  const { sittingId } = await makeSitting(ctx, f, undefined, { open: false });
  const draft = await app.inject({
    method: 'POST',
    url: `${base}/councils/${f.councilId}/sittings`,
    headers: admin.headers,
    payload: {
      title: 'Mustand',
      format: 'virtual',
      startsAt: new Date().toISOString(),
      link: 'http://insecure.example',
    },
  });
  assert.equal(draft.statusCode, 400, 'an http:// link is refused');
  const created = await app.inject({
    method: 'POST',
    url: `${base}/councils/${f.councilId}/sittings`,
    headers: admin.headers,
    payload: {
      title: 'Mustand',
      format: 'virtual',
      startsAt: new Date().toISOString(),
      link: 'https://meet.example/x',
    },
  });
  assert.equal(created.statusCode, 200);
  assert.equal(
    (await app.inject({ method: 'GET', url: `${base}/council/sittings/${created.json().id}` })).statusCode,
    404,
  );
  assert.equal(
    (
      await app.inject({
        method: 'GET',
        url: `${base}/council/sittings/${created.json().id}`,
        headers: { cookie: admin.cookie },
      })
    ).statusCode,
    200,
  );
  const list = (await app.inject({ method: 'GET', url: `${base}/council/sittings` })).json();
  assert.ok(list.some((s: { id: string }) => s.id === sittingId));
  assert.ok(!list.some((s: { id: string }) => s.id === created.json().id));
  const other = await app.inject({ method: 'GET', url: `/api/v1/municipalities/0793/council/sittings/${sittingId}` });
  assert.equal(other.statusCode, 404, 'row-level security: not visible through another municipality');
});
