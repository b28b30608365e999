import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { loggerOptions } from '../src/logging.ts';

test('secrets are redacted wherever they appear in a logged object', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = pino(loggerOptions('probe', 'info'), stream);
  log.info(
    {
      client_secret: 'cs-1',
      registration: { client_secret: 'cs-2', servicename: 'zenodo' },
      answer: { access_token: 'at-1', refresh_token: 'rt-1' },
      credentials: { password: 'pw-1' },
      req: { headers: { authorization: 'Bearer jwt-1', cookie: 'session=c-1' } },
    },
    'registered',
  );
  const line = lines.join('');
  for (const secret of ['cs-1', 'cs-2', 'at-1', 'rt-1', 'pw-1', 'jwt-1', 'c-1'])
    expect(line).not.toContain(secret);
  expect(JSON.parse(line)).toMatchObject({
    service: 'probe',
    msg: 'registered',
    registration: { servicename: 'zenodo', client_secret: '[redacted]' },
  });
});
