import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './log';

test('no personal ID code reaches a log line in clear, wherever it hides', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('info', sink);
  log.info(
    { person: { code: '37605030299', list: ['49001010005'] }, url: '/x?c=60001019906' },
    'looked up 37605030299',
  );
  log.error({ err: new Error('no residence for 37605030299') }, 'failed');
  log.info({ idCode: '37605030299' }, 'redacted field');
  const text = lines.join('');
  for (const code of ['37605030299', '49001010005', '60001019906'])
    assert.ok(!text.includes(code), `${code} leaked: ${text}`);
  assert.match(text, /376050\*\*\*\*\*/);
  assert.match(text, /\[redacted\]/);
  assert.match(text, /no residence for 376050\*{5}/, 'the error message is kept, masked');
});

test('a request object (getters on its prototype, as Fastify logs it) keeps its URL, masked', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('info', sink);
  class FakeRequest {
    id = 'req-1';
    method = 'GET';
    get url() {
      return '/api/v1/people?code=37605030299';
    }
  }
  log.info({ req: new FakeRequest() }, 'incoming request');
  const entry = JSON.parse(lines[0]!);
  assert.deepEqual(entry.req, { id: 'req-1', method: 'GET', url: '/api/v1/people?code=376050*****' });
});
