import { Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { FileStore } from '@chronicle/use-cases';
import { AccessControl } from '../auth/request-principal.js';
import { authorize, EACH_RESULT, GLOBAL } from '../auth/authorization.js';
import { FILE_STORE } from '../gateway.tokens.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { CodedError } from '@chronicle/errors';

/** Serves FILE inputs back by their reference `chronicle:///files/<id>` → `/api/v1/files/<id>`. */
@Controller('api/v1/files')
export class FilesController {
  constructor(@Inject(FILE_STORE) private readonly store: FileStore, @Inject(AccessControl) private readonly access: AccessControl) {}

  @ApiRoute({ tag: 'Files', summary: 'A stored file (a FILE input: chronicle:///files/{id})', returns: 'binary' })
  @Get(':id')
  async get(@Headers('authorization') authorization: string | undefined, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    const file = /^[0-9a-f-]{36}$/i.test(id) ? await this.store.get(id) : undefined;
    // A file of another namespace does not exist for this caller; one of unknown namespace only for unrestricted readers.
    const readable = file && (file.namespace === null ? authorize(principal, 'read', GLOBAL) : this.access.allows(principal, 'read', file.namespace));
    if (!file || !readable) throw new CodedError('FILE_NOT_FOUND', `file ${id} does not exist`);
    res.status(200).set({ 'content-type': file.contentType, 'content-length': String(file.size), 'content-disposition': `attachment; filename="${file.name.replace(/"/g, '')}"` }).send(file.data);
  }
}
