/** A GraphQL error as the API reports it: `extensions.code` and, for deploys, the YAML issues. */
export interface FlowIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly issues: readonly FlowIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; issues?: FlowIssue[] } }>;
}

/** Client of the public GraphQL API over HTTP; the token goes in the Authorization header. */
export class GraphQLClient {
  constructor(
    private readonly token: string,
    private readonly url = '/graphql',
  ) {}

  async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new ApiRequestError('Chronicle cannot be reached: check that the server is running', 'NETWORK');
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw new ApiRequestError(`the server answered ${response.status} without GraphQL`, 'NETWORK');
    }
    const first = body.errors?.[0];
    if (first) {
      throw new ApiRequestError(first.message, first.extensions?.code ?? 'UNKNOWN', first.extensions?.issues ?? []);
    }
    if (!body.data) throw new ApiRequestError('the server answered without data', 'UNKNOWN');
    return body.data;
  }
}

export const errorMessage = (error: unknown): string =>
  error instanceof ApiRequestError
    ? error.code === 'FORBIDDEN'
      ? `Not allowed: ${error.message}`
      : error.message
    : error instanceof Error
      ? error.message
      : String(error);
