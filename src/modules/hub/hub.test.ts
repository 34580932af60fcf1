import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { appRoleUrl } from '../../platform/db/database';

/** Knowledge hub: search in Estonian, who sees what, versions, comments, "this helped", files. */
const platform = await testPlatform();
const { ctx, app } = platform;
const elvlEditor = await makePerson(ctx);
await grantRole(ctx, '0000', elvlEditor.id, 'editor');
const tartuEditor = await makePerson(ctx);
await grantRole(ctx, '0793', tartuEditor.id, 'editor');
const elvaAnalyst = await makePerson(ctx);
await grantRole(ctx, '0171', elvaAnalyst.id, 'analyst');
const resident = await makePerson(ctx);
const elvl = await sessionFor(ctx, elvlEditor.id);
const tartu = await sessionFor(ctx, tartuEditor.id);
const elva = await sessionFor(ctx, elvaAnalyst.id);
const citizen = await sessionFor(ctx, resident.id);

const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const article = (over: Record<string, unknown>) => ({
  kind: 'guide',
  visibility: 'officials',
  topics: ['security'],
  eitsModules: ['ISMS.1'],
  title: 'Pealkiri',
  body: 'Sisu',
  ...over,
});

const guide = await call(
  'POST',
  '/hub/articles',
  tartu.headers,
  article({
    title: 'Infoturbe juhtimise juhend',
    summary: 'Kuidas korraldada turvalisuse haldust',
    body: 'Asutuse turvalisuse tagamine algab juhtkonnast. Turvalisuse eesmärgid kinnitatakse igal aastal.',
    eitsModules: ['ISMS.1'],
  }),
);
const publicOne = await call(
  'POST',
  '/hub/articles',
  elvl.headers,
  article({
    kind: 'article',
    visibility: 'public',
    topics: ['services'],
    eitsModules: [],
    title: 'Digipöörde tegevuskava avalikkusele',
    body: 'Kõigile avatud tutvustus turvalisuse ja teenuste kohta.',
  }),
);
await call(
  'POST',
  '/hub/articles',
  elvl.headers,
  article({
    title: 'Varundamise kord',
    body: 'Andmete varundamine iga päev.',
    eitsModules: ['CON.3'],
    topics: ['it_management'],
  }),
);

test('writing: an editor of any municipality writes for officials; only ELVL editors publish to the public', async () => {
  assert.equal(guide.statusCode, 201, guide.body);
  assert.equal(guide.json().slug, 'infoturbe-juhtimise-juhend');
  assert.equal(publicOne.statusCode, 201, publicOne.body);
  const refused = await call(
    'POST',
    '/hub/articles',
    tartu.headers,
    article({ visibility: 'public', title: 'Avalik katse' }),
  );
  assert.equal(refused.statusCode, 403);
  assert.equal(
    (await call('POST', '/hub/articles', elva.headers, article({ title: 'Analüütiku katse' }))).statusCode,
    403,
    'analysts read but do not write',
  );
  assert.equal(
    (await call('POST', '/hub/articles', citizen.headers, article({ title: 'Elaniku katse' }))).statusCode,
    403,
  );
});

test('search finds inflected Estonian words: "turvalisus" finds "turvalisuse", "juhendid" finds "juhend"', async () => {
  for (const q of ['turvalisus', 'turvalisust', 'juhendid', 'turvalisuse eesmärk']) {
    const res = await call('GET', `/hub/articles?q=${encodeURIComponent(q)}`, elva.headers);
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(
      res.json().some((a: { slug: string }) => a.slug === 'infoturbe-juhtimise-juhend'),
      `"${q}" finds the guide`,
    );
  }
  const hit = (await call('GET', '/hub/articles?q=turvalisus', elva.headers))
    .json()
    .find((a: { slug: string }) => a.slug === 'infoturbe-juhtimise-juhend');
  assert.match(hit.snippet, /«turvalisuse»/i);
  // Typos in a title word still find it through trigram similarity.
  assert.ok(
    (await call('GET', '/hub/articles?q=varundamse', elva.headers))
      .json()
      .some((a: { slug: string }) => a.slug === 'varundamise-kord'),
  );
  // Filters by topic and E-ITS module.
  const byModule = (await call('GET', '/hub/articles?eitsModule=CON.3', elva.headers)).json();
  assert.deepEqual(
    byModule.map((a: { slug: string }) => a.slug),
    ['varundamise-kord'],
  );
  assert.equal((await call('GET', '/hub/articles?q=kassipojad', elva.headers)).json().length, 0);
});

