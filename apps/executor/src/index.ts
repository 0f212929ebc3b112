export { ExecutorModule } from './executor.module.js';
export { ExecutorService } from './executor.service.js';
