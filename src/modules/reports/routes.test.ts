import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { testPlatform, makePerson, grantRole, sessionFor } from '../../../test/support/app';
import { hasMetadataBlocks } from '../../platform/files/images';

/** The JSON API over HTTP: multipart reports with photos, bad input as problem+json, officials' routes. */
const TARTU = '0793';
const ELVA = '0171';
const platform = await testPlatform();
const { app, ctx } = platform;
const editorP = await makePerson(ctx, { givenName: 'Ene', familyName: 'Editor' });
await grantRole(ctx, TARTU, editorP.id, 'editor');
const elvaP = await makePerson(ctx);
await grantRole(ctx, ELVA, elvaP.id, 'admin');
const editor = await sessionFor(ctx, editorP.id);
const elva = await sessionFor(ctx, elvaP.id);
const residentP = await makePerson(ctx, { givenName: 'Rein', familyName: 'Resident' });
const resident = await sessionFor(ctx, residentP.id);

function multipart(
  fields: Record<string, string>,
  files: { name: string; filename: string; type: string; content: Buffer }[],
) {
  const boundary = '----kovtest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('a resident reports with a photo (multipart); the stored photo has no EXIF; bad files and fields are clear problems', async () => {
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#456' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SecretCam', Artist: 'Rein' } })
    .toBuffer();
  const form = multipart(
    {
      categoryCode: 'roads',
      description: 'Auk',
      lat: '58.3804',
      lon: '26.7225',
      attributes: JSON.stringify({ surface: 'pothole' }),
    },
    [{ name: 'photos', filename: 'auk.jpg', type: 'image/jpeg', content: photo }],
  );
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/reports/form',
    ...form,
    headers: { ...form.headers, ...resident.headers },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id;
  const view = (await app.inject({ method: 'GET', url: `/api/v1/reports/${id}` })).json();
  assert.equal(view.photos.length, 1);
  assert.equal(view.reporterName, null);
  const img = await app.inject({ method: 'GET', url: view.photos[0].url });
  assert.equal(img.statusCode, 200);
  assert.equal(img.headers['content-type'], 'image/jpeg');
  assert.equal(img.rawPayload.includes('SecretCam'), false);
  assert.equal(hasMetadataBlocks(img.rawPayload), false);
  // The thumbnail, by the very URL the report page puts in <img src> (it once answered 400).
  assert.match(view.photos[0].thumbUrl, /\?thumb=1$/);
  const thumb = await app.inject({ method: 'GET', url: view.photos[0].thumbUrl });
  assert.equal(thumb.statusCode, 200, thumb.body);
  assert.equal(thumb.headers['content-type'], 'image/jpeg');
  const thumbMeta = await sharp(thumb.rawPayload).metadata();
  assert.ok(thumbMeta.width! > 0 && thumbMeta.width! <= 480, `thumbnail width ${thumbMeta.width}`);
  assert.equal((await app.inject({ method: 'GET', url: `${view.photos[0].url}?thumb=yes` })).statusCode, 400);
  const mine = (await app.inject({ method: 'GET', url: '/api/v1/me/reports', headers: resident.headers })).json();
  assert.ok(mine.some((r: { id: number }) => r.id === id));

  const fake = multipart({ categoryCode: 'roads', description: 'x', lat: '58.3804', lon: '26.7225' }, [
    {
      name: 'photos',
      filename: 'virus.jpg',
      type: 'image/jpeg',
      content: Buffer.from('MZ\x90\x00 this is an executable'),
    },
  ]);
  const bad = await app.inject({ method: 'POST', url: '/api/v1/reports/form', ...fake });
  assert.equal(bad.statusCode, 415);
  assert.equal(bad.json().type, '/problems/not-an-image');
  const big = multipart({ categoryCode: 'roads', description: 'x', lat: '58.3804', lon: '26.7225' }, [
    { name: 'photos', filename: 'big.jpg', type: 'image/jpeg', content: Buffer.alloc(10 * 1024 * 1024 + 10, 0xff) },
  ]);
  const tooBig = await app.inject({ method: 'POST', url: '/api/v1/reports/form', ...big });
  assert.equal(tooBig.statusCode, 413);
  assert.match(tooBig.headers['content-type'] as string, /problem\+json/);

  const cases: [Record<string, unknown>, number, string][] = [
    [{ categoryCode: 'roads', description: 'x', lat: 59.8, lon: 25.0 }, 400, '/problems/report-outside-estonia'],
    [{ categoryCode: 'roads', description: 'x', lat: 48.85, lon: 2.35 }, 400, '/problems/report-outside-estonia'],
    [
      { categoryCode: 'meteor', description: 'x', lat: 58.3804, lon: 26.7225 },
      400,
      '/problems/report-unknown-category',
    ],
    [{ categoryCode: 'roads', description: 'y'.repeat(4001), lat: 58.3804, lon: 26.7225 }, 400, '/problems/validation'],
    [{ categoryCode: 'roads', description: 'x', lat: 58.3804, lon: 26.7225, admin: true }, 400, '/problems/validation'],
    [{ categoryCode: 'roads', description: 'x', lat: '58.38', lon: 26.7225 }, 400, '/problems/validation'],
  ];
  for (const [payload, status, type] of cases) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/reports', payload });
    assert.equal(r.statusCode, status, r.body);
    assert.equal(r.json().type, type);
  }
});

