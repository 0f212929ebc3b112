import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import type { Platform } from '@chronicle/application';
import { PLATFORM } from '../gateway.tokens.js';

/** Liveness (the process answers) and readiness (it can reach what it needs). */
@Controller()
export class HealthController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz() {
    const checks: Record<string, string> = {};
    try {
      await this.platform.pool.query('SELECT 1');
      checks.postgres = 'ok';
    } catch (error) {
      checks.postgres = `unreachable: ${(error as Error).message}`;
    }
    try {
      await this.platform.store.headPosition();
      checks.eventStore = 'ok';
    } catch (error) {
      checks.eventStore = `unreachable: ${(error as Error).message}`;
    }
    const ready = Object.values(checks).every((c) => c === 'ok');
    if (!ready) throw new HttpException({ status: 'not ready', checks }, 503);
    return { status: 'ready', checks };
  }
}
