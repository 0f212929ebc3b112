import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { namespaceFilesPrefix, namespaceFileUri } from '@chronicle/use-cases';
import { AccessControl } from '../auth/request-principal.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { INTERNAL_STORAGE } from '../gateway.tokens.js';
import { MAX_UPLOAD_BYTES } from './upload-limits.js';
import type { InternalStorage } from '@chronicle/use-cases';
import { CodedError } from '@chronicle/errors';

/**
 * Kestra's namespace files API (`/api/v1/namespaces/{namespace}/files...`): the files `read('path')`,
 * the namespace.* tasks and `fileURI()` name, kept in the internal storage under
 * `kestra:///<namespace as path>/_files/`. Reading needs `read` on the namespace, writing `deploy`.
 */
@Controller('api/v1/namespaces')
export class NamespaceFilesController {
  constructor(@Inject(INTERNAL_STORAGE) private readonly storage: InternalStorage, @Inject(AccessControl) private readonly access: AccessControl) {}

  @ApiRoute({ tag: 'Files', summary: 'A namespace file', returns: 'binary', query: { path: { type: 'string', description: 'The file\'s path in the namespace, e.g. /scripts/a.sql' } } })
  @Get(':namespace/files')
  async get(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Query('path') path: string | undefined, @Res() res: Response) {
    this.access.require(this.access.principal(authorization), 'read', { namespace });
    const uri = uriOf(namespace, path);
    const info = await this.storage.stat(uri);
    if (!info) throw new CodedError('FILE_NOT_FOUND', `namespace file ${path} does not exist in ${namespace}`);
    res.status(200).set({ 'content-type': info.contentType }).send(await this.storage.get(uri));
  }

  /** The entries right under `path` (default `/`): files with their size, and folders. */
  @ApiRoute({ tag: 'Files', summary: 'The entries of a namespace folder', returns: 'NamespaceFileEntry[]', query: { path: { type: 'string', description: 'The folder (default /)' } } })
  @Get(':namespace/files/directory')
  async directory(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Query('path') path: string | undefined) {
    this.access.require(this.access.principal(authorization), 'read', { namespace });
    if (!NAMESPACE.test(namespace)) throw new BadUserInputError(`${JSON.stringify(namespace)} is not a namespace name`);
    const folder = path === undefined || path.replace(/\/+/g, '') === '' ? '' : `${uriOf(namespace, path).slice(namespaceFilesPrefix(namespace).length)}/`;
    const entries = new Map<string, { fileName: string; type: 'File' | 'Directory'; size: number }>();
    for (const file of await this.storage.list(`${namespaceFilesPrefix(namespace)}${folder}`)) {
      const rest = file.uri.slice(namespaceFilesPrefix(namespace).length + folder.length);
      const [first, ...more] = rest.split('/');
      if (more.length === 0) entries.set(first!, { fileName: first!, type: 'File', size: file.size });
      else if (!entries.has(first!)) entries.set(first!, { fileName: first!, type: 'Directory', size: 0 });
    }
    return [...entries.values()];
  }

  /** Multipart upload, the file in the part `fileContent` (Kestra's name); replaces what was there. */
  @ApiRoute({ tag: 'Files', summary: 'Upload a namespace file (multipart part fileContent); replaces what was there', returns: 'FileUri', body: 'any', query: { path: { type: 'string', description: 'The file\'s path in the namespace, e.g. /scripts/a.sql' } } })
  @Post(':namespace/files')
  @HttpCode(200)
  @UseInterceptors(AnyFilesInterceptor({ limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 1 } }))
  async put(
    @Headers('authorization') authorization: string | undefined,
    @Param('namespace') namespace: string,
    @Query('path') path: string | undefined,
    @UploadedFiles() files: Array<{ fieldname: string; buffer: Buffer; mimetype: string }> | undefined,
  ) {
    this.access.require(this.access.principal(authorization), 'deploy', { namespace });
    const file = (files ?? []).find((f) => f.fieldname === 'fileContent');
    if (!file) throw new BadUserInputError('the multipart part "fileContent" (the file) is required');
    if (file.buffer.length > MAX_UPLOAD_BYTES) throw new BadUserInputError(`the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
    const uri = await this.storage.put(uriOf(namespace, path), file.buffer, file.mimetype || undefined);
    return { uri };
  }

  @ApiRoute({ tag: 'Files', summary: 'Delete a namespace file', returns: 'none', status: 204, query: { path: { type: 'string', description: 'The file\'s path in the namespace, e.g. /scripts/a.sql' } } })
  @Delete(':namespace/files')
  @HttpCode(204)
  async remove(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Query('path') path: string | undefined) {
    this.access.require(this.access.principal(authorization), 'deploy', { namespace });
    if (!(await this.storage.delete(uriOf(namespace, path)))) throw new CodedError('FILE_NOT_FOUND', `namespace file ${path} does not exist in ${namespace}`);
  }
}

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)*$/;

const uriOf = (namespace: string, path: string | undefined): string => {
  if (!NAMESPACE.test(namespace)) throw new BadUserInputError(`${JSON.stringify(namespace)} is not a namespace name`);
  if (!path) throw new BadUserInputError('the query parameter "path" (a file of the namespace, e.g. /scripts/a.sql) is required');
  return namespaceFileUri(namespace, path);
};