test("a logged-in reporter's name is public only when they choose so, also in the history", async () => {
  const file = async (fields: Record<string, string>) => {
    const form = multipart(
      { categoryCode: 'roads', description: 'Auk', lat: '58.3804', lon: '26.7225', ...fields },
      [],
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/reports/form',
      ...form,
      headers: { ...form.headers, ...resident.headers },
    });
    assert.equal(res.statusCode, 201, res.body);
    return (await app.inject({ method: 'GET', url: `/api/v1/reports/${res.json().id}` })).json();
  };
  // The name field left empty: the session's name is kept for the municipality, not published.
  const quiet = await file({});
  assert.equal(quiet.reporterName, null);
  assert.equal(quiet.history[0].by.name, null);
  const shown = await file({ showName: 'true' });
  assert.equal(shown.reporterName, 'Rein Resident');
  assert.equal(shown.history[0].by.name, 'Rein Resident');
  // The JSON API: the old "anonymous: false" no longer publishes a name.
  const json = await app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: {
      categoryCode: 'roads',
      description: 'Auk',
      lat: 58.3804,
      lon: 26.7225,
      name: 'Mari Maasikas',
      anonymous: false,
    },
  });
  assert.equal(json.statusCode, 201, json.body);
  const jsonView = (await app.inject({ method: 'GET', url: `/api/v1/reports/${json.json().id}` })).json();
  assert.equal(jsonView.reporterName, null);
  // Officials still see who reported.
  const internal = (
    await app.inject({ method: 'GET', url: `/api/v1/reports/${quiet.id}`, headers: editor.headers })
  ).json();
  assert.equal(internal.internal.reporter.name, 'Rein Resident');
  assert.equal(internal.internal.reporter.showName, false);
});

