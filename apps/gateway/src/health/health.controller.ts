import { Controller, Get, Header, HttpException, Inject } from '@nestjs/common';
import { runHealthChecks } from '@chronicle/composition';
import { CONTENT_TYPE_METRICS, renderMetrics } from '@chronicle/runtime';
import { HEALTH_CHECKS, type HealthChecks } from '../gateway.tokens.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';

/** A dependency that has not answered after this long counts as unreachable. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Liveness (the process answers), readiness (it can reach Postgres, the event store and, on the
 * Kafka bus, the brokers: the same checks as the other services' health server, each bounded
 * by a timeout) and the Prometheus metrics of the process.
 */
@Controller()
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthChecks) {}

  @ApiRoute({ tag: 'Health', summary: 'Liveness', returns: 'Health', public: true })
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  @ApiRoute({ tag: 'Health', summary: 'Readiness: Postgres, the bus', returns: 'Health', public: true, errors: { 503: 'Not ready' } })
  @Get('readyz')
  async readyz() {
    const checks = await runHealthChecks(this.checks, CHECK_TIMEOUT_MS);
    const ready = Object.values(checks).every((c) => c === 'ok');
    if (!ready) throw new HttpException({ status: 'not ready', checks }, 503);
    return { status: 'ready', checks };
  }

  @ApiRoute({ tag: 'Health', summary: 'Prometheus metrics', returns: 'text', public: true })
  @Get('metrics')
  @Header('content-type', CONTENT_TYPE_METRICS)
  @Header('cache-control', 'no-store')
  metrics(): Promise<string> {
    return renderMetrics();
  }
}
