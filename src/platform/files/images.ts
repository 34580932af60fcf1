import sharp, { type Metadata } from 'sharp';
import { Problem, defineProblem } from '../http/problems';
import { fileTooLarge } from './files';

/**
 * Checks and cleans uploaded photos (report photos, idea photos, …) before they are stored:
 *
 * 1. the size is checked before any decoding;
 * 2. the real type is sniffed from the bytes (the browser's Content-Type and the file name are
 *    ignored): JPEG, PNG, WebP, GIF, HEIC/HEIF and AVIF are accepted;
 * 3. the image is decoded by libvips (sharp) with a pixel limit (no decompression bombs), turned
 *    upright by its EXIF orientation, shrunk to fit `maxDimension`, and re-encoded — which drops
 *    every metadata block (EXIF with GPS position and camera serial, XMP, IPTC, comments), since
 *    sharp writes none unless asked to;
 * 4. the result is JPEG, or PNG when the image has transparency.
 *
 * Use it in a module: `const img = await processImage(part.content)` then `storeFile(trx, {...,
 * content: img.content, mediaType: img.mediaType })`.
 */
export const P_IMAGE = {
  notAnImage: defineProblem(
    'not-an-image',
    415,
    'The file is not a supported image',
    'Upload a photo as JPEG, PNG, WebP, GIF, HEIC or AVIF. The type is read from the file itself, not from its name.',
  ),
  brokenImage: defineProblem(
    'broken-image',
    400,
    'The image cannot be read',
    'The file looks like an image but could not be decoded (damaged or incomplete), or it is larger than the pixel limit.',
  ),
};

export type SniffedType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/heic' | 'image/avif';

/** The image type from the file's first bytes (magic numbers), or undefined. */
export function sniffImageType(b: Uint8Array): SniffedType | undefined {
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'image/avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
  }
  return undefined;
}

export interface ImageOptions {
  /** Largest accepted upload in bytes (default 10 MB). */
  maxBytes?: number;
  /** Longest side of the stored image in pixels (default 2048). */
  maxDimension?: number;
  /** Also make a thumbnail with this longest side (e.g. 320). */
  thumbnail?: number;
  /** JPEG quality 1–100 (default 82). */
  quality?: number;
  /** Refuse images with more pixels than this before decoding (default 60 megapixels). */
  maxInputPixels?: number;
}

export interface ProcessedImage {
  content: Buffer;
  mediaType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  /** The type the upload really was. */
  sourceType: SniffedType;
  thumbnail?: { content: Buffer; mediaType: 'image/jpeg' | 'image/png'; width: number; height: number };
}

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export async function processImage(input: Buffer, opts: ImageOptions = {}): Promise<ProcessedImage> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (input.length > maxBytes) throw fileTooLarge(maxBytes);
  if (input.length === 0) throw new Problem(P_IMAGE.notAnImage, 'The file is empty');
  const sourceType = sniffImageType(input);
  if (!sourceType) throw new Problem(P_IMAGE.notAnImage, 'The file is not a JPEG, PNG, WebP, GIF, HEIC or AVIF image');
  const maxDimension = opts.maxDimension ?? 2048;
  const quality = opts.quality ?? 82;
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: opts.maxInputPixels ?? 60_000_000, failOn: 'error' }).metadata();
  } catch (err) {
    throw new Problem(P_IMAGE.brokenImage, `The image cannot be read: ${shortReason(err)}`);
  }
  const alpha = Boolean(meta.hasAlpha);
  const encode = async (size: number) => {
    // Only the first frame of an animation; `rotate()` without arguments applies the EXIF
    // orientation, after which the orientation tag is gone with the rest of the metadata.
    let pipeline = sharp(input, {
      limitInputPixels: opts.maxInputPixels ?? 60_000_000,
      failOn: 'error',
      animated: false,
    })
      .rotate()
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true });
    pipeline = alpha
      ? pipeline.png({ compressionLevel: 9 })
      : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true });
    try {
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      return {
        content: data,
        mediaType: (alpha ? 'image/png' : 'image/jpeg') as 'image/jpeg' | 'image/png',
        width: info.width,
        height: info.height,
      };
    } catch (err) {
      throw new Problem(P_IMAGE.brokenImage, `The image cannot be read: ${shortReason(err)}`);
    }
  };
  const main = await encode(maxDimension);
  const result: ProcessedImage = { ...main, sourceType };
  if (opts.thumbnail) result.thumbnail = await encode(opts.thumbnail);
  return result;
}

function shortReason(err: unknown): string {
  const msg = (err as Error)?.message ?? String(err);
  if (/pixel limit/i.test(msg)) return 'it has more pixels than allowed';
  return msg.split('\n')[0]!.slice(0, 160);
}

/** True when a JPEG or PNG carries any metadata block (EXIF, XMP, IPTC, comments, text chunks). */
export function hasMetadataBlocks(b: Buffer): boolean {
  if (b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= b.length && b[i] === 0xff) {
      const marker = b[i + 1]!;
      if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image
      const len = b.readUInt16BE(i + 2);
      // APP1 (EXIF/XMP), APP13 (IPTC/Photoshop), COM (comment). APP0 (JFIF) and APP2 (ICC) carry no personal data.
      if (marker === 0xe1 || marker === 0xed || marker === 0xfe) return true;
      i += 2 + len;
    }
    return false;
  }
  if (sniffImageType(b) === 'image/png') {
    let i = 8;
    while (i + 8 <= b.length) {
      const len = b.readUInt32BE(i);
      const type = b.toString('latin1', i + 4, i + 8);
      if (['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME'].includes(type)) return true;
      i += 12 + len;
    }
    return false;
  }
  return true;
}
