import { Body, Controller, Delete, Headers, HttpCode, Inject, Param, Post, Query, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { isTerminal, ExecutionNotFoundError } from '@chronicle/domain';
import { purgeExecutions, type ReadModelQueries } from '@chronicle/read-model';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { inputFileUri, type ControlRequest, type InternalStorage } from '@chronicle/use-cases';
import type { JsonObject } from '@chronicle/domain';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CLOCK, EVENT_STORE, INTERNAL_STORAGE, READ_MODEL } from '../gateway.tokens.js';
import { MAX_UPLOAD_BYTES } from './upload-limits.js';
import { ExecutionReader } from '../reads/execution-reader.js';
import { ExecutionPresenter } from './execution-presenter.js';
import { queryParams } from './query-params.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { CodedError } from '@chronicle/errors';
import type { EventStore } from '@chronicle/event-store';
import type { Clock } from '@chronicle/runtime';

/**
 * Kestra's control routes over the same commands as the GraphQL mutations (same errors: 409 when
 * a command cannot apply). Each answer is the execution at the revision the command produced
 * (`revision`): read it back with `?minRevision=`.
 */
@Controller('api/v1/executions')
export class ExecutionControlController {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(ExecutionPresenter) private readonly presenter: ExecutionPresenter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(ExecutionReader) private readonly reader: ExecutionReader,
    @Inject(INTERNAL_STORAGE) private readonly storage: InternalStorage,
  ) {}

  /**
   * Kestra's delete: the ended execution's rows, logs, audit entries and event stream (the
   * `purgeExecutions` retention, for one id). ADMIN in its namespace; a live execution is a 409.
   */
  @ApiRoute({ tag: 'Executions', summary: 'Delete (purge) an ended execution', returns: 'none', errors: { 409: 'Not ended yet (kill it first)' } })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Headers('authorization') authorization: string | undefined, @Param('id') id: string): Promise<void> {
    const principal = this.access.require(this.access.principal(authorization), 'admin', EACH_RESULT);
    const execution = await this.reader.get(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'admin', { namespace: execution.namespace });
    if (!isTerminal(execution.state)) throw new CodedError('EXECUTION_NOT_ENDED', `execution ${id} is ${execution.state}: only an ended execution can be deleted (kill it first)`);
    const purged = await purgeExecutions(this.readModel.dataSource, this.store, { executionIds: [id], dryRun: false, now: new Date(this.clock.now()), actor: principal.name });
    // Ended in the log but not yet in the read model: the purge found no row to remove.
    if (purged.count === 0) throw new CodedError('EXECUTION_NOT_PROJECTED_YET', `execution ${id} ended a moment ago and is not projected yet: retry`);
  }

  /** CREATED or QUEUED: KILLED at once; RUNNING or PAUSED: KILLING, then KILLED. */
  @ApiRoute({ tag: 'Executions', summary: 'Kill an execution', returns: 'Execution', errors: { 409: 'The execution cannot be killed in its state' } })
  @Delete(':id/kill')
  @HttpCode(202)
  kill(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    return this.control(req, authorization, id, { type: 'KillExecution' });
  }

  /** A RUNNING execution becomes PAUSED. */
  @ApiRoute({ tag: 'Executions', summary: 'Pause a running execution', returns: 'Execution', errors: { 409: 'Not running' } })
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    return this.control(req, authorization, id, { type: 'PauseExecution' });
  }

  /**
   * Resumes a paused execution (or its Pause task); the body (JSON or form fields) holds the Pause
   * task's `onResume` inputs, and FILE ones come as multipart parts as Kestra's API takes them: a
   * part named `files` whose filename is the input id (or a part named by the input id). Each file
   * is stored with the execution (`kestra:///<ns>/<flow>/executions/<id>/inputs/<input>/<file>`).
   * Inputs that do not fit the `onResume` declaration (missing, wrong type, rule) are refused with
   * the issues (BAD_USER_INPUT). `?approve=false` rejects it: the paused task fails.
   */
  @ApiRoute({ tag: 'Executions', summary: 'Resume (or reject) a paused execution', body: 'json-or-form', returns: 'Execution', errors: { 409: 'Not paused' }, query: { approve: { type: 'boolean', description: 'false rejects: the paused task fails (default true)' } } })
  @Post(':id/resume')
  @HttpCode(200)
  @UseInterceptors(AnyFilesInterceptor({ limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 20 } }))
  async resume(
    @Req() req: Request,
    @Headers('authorization') authorization: string | undefined,
    @Param('id') id: string,
    @Query('approve') approveParam: string | undefined,
    @Body() body: unknown,
    @UploadedFiles() files: UploadedPart[] | undefined,
  ) {
    const approve = queryParams.bool('approve', approveParam) ?? true;
    const inputs: JsonObject = { ...(objectBody(body) ?? {}) };
    if (files && files.length > 0) Object.assign(inputs, await this.storeResumeFiles(authorization, id, files));
    return this.control(req, authorization, id, { type: 'ResumeExecution', approve, ...(Object.keys(inputs).length > 0 ? { inputs } : {}) });
  }

  /** The uploaded FILE inputs of a resume, stored with the execution once the caller may resume it. */
  private async storeResumeFiles(authorization: string | undefined, id: string, files: readonly UploadedPart[]): Promise<JsonObject> {
    const principal = this.access.require(this.access.principal(authorization), 'execute', EACH_RESULT);
    const execution = await this.reader.get(id);
    if (!execution) throw new ExecutionNotFoundError(id);
    this.requireIn(principal, id, execution.namespace);
    const stored: JsonObject = {};
    for (const file of files) {
      if (file.size > MAX_UPLOAD_BYTES) throw new BadUserInputError(`file ${file.originalname}: ${file.size} bytes, over the limit of ${MAX_UPLOAD_BYTES} bytes`);
      const inputId = file.fieldname === 'files' ? file.originalname : file.fieldname;
      const ref = { namespace: execution.namespace, flowId: execution.flowId, executionId: id };
      stored[inputId] = await this.storage.put(inputFileUri(ref, inputId, file.originalname), file.buffer, file.mimetype || 'application/octet-stream');
    }
    return stored;
  }

  /** Re-runs the failed task runs in the same execution. */
  @ApiRoute({ tag: 'Executions', summary: 'Restart the failed task runs of an execution', returns: 'Execution', errors: { 409: 'Not failed, killed or warning' } })
  @Post(':id/restart')
  @HttpCode(200)
  restart(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    return this.control(req, authorization, id, { type: 'RestartExecution' });
  }

  /**
   * Kestra's replay: a new execution of the same flow (same `originalId`) that reuses the outputs of
   * the task runs before `taskRunId` (or Chronicle's `taskId`), on `revision` if given; a JSON body
   * replaces the inputs (a SECRET input sent back as its mask keeps its value).
   */
  @ApiRoute({ tag: 'Executions', summary: 'Replay: a new execution from a task run, with other inputs or another flow revision', body: 'json-object', returns: 'Execution', headers: { 'idempotency-key': 'The same key answers the same replay' },
    query: { taskRunId: { type: 'string', description: 'Kestra: replay from this task run' }, taskId: { type: 'string', description: 'Or from this task id' }, revision: { type: 'integer', minimum: 1 } } })
  @Post(':id/replay')
  @HttpCode(200)
  async replay(
    @Req() req: Request,
    @Headers('authorization') authorization: string | undefined,
    @Param('id') id: string,
    @Query('taskRunId') taskRunId: unknown,
    @Query('taskId') taskIdParam: unknown,
    @Query('revision') revisionParam: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
  ) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', EACH_RESULT);
    const runId = queryParams.string('taskRunId', taskRunId);
    let fromTaskId = queryParams.string('taskId', taskIdParam);
    const execution = await this.commands.replay(
      { executionId: id, inputs: objectBody(body), revision: queryParams.int('revision', revisionParam, { min: 1 }), idempotencyKey, actor: principal.name },
      (namespace) => this.requireIn(principal, id, namespace),
      (previous) => {
        if (runId === undefined) return fromTaskId;
        const run = previous.taskRuns.find((t) => t.id === runId);
        if (!run) throw new BadUserInputError(`query parameter taskRunId: No task found: execution ${id} has no task run ${runId}`, { parameter: 'taskRunId' });
        return (fromTaskId = run.taskId);
      },
    );
    return this.presenter.present(execution, req);
  }

  private async control(req: Request, authorization: string | undefined, id: string, request: ControlRequest) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', EACH_RESULT);
    const execution = await this.commands.control(id, { ...request, actor: principal.name }, (namespace) => this.requireIn(principal, id, namespace));
    return this.presenter.present(execution, req);
  }

  /** Outside the caller's namespaces an execution does not exist (no id leaks); inside, `execute` is needed. */
  private requireIn(principal: Principal, id: string, namespace: string): void {
    if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'execute', { namespace });
  }
}

/** A multipart file part as multer hands it over. */
interface UploadedPart {
  readonly fieldname: string;
  readonly originalname: string;
  readonly mimetype: string;
  readonly size: number;
  readonly buffer: Buffer;
}

function objectBody(body: unknown): JsonObject | undefined {
  if (body === undefined || body === null || (typeof body === 'string' && body === '')) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadUserInputError('the body must be a JSON object (or form fields) of input ids to values');
  return Object.keys(body).length === 0 ? undefined : (body as JsonObject);
}
