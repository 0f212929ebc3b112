import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { executionPrefix, fileNameOf } from '@chronicle/use-cases';
import { AccessControl } from '../auth/request-principal.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { INTERNAL_STORAGE } from '../gateway.tokens.js';
import type { InternalStorage } from '@chronicle/use-cases';
import { ExecutionReader } from '../reads/execution-reader.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import { CodedError } from '@chronicle/errors';

/**
 * Kestra's `GET /api/v1/executions/{id}/file?path=kestra:///...` (and `/file/metas`): a file of the
 * internal storage that belongs to that execution (its inputs and task outputs). A path outside the
 * execution's prefix is refused, so reading an execution never reaches another's files.
 */
@Controller('api/v1/executions')
export class ExecutionFilesController {
  constructor(
    @Inject(INTERNAL_STORAGE) private readonly storage: InternalStorage,
    @Inject(ExecutionReader) private readonly reader: ExecutionReader,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @ApiRoute({ tag: 'Files', summary: 'A file of an execution from the internal storage (Kestra\'s getFileFromExecution)', returns: 'binary', query: { path: { type: 'string', description: 'A kestra:/// URI of one of the execution\'s files' } } })
  @Get(':id/file')
  async file(@Headers('authorization') authorization: string | undefined, @Param('id') id: string, @Query('path') path: string | undefined, @Res() res: Response): Promise<void> {
    const uri = await this.checkedUri(authorization, id, path);
    const data = await this.storage.get(uri);
    const info = await this.storage.stat(uri);
    res.status(200).set({
      'content-type': info?.contentType ?? 'application/octet-stream',
      'content-length': String(data.length),
      'content-disposition': `attachment; filename="${fileNameOf(uri).replace(/"/g, '')}"`,
    }).send(data);
  }

  @ApiRoute({ tag: 'Files', summary: 'The size and content type of an execution\'s file', returns: 'FileMeta', query: { path: { type: 'string', description: 'A kestra:/// URI of one of the execution\'s files' } } })
  @Get(':id/file/metas')
  async metas(@Headers('authorization') authorization: string | undefined, @Param('id') id: string, @Query('path') path: string | undefined) {
    const uri = await this.checkedUri(authorization, id, path);
    const info = await this.storage.stat(uri);
    if (!info) throw new CodedError('FILE_NOT_FOUND', `file ${uri} does not exist in the internal storage`);
    return { size: info.size, contentType: info.contentType };
  }

  private async checkedUri(authorization: string | undefined, id: string, path: string | undefined): Promise<string> {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    // From the log when the read model has not caught up: a file of a just-ended execution is served.
    const execution = await this.reader.get(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new ExecutionNotFoundError(id);
    if (!path) throw new BadUserInputError('the query parameter "path" (a kestra:/// URI of this execution) is required');
    const prefix = executionPrefix({ namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id });
    if (!path.startsWith(prefix) || path.includes('/../') || path.includes('/./')) {
      throw new BadUserInputError(`path ${path} is not a file of execution ${id} (its files are under ${prefix})`);
    }
    return path;
  }
}