test('the public and residents see only public articles; officials of every municipality see the rest', async () => {
  for (const headers of [{}, citizen.headers]) {
    const list = (await call('GET', '/hub/articles', headers)).json();
    assert.deepEqual(
      list.map((a: { slug: string }) => a.slug),
      ['digipoorde-tegevuskava-avalikkusele'],
    );
    assert.equal((await call('GET', '/hub/articles/infoturbe-juhtimise-juhend', headers)).statusCode, 404);
    assert.equal((await call('GET', '/hub/articles?q=turvalisus', headers)).json().length, 1);
  }
  assert.equal((await call('GET', '/hub/articles', elva.headers)).json().length, 3);
  const pub = (await call('GET', '/hub/articles/digipoorde-tegevuskava-avalikkusele')).json();
  assert.deepEqual(pub.comments, []);
});

test('the database itself shows the public scope only public articles', async () => {
  const client = new pg.Client({ connectionString: appRoleUrl(platform.ownerUrl) });
  await client.connect();
  try {
    const anyone = await client.query('SELECT visibility FROM hub_article');
    assert.deepEqual(
      anyone.rows.map((r) => r.visibility),
      ['public'],
    );
    await client.query('BEGIN');
    await client.query(`SELECT set_config('kov.tenant', '0793', true)`);
    assert.equal(
      (await client.query('SELECT count(*)::int AS n FROM hub_article')).rows[0].n,
      1,
      'a municipality scope does not see ELVL content either',
    );
    // The search's index function (owner's rights) answers only what the policies would show.
    const matches = async () =>
      (
        await client.query(
          `SELECT a.visibility FROM hub_article_matches(to_tsquery('hub_et', 'turvalisu:*')) m JOIN hub_article a USING (municipality_code, id)`,
        )
      ).rows.length;
    const ids = async () =>
      (await client.query(`SELECT count(*)::int AS n FROM hub_article_matches(to_tsquery('hub_et', 'turvalisu:*'))`))
        .rows[0].n;
    assert.deepEqual([await matches(), await ids()], [1, 1], 'a municipality scope learns of no officials-only match');
    await client.query(`SELECT set_config('kov.tenant', '0000', true)`);
    assert.ok((await ids()) > 1, 'ELVL officials find the officials-only matches too');
    await client.query(`SELECT set_config('kov.tenant', '0793', true)`);
    await assert.rejects(
      client.query(`UPDATE hub_article SET title = 'x' WHERE visibility = 'public' RETURNING id`).then((r) => {
        if (r.rowCount === 0) throw new Error('row-level security: nothing updated');
      }),
      /row-level security|nothing updated/,
    );
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
});

test('revisions keep every version; only the author or ELVL editors revise', async () => {
  const body = article({
    title: 'Infoturbe juhtimise juhend',
    body: 'Uus sisu: turvalisuse eesmärgid ja rollid.',
    changeNote: 'rollid lisatud',
  });
  assert.equal((await call('PUT', '/hub/articles/infoturbe-juhtimise-juhend', elva.headers, body)).statusCode, 403);
  const r = await call('PUT', '/hub/articles/infoturbe-juhtimise-juhend', tartu.headers, body);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().version, 2);
  assert.equal(
    (
      await call('PUT', '/hub/articles/infoturbe-juhtimise-juhend', elvl.headers, { ...body, changeNote: 'ELVL' })
    ).json().version,
    3,
  );
  const versions = (await call('GET', '/hub/articles/infoturbe-juhtimise-juhend/versions', elva.headers)).json();
  assert.deepEqual(
    versions.map((v: { version: number }) => v.version),
    [3, 2, 1],
  );
  assert.match(versions[2].body, /algab juhtkonnast/);
  assert.equal(versions[1].changeNote, 'rollid lisatud');
});

