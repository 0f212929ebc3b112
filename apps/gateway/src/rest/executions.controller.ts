import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { createExecution, fileReference, FileStore, type Platform } from '@chronicle/application';
import type { Execution } from '@chronicle/domain';
import type { ExecutionView, ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { BadUserInputError, NotFoundError } from '../errors/api-errors.js';
import { PLATFORM, READ_MODEL } from '../gateway.tokens.js';
import { toKestraExecution } from './kestra-execution.view.js';
import { restRunOptions } from './run-options.query.js';
import { hideValuesDeep, SecretMasking } from '../secrets/secret-masking.js';

/** Uploaded FILE inputs larger than this are refused (kept in Postgres, so kept small); multer keeps uploads in memory. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Kestra-compatible REST paths (CONTRACT.md). */
@Controller('api/v1/executions')
export class ExecutionsController {
  private files?: FileStore;

  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
  ) {}

  /**
   * Starts an execution. Inputs come as a JSON body or, Kestra style, as multipart form fields
   * with FILE inputs as parts named `files` whose filename is the input id
   * (`-F "files=@report.csv;filename=report"`); labels as `?labels=key:value` (repeatable).
   */
  @Post(':namespace/:flowId')
  @HttpCode(200)
  @UseInterceptors(AnyFilesInterceptor({ limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 20 } }))
  async start(
    @Req() req: Request,
    @Headers('authorization') authorization: string | undefined,
    @Param('namespace') namespace: string,
    @Param('flowId') flowId: string,
    @Query('revision') revision: string | undefined,
    @Query('labels') labels: string | string[] | undefined,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @UploadedFiles() files: Array<{ fieldname: string; originalname: string; mimetype: string; buffer: Buffer }> | undefined,
  ) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', { namespace });
    const inputs: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>) };
    if (typeof body !== 'undefined' && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new BadUserInputError('the body must be a JSON object (or form fields) of input ids to values');
    const rev = revision === undefined ? undefined : Number(revision);
    if (rev !== undefined && (!Number.isInteger(rev) || rev < 1)) throw new BadUserInputError('revision must be a positive integer');
    for (const file of files ?? []) {
      const inputId = file.fieldname === 'files' ? file.originalname : file.fieldname;
      inputs[inputId] = fileReference(await this.fileStore().put(file.originalname, file.mimetype || 'application/octet-stream', file.buffer, namespace));
    }
    const options = restRunOptions(query, principal.name);
    const { execution } = await createExecution(this.platform, { namespace, flowId, revision: rev, inputs, labels: parseLabels(labels), actor: principal.name, options });
    return this.view(execution, req);
  }

  private fileStore(): FileStore {
    return (this.files ??= new FileStore(this.platform.pool, MAX_UPLOAD_BYTES));
  }

  @Get(':id')
  async get(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    const execution = await this.readModel.getExecution(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new NotFoundError(`execution ${id} does not exist`);
    return this.view(execution, req);
  }

  /** Kestra's kill: the same command as the `killExecution` mutation, the same errors (409 when it cannot apply). */
  @Delete(':id/kill')
  @HttpCode(202)
  async kill(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', EACH_RESULT);
    const execution = await this.commands.control(id, { type: 'KillExecution', actor: principal.name }, (namespace) => {
      if (!this.access.allows(principal, 'read', namespace)) throw new NotFoundError(`execution ${id} does not exist`);
      this.access.require(principal, 'execute', { namespace });
    });
    return this.view(execution, req);
  }

  /** Kestra's shape, SECRET inputs masked. */
  private async view(execution: Execution | ExecutionView, req: Request) {
    const values = await this.secrets.values(execution);
    return hideValuesDeep(toKestraExecution({ ...execution, inputs: (await this.secrets.inputs(execution)) ?? {} }, baseUrl(req)), values);
  }
}

const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** Kestra's `labels=key:value` query parameters. */
function parseLabels(raw: string | string[] | undefined): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const entries = (Array.isArray(raw) ? raw : [raw]).map((label) => {
    const at = label.indexOf(':');
    if (at <= 0) throw new BadUserInputError(`label "${label}" must be key:value`);
    return [label.slice(0, at), label.slice(at + 1)] as const;
  });
  return Object.fromEntries(entries);
}
