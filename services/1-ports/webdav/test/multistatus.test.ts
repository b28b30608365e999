import { describe, expect, test } from 'vitest';
import { parseMultistatus } from '../src/multistatus.ts';

describe('a multistatus is read by namespace, whatever the prefixes', () => {
  test('a default namespace, odd prefixes, and a 404 propstat left out', () => {
    const xml = `<?xml version="1.0"?>
      <multistatus xmlns="DAV:" xmlns:own="http://owncloud.org/ns" xmlns:fake="http://example.org/d">
        <response>
          <href>/remote.php/dav/files/ada/run%201/</href>
          <propstat><prop><resourcetype><collection/></resourcetype><own:size>42</own:size></prop>
            <status>HTTP/1.1 200 OK</status></propstat>
        </response>
        <response>
          <href>https://cloud.example.org/remote.php/dav/files/ada/run%201/%C3%BC%23.csv</href>
          <propstat><prop>
            <resourcetype/><getcontentlength>7</getcontentlength>
            <getlastmodified>Tue, 03 Nov 2026 10:00:00 GMT</getlastmodified>
            <getetag>"abc"</getetag>
            <own:checksums><own:checksum>MD5:AA SHA1:BB ADLER32:CC</own:checksum></own:checksums>
            <fake:getcontentlength>999</fake:getcontentlength>
          </prop><status>HTTP/1.1 200 OK</status></propstat>
          <propstat><prop><own:size/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
        </response>
      </multistatus>`;
    expect(parseMultistatus(xml)).toEqual([
      { href: '/remote.php/dav/files/ada/run%201/', folder: true },
      {
        href: 'https://cloud.example.org/remote.php/dav/files/ada/run%201/%C3%BC%23.csv',
        folder: false,
        size: 7,
        modified: '2026-11-03T10:00:00.000Z',
        etag: '"abc"',
        checksum: 'md5:aa',
      },
    ]);
  });

  test('the same names in another namespace are not DAV properties', () => {
    const xml = `<m:multistatus xmlns:m="DAV:" xmlns:d="http://example.org/not-dav">
      <m:response><m:href>/f</m:href><m:propstat>
        <m:prop><d:resourcetype><d:collection/></d:resourcetype><d:getcontentlength>5</d:getcontentlength></m:prop>
        <m:status>HTTP/1.1 200 OK</m:status></m:propstat></m:response></m:multistatus>`;
    expect(parseMultistatus(xml)).toEqual([{ href: '/f', folder: false }]);
  });

  test('what is no multistatus is refused', () => {
    expect(() => parseMultistatus('<html><body>Login</body></html>')).toThrow();
    expect(() => parseMultistatus('<d:multistatus xmlns:d="DAV:">')).toThrow();
  });
});
