import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { assertNoReservedKafkaNames } from '@chronicle/use-cases';
import { flowInfos, mayStartFlowIn, parseFlow, parseNamespaceAllow } from '@chronicle/domain';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CONFIG, FLOWS } from '../gateway.tokens.js';
import { FlowResolver } from '../graphql/flow.resolver.js';
import { queryParams } from './query-params.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import type { FlowRepository } from '@chronicle/use-cases';
import type { ChronicleConfig } from '@chronicle/runtime';
import { CodedError, errorCodeOf } from '@chronicle/errors';

/**
 * Kestra's flow routes over the same code as the GraphQL flow queries and mutations (so the same
 * authorization and masking): create and update from YAML (`Content-Type: application/x-yaml`),
 * read, list, search, revisions, delete, validate, enable and disable.
 */
@Controller('api/v1/flows')
export class FlowsController {
  constructor(
    @Inject(FLOWS) private readonly flowRepository: FlowRepository,
    @Inject(CONFIG) private readonly config: ChronicleConfig,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(FlowResolver) private readonly flows: FlowResolver,
  ) {}

  /** Kestra's search: `{ results, total }`, `page` from 1 and `size`, optional `namespace` (and its children) and `q` (in the id). */
  @ApiRoute({ tag: 'Flows', summary: 'Search flows', returns: 'PagedFlows', query: { namespace: { type: 'string' }, q: { type: 'string', description: 'In the flow id' }, page: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1, maximum: 500 } } })
  @Get('search')
  async search(@Headers('authorization') authorization: string | undefined, @Query('namespace') namespaceParam: unknown, @Query('q') qParam: unknown, @Query('page') pageParam: string | undefined, @Query('size') sizeParam: string | undefined) {
    const namespace = queryParams.string('namespace', namespaceParam);
    const q = queryParams.string('q', qParam)?.toLowerCase();
    const page = queryParams.int('page', pageParam, { min: 1 }) ?? 1;
    const size = queryParams.int('size', sizeParam, { min: 1, max: 500 }) ?? 10;
    const all = (await this.flows.flows(this.ctx(authorization), namespace)).filter((f) => !q || f.id.toLowerCase().includes(q));
    return { results: all.slice((page - 1) * size, page * size), total: all.length };
  }

  /** Validates YAML without deploying it: one answer per document (`---` separated), with its problems as `constraints`. */
  @ApiRoute({ tag: 'Flows', summary: 'Validate flow YAML (documents separated by ---) without deploying', body: 'yaml', returns: 'FlowValidation[]' })
  @Post('validate')
  @HttpCode(200)
  validate(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    // Any reader validates a flow of any namespace: the answer names only the Kafka prefixes granted
    // to namespaces the caller's own flows may reach, never another team's.
    const allow = parseNamespaceAllow(this.config.namespaceAllow);
    const readerReaches = (grantedTo: string) => principal.namespaces === undefined || principal.namespaces.some((own) => mayStartFlowIn(own, grantedTo, allow));
    return yamlBody(body).split(/^---\s*$/m).filter((doc) => doc.trim() !== '').map((source, index) => {
      try {
        const flow = parseFlow(source, this.flowRepository.taskTypes, 0);
        assertNoReservedKafkaNames(flow, this.config, readerReaches);
        // Kestra's `infos`: a task written under an older name of its type (absent when there is none).
        const infos = flowInfos(flow);
        return { index, namespace: flow.namespace, flow: flow.id, ...(infos.length > 0 ? { infos } : {}) };
      } catch (error) {
        // Every refusal of the flow (a Chronicle code) is answered as its constraints; anything else is a fault.
        if (errorCodeOf(error) === undefined) throw error;
        return { index, constraints: (error as Error).message };
      }
    });
  }

  /** Creates a flow; an existing one is a 409 (update it with PUT). */
  @ApiRoute({ tag: 'Flows', summary: 'Create a flow from YAML', body: 'yaml', returns: 'Flow', errors: { 409: 'The flow exists: update it with PUT' } })
  @Post()
  @HttpCode(200)
  async create(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    this.access.require(this.access.principal(authorization), 'deploy', EACH_RESULT);
    const source = yamlBody(body);
    const parsed = parseFlow(source, this.flowRepository.taskTypes, 0);
    const head = await this.flowRepository.head(parsed.namespace, parsed.id);
    this.access.require(this.access.principal(authorization), 'deploy', { namespace: parsed.namespace });
    if (head && !head.status.deleted) throw new CodedError('FLOW_EXISTS', `flow ${parsed.namespace}.${parsed.id} already exists: update it with PUT /api/v1/flows/${parsed.namespace}/${parsed.id}`);
    return this.flows.deployFlow(this.ctx(authorization), source);
  }

  /** Kestra's FlowController.listByNamespace: the flows of that namespace only, not of its children (search lists those). */
  @ApiRoute({ tag: 'Flows', summary: 'The flows of a namespace (not of its children)', returns: 'Flow[]' })
  @Get(':namespace')
  async list(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string) {
    const flows = await this.flows.flows(this.ctx(authorization), namespace);
    return flows.filter((flow: { namespace: string }) => flow.namespace === namespace);
  }

  @ApiRoute({ tag: 'Flows', summary: 'A flow: its latest revision or the one asked for', returns: 'Flow', query: { revision: { type: 'integer', minimum: 1 } } })
  @Get(':namespace/:id')
  async get(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('id') id: string, @Query('revision') revisionParam: string | undefined) {
    const flow = await this.flows.flow(this.ctx(authorization), namespace, id, queryParams.int('revision', revisionParam, { min: 1 }));
    if (!flow) throw new CodedError('FLOW_NOT_FOUND', `flow ${namespace}.${id} does not exist`);
    return flow;
  }

  @ApiRoute({ tag: 'Flows', summary: 'Every revision of a flow, oldest first', returns: 'Flow[]' })
  @Get(':namespace/:id/revisions')
  revisions(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('id') id: string) {
    return this.flows.flowRevisions(this.ctx(authorization), namespace, id);
  }

  /** Deploys a new revision (an unchanged source answers the current one). */
  @ApiRoute({ tag: 'Flows', summary: 'Deploy a new revision of a flow', body: 'yaml', returns: 'Flow' })
  @Put(':namespace/:id')
  async update(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('id') id: string, @Body() body: unknown) {
    this.access.require(this.access.principal(authorization), 'deploy', { namespace });
    const source = yamlBody(body);
    const parsed = parseFlow(source, this.flowRepository.taskTypes, 0);
    if (parsed.namespace !== namespace || parsed.id !== id) throw new BadUserInputError(`the YAML is flow ${parsed.namespace}.${parsed.id}, not ${namespace}.${id}: namespace and id cannot change`);
    this.access.require(this.access.principal(authorization), 'deploy', { namespace });
    if (!(await this.flowRepository.head(namespace, id))) throw new CodedError('FLOW_NOT_FOUND', `flow ${namespace}.${id} does not exist: create it with POST /api/v1/flows`);
    return this.flows.deployFlow(this.ctx(authorization), source);
  }

  @ApiRoute({ tag: 'Flows', summary: 'Delete a flow (its revisions stay readable)', returns: 'none' })
  @Delete(':namespace/:id')
  @HttpCode(204)
  async remove(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('id') id: string): Promise<void> {
    await this.flows.deleteFlow(this.ctx(authorization), namespace, id);
  }

  /** Kestra's bulk enable/disable: a body of `[{ namespace, id }]`; answers `{ count }`. */
  @ApiRoute({ tag: 'Flows', summary: 'Disable flows: [{ namespace, id }]', body: 'json-array', returns: 'Count' })
  @Post('disable/by-ids')
  @HttpCode(200)
  disable(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.bulk(authorization, body, (ns, id) => this.flows.disableFlow(this.ctx(authorization), ns, id));
  }

  @ApiRoute({ tag: 'Flows', summary: 'Enable flows: [{ namespace, id }]', body: 'json-array', returns: 'Count' })
  @Post('enable/by-ids')
  @HttpCode(200)
  enable(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.bulk(authorization, body, (ns, id) => this.flows.enableFlow(this.ctx(authorization), ns, id));
  }

  private async bulk(authorization: string | undefined, body: unknown, act: (namespace: string, id: string) => Promise<unknown>) {
    if (!Array.isArray(body) || body.some((b) => typeof b?.namespace !== 'string' || typeof b?.id !== 'string')) throw new BadUserInputError('the body must be a JSON array of { "namespace": ..., "id": ... }');
    const targets = body as { namespace: string; id: string }[];
    // Every namespace checked before anything changes: a refused one changes none.
    const principal = this.access.principal(authorization);
    for (const t of targets) this.access.require(principal, 'deploy', { namespace: t.namespace });
    for (const t of targets) await act(t.namespace, t.id);
    return { count: targets.length };
  }

  private ctx(authorization: string | undefined) {
    return { principal: this.access.principal(authorization) };
  }
}

function yamlBody(body: unknown): string {
  if (typeof body !== 'string' || body.trim() === '') throw new BadUserInputError('the body must be the flow YAML, sent with Content-Type: application/x-yaml');
  return body;
}
