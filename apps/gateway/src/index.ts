export { GatewayModule, type GatewayOptions } from './gateway.module.js';
export { TokenRegistry } from './auth/token-registry.js';
export { configureHttp, listenHttp } from './http-app.js';
