import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Problem } from '../http/problems';
import { hasMetadataBlocks, processImage, sniffImageType } from './images';

/** A photo as a phone makes it: EXIF with the camera, the GPS position and an orientation. */
async function phonePhoto(opts: { width?: number; height?: number; orientation?: number; alpha?: boolean } = {}) {
  const img = sharp({
    create: {
      width: opts.width ?? 400,
      height: opts.height ?? 200,
      channels: opts.alpha ? 4 : 3,
      background: opts.alpha ? { r: 200, g: 30, b: 30, alpha: 0.5 } : '#c81e1e',
    },
  });
  const exif = {
    IFD0: { Make: 'SecretPhoneMaker', Model: 'Model-X-4711', Artist: 'Mari Maasikas' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '58/1 22/1 49/1', GPSLongitudeRef: 'E', GPSLongitude: '26/1 43/1 21/1' },
  };
  if (opts.orientation) img.withMetadata({ orientation: opts.orientation });
  return opts.alpha
    ? img.png().withExifMerge(exif).toBuffer()
    : img
        .jpeg()
        .withExifMerge(exif)
        .withXmp(
          '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="XmpSecretAuthor"/></rdf:RDF></x:xmpmeta>',
        )
        .toBuffer();
}

test('EXIF (camera, GPS position, author) and XMP are removed from the bytes of a JPEG', async () => {
  const input = await phonePhoto();
  // The test photo really carries the data we want gone.
  assert.ok(input.includes('SecretPhoneMaker') && input.includes('Mari Maasikas') && input.includes('XmpSecretAuthor'));
  assert.ok(input.includes('Exif\0\0'));
  assert.ok((await sharp(input).metadata()).exif);
  assert.equal(hasMetadataBlocks(input), true);

  const out = await processImage(input);
  assert.equal(out.mediaType, 'image/jpeg');
  assert.equal(out.sourceType, 'image/jpeg');
  for (const secret of [
    'SecretPhoneMaker',
    'Model-X-4711',
    'Mari Maasikas',
    'XmpSecretAuthor',
    'Exif\0\0',
    'http://ns.adobe.com/xap',
    'GPS',
  ]) {
    assert.equal(out.content.includes(secret), false, `output still contains ${JSON.stringify(secret)}`);
  }
  assert.equal(hasMetadataBlocks(out.content), false, 'no APP1/APP13/COM segment is left');
  const meta = await sharp(out.content).metadata();
  assert.equal(meta.exif, undefined);
  assert.equal(meta.xmp, undefined);
  assert.equal(meta.format, 'jpeg');
});

test('the EXIF orientation is applied before it is dropped, and large photos are shrunk to fit', async () => {
  const rotated = await processImage(await phonePhoto({ width: 400, height: 200, orientation: 6 }));
  assert.deepEqual([rotated.width, rotated.height], [200, 400], 'orientation 6 turns the picture upright');
  const big = await processImage(await phonePhoto({ width: 3000, height: 1500 }), {
    maxDimension: 1024,
    thumbnail: 200,
  });
  assert.deepEqual([big.width, big.height], [1024, 512]);
  assert.deepEqual([big.thumbnail!.width, big.thumbnail!.height], [200, 100]);
  assert.equal(hasMetadataBlocks(big.thumbnail!.content), false);
  const small = await processImage(await phonePhoto({ width: 120, height: 80 }));
  assert.deepEqual([small.width, small.height], [120, 80], 'never enlarged');
});

test('a PNG with transparency stays PNG without its eXIf and text chunks; WebP becomes JPEG', async () => {
  const png = await phonePhoto({ alpha: true });
  assert.ok(png.includes('SecretPhoneMaker'));
  const out = await processImage(png);
  assert.equal(out.mediaType, 'image/png');
  assert.equal(out.content.includes('SecretPhoneMaker'), false);
  assert.equal(hasMetadataBlocks(out.content), false);
  const webp = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#00ff00' } })
    .webp()
    .toBuffer();
  const w = await processImage(webp);
  assert.equal(w.sourceType, 'image/webp');
  assert.equal(w.mediaType, 'image/jpeg');
});

test('the type is sniffed from the bytes: a text file named .jpg and a PDF are refused (415), a damaged JPEG is 400, too large is 413', async () => {
  assert.equal(sniffImageType(Buffer.from('%PDF-1.7\n')), undefined);
  const problem = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof Problem, String(err));
      return { status: err.status, slug: err.kind.slug };
    }
    assert.fail('expected a problem');
  };
  assert.deepEqual(await problem(processImage(Buffer.from('<html>hello</html>'))), {
    status: 415,
    slug: 'not-an-image',
  });
  assert.deepEqual(await problem(processImage(Buffer.from('%PDF-1.7\n1 0 obj\n'))), {
    status: 415,
    slug: 'not-an-image',
  });
  assert.deepEqual(await problem(processImage(Buffer.alloc(0))), { status: 415, slug: 'not-an-image' });
  const jpeg = await phonePhoto();
  assert.deepEqual(await problem(processImage(jpeg.subarray(0, 200))), { status: 400, slug: 'broken-image' });
  assert.deepEqual(await problem(processImage(jpeg, { maxBytes: 1000 })), { status: 413, slug: 'body-too-large' });
  const huge = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  assert.deepEqual(await problem(processImage(huge, { maxInputPixels: 1_000_000 })), {
    status: 400,
    slug: 'broken-image',
  });
});
