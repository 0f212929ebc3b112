import { Controller, Get, Inject } from '@nestjs/common';
import { ApiRoute } from './api-route.decorator.js';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** The OpenAPI document of the REST API, generated from the controllers at start (the same as openapi.json). */
@Controller('api/v1')
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: object) {}

  @ApiRoute({ tag: 'OpenAPI', summary: 'This OpenAPI 3.1 document', returns: 'OpenApi', public: true })
  @Get('openapi.json')
  get() {
    return this.document;
  }
}