test('officials handle through the API; another municipality cannot; the public list and statistics answer', async () => {
  const created = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { categoryCode: 'lighting', description: 'Lamp', lat: 58.3804, lon: 26.7225 },
    })
  ).json();
  const u = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/reports/${created.id}/updates`,
    headers: editor.headers,
    payload: { status: 'in_progress', text: 'Töös' },
  });
  assert.equal(u.statusCode, 200, u.body);
  const denied = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/reports/${created.id}/updates`,
    headers: elva.headers,
    payload: { status: 'fixed' },
  });
  assert.equal(denied.statusCode, 403);
  const wrongTenant = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${ELVA}/reports/${created.id}/updates`,
    headers: elva.headers,
    payload: { status: 'fixed' },
  });
  assert.equal(wrongTenant.statusCode, 404, 'a Tartu report does not exist in Elva');
  const noCsrf = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/reports/${created.id}/updates`,
    headers: { cookie: editor.cookie },
    payload: { status: 'fixed' },
  });
  assert.equal(noCsrf.statusCode, 403);
  const list = (
    await app.inject({ method: 'GET', url: `/api/v1/municipalities/${TARTU}/reports?windowDays=5` })
  ).json();
  assert.ok(list.some((r: { id: number; status: string }) => r.id === created.id && r.status === 'in_progress'));
  const manage = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${TARTU}/reports/manage?state=open`,
    headers: editor.headers,
  });
  assert.equal(manage.statusCode, 200);
  assert.equal(
    (
      await app.inject({
        method: 'GET',
        url: `/api/v1/municipalities/${TARTU}/reports/manage`,
        headers: resident.headers,
      })
    ).statusCode,
    403,
  );
  const stats = await app.inject({ method: 'GET', url: `/api/v1/municipalities/${TARTU}/reports/statistics` });
  assert.equal(stats.statusCode, 200);
  const month = new Date().toISOString().slice(0, 7);
  const csv = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${TARTU}/reports/analytics.csv?from=${month}&to=${month}&table=months`,
    headers: editor.headers,
  });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  assert.match(csv.body, /month,created,closed/);
  const a = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${TARTU}/reports/analytics?from=${month}&to=${month}&category=lighting&category=roads`,
    headers: editor.headers,
  });
  assert.equal(a.statusCode, 200, a.body);
  const badMonth = await app.inject({
    method: 'GET',
    url: `/api/v1/municipalities/${TARTU}/reports/analytics?from=2026-13&to=2026-12`,
    headers: editor.headers,
  });
  assert.equal(badMonth.statusCode, 400);
  const dups = await app.inject({
    method: 'GET',
    url: `/api/v1/reports/duplicates?municipality=${TARTU}&category=lighting&lat=58.3804&lon=26.7225`,
  });
  assert.ok(dups.json().some((d: { id: number }) => d.id === created.id));
});

test("every logged-in reports route of another municipality refuses Elva's official (as test/api/tenancy does for all)", async () => {
  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  let checked = 0;
  for (const [p, ops] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
    if (!p.includes('{code}') || !/report/.test(p)) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!op.security?.length) continue;
      const url = p
        .replace('{code}', TARTU)
        .replace('{id}', '1001')
        .replace('{category}', 'roads')
        .replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await app.inject({
        method: method.toUpperCase() as 'GET',
        url: url + (url.includes('analytics') ? '?from=2026-01&to=2026-01' : ''),
        headers: elva.headers,
        ...(method === 'get' || method === 'delete' ? {} : { payload: {} }),
      });
      assert.ok(res.statusCode >= 400, `${method} ${p} answered ${res.statusCode}`);
      if (method === 'get') assert.ok([403, 404].includes(res.statusCode), `${method} ${p}: ${res.statusCode}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 15, `checked ${checked}`);
});

test('the public report page names the handling unit, never the official who holds it', async () => {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { categoryCode: 'roads', description: 'Auk', lat: 58.3804, lon: 26.7225 },
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as number;
  const assigned = await app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${TARTU}/reports/${id}/assign`,
    headers: editor.headers,
    payload: { department: 'Teede osakond', assigneePersonId: editorP.id },
  });
  assert.ok(assigned.statusCode < 300, assigned.body);
  for (const headers of [{}, resident.headers]) {
    const pub = await app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers });
    assert.equal(pub.statusCode, 200);
    assert.equal(pub.json().department, 'Teede osakond');
    assert.equal(pub.json().assignee, null);
    assert.ok(!pub.body.includes(editorP.id), 'no official identifier anywhere in the public page');
  }
  const inside = await app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: editor.headers });
  assert.equal(inside.json().assignee.personId, editorP.id);
});