test('comments and "this helped" marks by officials, one mark per person', async () => {
  assert.equal(
    (
      await call('POST', '/hub/articles/infoturbe-juhtimise-juhend/comments', elva.headers, {
        body: 'Väga kasulik, aitäh!',
      })
    ).statusCode,
    201,
  );
  assert.equal(
    (await call('POST', '/hub/articles/infoturbe-juhtimise-juhend/comments', citizen.headers, { body: 'Kas ma saan?' }))
      .statusCode,
    403,
  );
  await call('PUT', '/hub/articles/infoturbe-juhtimise-juhend/helped', elva.headers);
  const twice = await call('PUT', '/hub/articles/infoturbe-juhtimise-juhend/helped', elva.headers);
  assert.deepEqual(twice.json(), { count: 1, mine: true });
  await call('PUT', '/hub/articles/infoturbe-juhtimise-juhend/helped', elvl.headers);
  const a = (await call('GET', '/hub/articles/infoturbe-juhtimise-juhend', elva.headers)).json();
  assert.equal(a.helped.count, 2);
  assert.equal(a.comments[0].body, 'Väga kasulik, aitäh!');
  assert.equal(a.canEdit, false);
  assert.equal((await call('DELETE', '/hub/articles/infoturbe-juhtimise-juhend/helped', elva.headers)).json().count, 1);
});

test("attachments: files of officials-only articles are not served to the public; public articles' files are", async () => {
  const boundary = '----kovtest';
  const form = (name: string, text: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`;
  const headers = (h: Record<string, string>) => ({
    ...h,
    'content-type': `multipart/form-data; boundary=${boundary}`,
  });
  const up = await app.inject({
    method: 'POST',
    url: '/api/v1/hub/articles/infoturbe-juhtimise-juhend/attachments',
    headers: headers(tartu.headers),
    payload: form('mall.txt', 'Turvapoliitika mall'),
  });
  assert.equal(up.statusCode, 201, up.body);
  const url = up.json()[0].url as string;
  // The typed answer drops nothing attachToArticle returns: every field, with its value.
  assert.deepEqual(up.json(), [
    {
      id: url.split('/').pop(),
      filename: 'mall.txt',
      mediaType: 'text/plain',
      sizeBytes: Buffer.byteLength('Turvapoliitika mall'),
      url: `/api/v1/hub/articles/infoturbe-juhtimise-juhend/attachments/${url.split('/').pop()}`,
    },
  ]);
  assert.equal((await app.inject({ method: 'GET', url, headers: elva.headers })).body, 'Turvapoliitika mall');
  assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404);
  const pubUp = await app.inject({
    method: 'POST',
    url: '/api/v1/hub/articles/digipoorde-tegevuskava-avalikkusele/attachments',
    headers: headers(elvl.headers),
    payload: form('kava.txt', 'Avalik fail'),
  });
  assert.equal(pubUp.statusCode, 201, pubUp.body);
  const pubRes = await app.inject({ method: 'GET', url: pubUp.json()[0].url });
  assert.equal(pubRes.statusCode, 200);
  assert.equal(pubRes.body, 'Avalik fail');
  assert.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/api/v1/hub/articles/infoturbe-juhtimise-juhend/attachments',
        headers: headers(elva.headers),
        payload: form('x.txt', 'x'),
      })
    ).statusCode,
    403,
  );
});

test('attachments: an allow-list by content, never the declared type; served as download with nosniff and a sandboxing CSP', async () => {
  const boundary = '----kovtest2';
  const form = (name: string, type: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const upload = (name: string, type: string, content: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/hub/articles/digipoorde-tegevuskava-avalikkusele/attachments',
      headers: { ...elvl.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: form(name, type, content),
    });
  for (const [name, type, content] of [
    ['x.html', 'text/html', '<script>alert(1)</script>'],
    ['x.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
    ['x.pdf', 'application/pdf', '<html><script>alert(1)</script></html>'],
    ['x.js', 'text/plain', 'alert(1)'],
  ]) {
    const r = await upload(name!, type!, content!);
    assert.equal(r.statusCode, 415, `${name}: ${r.body}`);
    assert.match(String(r.headers['content-type']), /problem\+json/);
  }
  // A real PDF declared as HTML is stored and served as a PDF.
  const pdf = await upload('kava.pdf', 'text/html', '%PDF-1.7\n%%EOF');
  assert.equal(pdf.statusCode, 201, pdf.body);
  assert.equal(pdf.json()[0].mediaType, 'application/pdf');
  const got = await app.inject({ method: 'GET', url: pdf.json()[0].url });
  assert.equal(got.headers['content-type'], 'application/pdf');
  assert.equal(got.headers['x-content-type-options'], 'nosniff');
  assert.match(String(got.headers['content-disposition']), /^attachment;/);
  assert.match(String(got.headers['content-security-policy']), /sandbox/);
});
