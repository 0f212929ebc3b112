/** Where Kestra-style webhook calls arrive (`/api/v1/executions/webhook/{namespace}/{flowId}/{key}`): the body parsers, the security headers and the refusal ahead of Express all key on it. */
export const WEBHOOK_PATH = '/api/v1/executions/webhook/';
