import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { ExecutionView } from '@chronicle/read-model';
import { hideValuesDeep, SecretMasking, TASK_RUN_KEYS } from '../secrets/secret-masking.js';
import { toKestraExecution } from './kestra-execution.view.js';

/** Every REST answer that holds an execution: Kestra's shape, SECRET values masked. */
@Injectable()
export class ExecutionPresenter {
  constructor(@Inject(SecretMasking) private readonly secrets: SecretMasking) {}

  async present(execution: ExecutionView, req: Request) {
    const values = await this.secrets.values(execution);
    return hideValuesDeep(toKestraExecution({ ...execution, inputs: (await this.secrets.inputs(execution)) ?? {} }, baseUrl(req)), values, TASK_RUN_KEYS);
  }
}

export const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}`;
