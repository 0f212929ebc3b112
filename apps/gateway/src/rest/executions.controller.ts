import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { fileReference, type FileStore } from '@chronicle/use-cases';
import type { ChronicleConfig } from '@chronicle/runtime';
import { isTerminal, STATES, type State, ExecutionNotFoundError, systemLabelGivenAtStart } from '@chronicle/domain';
import { toExecutionView, type ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CONFIG, CREATE_EXECUTION, EXECUTION_ADMISSION, FILE_STORE, LIVE_UPDATES, READ_MODEL, type CreateExecutionUseCase } from '../gateway.tokens.js';
import type { ExecutionAdmission } from '../admission/execution-admission.js';
import type { LiveUpdates } from '../live/live-updates.js';
import { ExecutionReader, parseMinRevision } from '../reads/execution-reader.js';
import { waitForEnd } from '../webhooks/wait-for-end.js';
import { baseUrl, ExecutionPresenter } from './execution-presenter.js';
import { queryParams } from './query-params.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { restRunOptions, restWrapping } from './run-options.query.js';
import { wrappersArg } from '../commands/wrapper-args.js';
import { MAX_UPLOAD_BYTES } from './upload-limits.js';

/** Kestra's default and Chronicle's largest page of `/executions/search`. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 500;
/** `page` walks cursors: past this many executions, page with `after` (the answer's `nextCursor`). */
const MAX_PAGE_OFFSET = 10_000;

