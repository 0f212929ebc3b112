export { SchedulerModule } from './scheduler.module.js';
export { TriggersService } from './triggers/triggers.service.js';
