// The bus as a NestJS microservice transport, apart from the package's main entry: it loads
// @nestjs/microservices (about 130 modules), which only the processes hosting the projection need,
// and every service start pays in CPU for what it loads.
export { ChronicleBusTransport, type BusEventExtras } from './chronicle-bus.transport.js';
