import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import '@fastify/multipart';
import type { Trx } from '../db/database';
import { P, Problem, invalid } from '../http/problems';

/**
 * File storage in PostgreSQL (table `stored_file`, tenant-scoped). Modules decide who may read a
 * file and serve it through their own routes; this module stores, reads and checks uploads.
 */
export type { StoredFileTable } from '../db/tables';

export interface FileMeta {
  id: string;
  municipalityCode: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  purpose: string;
  createdAt: string;
}

export const fileTooLarge = (limit: number) =>
  new Problem(P.bodyTooLarge, `The file is larger than ${Math.round(limit / 1024 / 1024)} MB`);

/** Keeps only a safe display name: no path, no control characters, at most 200 characters. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean || 'file').slice(0, 200);
}

export async function storeFile(
  trx: Trx,
  f: {
    municipalityCode: string;
    filename: string;
    mediaType: string;
    content: Buffer;
    purpose: string;
    uploadedBy: string | null;
  },
): Promise<FileMeta> {
  const sha256 = createHash('sha256').update(f.content).digest('hex');
  const row = await trx
    .insertInto('stored_file')
    .values({
      municipality_code: f.municipalityCode,
      filename: safeFilename(f.filename),
      media_type: f.mediaType,
      size_bytes: f.content.length,
      sha256,
      content: f.content,
      purpose: f.purpose,
      uploaded_by: f.uploadedBy,
    })
    .returning(['id', 'created_at', 'filename'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    municipalityCode: f.municipalityCode,
    filename: row.filename,
    mediaType: f.mediaType,
    sizeBytes: f.content.length,
    sha256,
    purpose: f.purpose,
    createdAt: row.created_at.toISOString(),
  };
}

export async function readFile(
  trx: Trx,
  municipalityCode: string,
  id: string,
): Promise<(FileMeta & { content: Buffer }) | undefined> {
  const r = await trx
    .selectFrom('stored_file')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    municipalityCode: r.municipality_code,
    filename: r.filename,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    purpose: r.purpose,
    createdAt: r.created_at.toISOString(),
    content: r.content,
  };
}

export interface UploadedPart {
  field: string;
  filename: string;
  mediaType: string;
  content: Buffer;
}

/**
 * Reads a multipart/form-data request (register `@fastify/multipart` in the module's scope):
 * text fields and files, with a size limit per file and a count limit. Too large → 413,
 * too many → 400, not multipart → 415.
 */
export async function readMultipart(
  request: FastifyRequest,
  limits: { maxFileBytes: number; maxFiles: number },
): Promise<{ fields: Record<string, string>; files: UploadedPart[] }> {
  if (!request.isMultipart()) throw new Problem(P.unsupportedMediaType, 'Send the form as multipart/form-data');
  const fields: Record<string, string> = {};
  const files: UploadedPart[] = [];
  try {
    for await (const part of request.parts({
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 50, fieldSize: 100_000 },
    })) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.file.truncated) throw fileTooLarge(limits.maxFileBytes);
        files.push({ field: part.fieldname, filename: safeFilename(part.filename), mediaType: part.mimetype, content });
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(limits.maxFileBytes);
    if (code === 'FST_FILES_LIMIT') throw tooManyFiles(limits.maxFiles);
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION')
      throw invalid([{ pointer: '/body', detail: 'too many form fields' }]);
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
      throw new Problem(P.unsupportedMediaType, 'Send the form as multipart/form-data');
    throw err;
  }
  return { fields, files };
}

export const tooManyFiles = (max: number) => invalid([{ pointer: '/body/files', detail: `at most ${max} files` }]);