/** Kestra-compatible REST paths (CONTRACT.md): start, search, get. */
@Controller('api/v1/executions')
export class ExecutionsController {
  constructor(
    @Inject(CREATE_EXECUTION) private readonly createExecution: CreateExecutionUseCase,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(CONFIG) private readonly config: ChronicleConfig,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionPresenter) private readonly presenter: ExecutionPresenter,
    @Inject(ExecutionReader) private readonly reader: ExecutionReader,
    @Inject(EXECUTION_ADMISSION) private readonly admission: ExecutionAdmission,
  ) {}

  /**
   * Kestra's search: filters, newest first, `page` (from 1) and `size`; `{ results, total }`.
   * Read from the read model: a list may lag the log briefly (read one execution by id to read your writes).
   */
  @ApiRoute({ tag: 'Executions', summary: 'Search executions (newest first)', description: 'Read from the read model: may lag the log briefly; read one execution by id to read your writes.', returns: 'PagedExecutions',
    query: { namespace: { type: 'string', description: 'This namespace and its children' }, flowId: { type: 'string' }, state: { type: 'string[]', enum: STATES, description: 'Repeatable or comma-separated' },
      labels: { type: 'string[]', description: 'key:value, repeatable: executions with all of them' }, startDate: { type: 'date-time', description: 'Started at or after' }, endDate: { type: 'date-time', description: 'Started at or before' },
      originalId: { type: 'string' }, parentId: { type: 'string' }, page: { type: 'integer', minimum: 1, description: 'From 1' }, size: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE }, after: { type: 'string', description: 'nextCursor of the previous page' } } })
  @Get('search')
  async search(
    @Req() req: Request,
    @Headers('authorization') authorization: string | undefined,
    @Query('namespace') namespaceParam: unknown,
    @Query('flowId') flowIdParam: unknown,
    @Query('state') stateParam: string | string[] | undefined,
    @Query('labels') labelsParam: string | string[] | undefined,
    @Query('startDate') startDateParam: string | undefined,
    @Query('endDate') endDateParam: string | undefined,
    @Query('originalId') originalIdParam: unknown,
    @Query('parentId') parentIdParam: unknown,
    @Query('page') pageParam: string | undefined,
    @Query('size') sizeParam: string | undefined,
    @Query('after') afterParam: unknown,
  ) {
    const namespace = queryParams.string('namespace', namespaceParam);
    const principal = this.access.require(this.access.principal(authorization), 'read', namespace ? { namespace } : EACH_RESULT);
    const size = queryParams.int('size', sizeParam, { min: 1, max: MAX_PAGE_SIZE }) ?? DEFAULT_PAGE_SIZE;
    const page = queryParams.int('page', pageParam, { min: 1 }) ?? 1;
    if ((page - 1) * size > MAX_PAGE_OFFSET) throw new BadUserInputError(`query parameter page reaches past ${MAX_PAGE_OFFSET} executions: page further with after=<nextCursor>`, { parameter: 'page' });
    const states = queryParams.list(stateParam);
    const unknown = states?.find((s) => !(STATES as readonly string[]).includes(s));
    if (unknown) throw new BadUserInputError(`query parameter state must be one of ${STATES.join(', ')} (got "${unknown}")`, { parameter: 'state' });
    const filter = {
      namespace,
      namespaces: namespace ? undefined : principal.namespaces,
      flowId: queryParams.string('flowId', flowIdParam),
      states: states as State[] | undefined,
      labels: queryParams.labels('labels', labelsParam),
      startDate: queryParams.date('startDate', startDateParam),
      endDate: queryParams.date('endDate', endDateParam),
      originalId: queryParams.string('originalId', originalIdParam),
      parentId: queryParams.string('parentId', parentIdParam),
    };
    let after = queryParams.string('after', afterParam);
    let beyondEnd = false;
    // Kestra's page numbers over keyset pagination: skip the earlier pages by their cursors.
    for (let skip = after ? 0 : (page - 1) * size; skip > 0 && !beyondEnd;) {
      const chunk = Math.min(skip, MAX_PAGE_SIZE);
      const skipped = await this.readModel.listExecutions({ ...filter, first: chunk, after });
      after = skipped.endCursor;
      skip -= chunk;
      beyondEnd = !skipped.hasNextPage;
    }
    const found = beyondEnd ? undefined : await this.readModel.listExecutions({ ...filter, first: size, after });
    const total = found?.totalCount ?? (await this.readModel.listExecutions({ ...filter, first: 0 })).totalCount;
    const results = await Promise.all((found?.nodes ?? []).filter((e) => this.access.allows(principal, 'read', e.namespace)).map((e) => this.presenter.present(e, req)));
    return { results, total, ...(found?.hasNextPage && found.endCursor ? { nextCursor: found.endCursor } : {}) };
  }

  /**
   * Starts an execution. Inputs come as a JSON body or, Kestra style, as multipart form fields
   * with FILE inputs as parts named `files` whose filename is the input id
   * (`-F "files=@report.csv;filename=report"`); labels as `?labels=key:value` (repeatable).
   * `?wait=true` answers once the execution ended (202 with its id when it runs longer than the
   * webhook wait timeout).
   */
  @ApiRoute({ tag: 'Executions', summary: 'Start an execution of a flow', body: 'json-or-form', returns: 'Execution', errors: { 202: 'wait=true and still running after the wait timeout (StillRunning)', 429: 'At capacity (CHRONICLE_MAX_IN_FLIGHT): nothing started, retry after Retry-After', 503: 'Past the memory ceiling (CHRONICLE_MAX_RSS_MB): nothing started, retry after Retry-After' },
    query: { revision: { type: 'integer', minimum: 1, description: 'Flow revision (default: latest)' }, labels: { type: 'string[]', description: 'key:value, repeatable' }, wait: { type: 'boolean', description: 'Answer once the execution ended' },
      priority: { type: 'integer', minimum: 0, description: 'Higher first' }, maxRuntime: { type: 'string', description: 'ISO-8601 duration: killed past it' }, scheduledAt: { type: 'date-time', description: 'Start later' }, scheduleDate: { type: 'date-time', description: "Kestra's name for scheduledAt" },
      name: { type: 'string' }, description: { type: 'string' }, mode: { type: 'string', enum: ['PRODUCTIVE', 'DEVELOPMENT'] },
      wrapper: { type: 'string[]', description: 'namespace/flowId of a wrapper added to this run (repeatable, the first outermost)' }, unwrapped: { type: 'boolean', description: "The flow's own wrappers are off for this run" } } })
  @Post(':namespace/:flowId')
  @HttpCode(200)
  @UseInterceptors(AnyFilesInterceptor({ limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 20 } }))
  async start(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Headers('authorization') authorization: string | undefined,
    @Param('namespace') namespace: string,
    @Param('flowId') flowId: string,
    @Query('revision') revisionParam: string | undefined,
    @Query('labels') labels: string | string[] | undefined,
    @Query('wait') waitParam: string | undefined,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @UploadedFiles() files: Array<{ fieldname: string; originalname: string; mimetype: string; buffer: Buffer }> | undefined,
  ) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', { namespace });
    // Admission before uploads and writes: under overload, 429 + Retry-After at once (see ExecutionAdmission).
    const slot = this.admission.take();
    let request: Parameters<CreateExecutionUseCase>[0];
    let wait: boolean;
    try {
      if (typeof body !== 'undefined' && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new BadUserInputError('the body must be a JSON object (or form fields) of input ids to values');
      const inputs: Record<string, unknown> = { ...((body ?? {}) as Record<string, unknown>) };
      const revision = queryParams.int('revision', revisionParam, { min: 1 });
      wait = queryParams.bool('wait', waitParam) ?? false;
      const parsedLabels = queryParams.labels('labels', labels);
      const system = systemLabelGivenAtStart(parsedLabels);
      if (system) throw new BadUserInputError(`labels: ${system}`);
      for (const file of files ?? []) {
        const inputId = file.fieldname === 'files' ? file.originalname : file.fieldname;
        inputs[inputId] = fileReference(await this.files.put(file.originalname, file.mimetype || 'application/octet-stream', file.buffer, namespace));
      }
      const options = restRunOptions(query, principal.name);
      const wrapping = restWrapping(query);
      if (wrapping.wrappers !== undefined) wrappersArg(wrapping.wrappers, { namespace, id: flowId });
      request = { namespace, flowId, revision, inputs, labels: parsedLabels, actor: principal.name, options, ...wrapping };
    } catch (error) {
      slot.release();
      throw error;
    }
    const started = await this.admission.startWith(slot, () => this.createExecution(request));
    const execution = toExecutionView(started.execution);
    if (!wait) return this.presenter.present(execution, req);
    // Ended in its creation's own write (every task ran locally in its first step): that decided state is the answer.
    if (started.created && started.afterFirstStep && isTerminal(started.afterFirstStep.state)) return this.presenter.present(toExecutionView(started.afterFirstStep), req);
    const ended = await waitForEnd(this.live, this.readModel, execution.id, this.config.webhookWaitTimeoutMs);
    if (ended) return this.presenter.present(ended, req);
    res.status(202);
    return { ...(await this.presenter.present(execution, req)), message: `still running after ${this.config.webhookWaitTimeoutMs} ms; follow it at ${baseUrl(req)}/api/v1/executions/${execution.id}/follow` };
  }

  /** Read-your-writes: never 404 for an execution the log holds, never older than `minRevision`. */
  @ApiRoute({ tag: 'Executions', summary: 'Get an execution (read-your-writes)', returns: 'Execution', query: { minRevision: { type: 'integer', minimum: 0, description: 'Answer at this stream revision or later (waits briefly; 400 when never written)' } } })
  @Get(':id')
  async get(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string, @Query('minRevision') minRevision: string | undefined) {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    const execution = await this.reader.get(id, parseMinRevision(minRevision));
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new ExecutionNotFoundError(id);
    return this.presenter.present(execution, req);
  }
}
