import { createRequire } from 'node:module';
import { context, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as TraceBase from '@opentelemetry/sdk-trace-base';
import type { InMemorySpanExporter, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type * as TraceNode from '@opentelemetry/sdk-trace-node';

export { SpanKind } from '@opentelemetry/api';
export type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * The SDK (about 180 modules, a few hundred ms of CPU) is loaded only when tracing is on: every
 * service start pays for what it loads, and a restarted service's readiness is bound by that CPU
 * on a busy machine. The API above is all that tracing off needs (its no-op tracer).
 */
const require = createRequire(import.meta.url);
const sdk = () => ({
  base: require('@opentelemetry/sdk-trace-base') as typeof TraceBase,
  node: require('@opentelemetry/sdk-trace-node') as typeof TraceNode,
  resources: require('@opentelemetry/resources') as typeof Resources,
  otlp: () => require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp,
});

/** For tests: `startTracing({ ..., exporter: inMemorySpanExporter() })` keeps the spans in memory. */
export function inMemorySpanExporter(): InMemorySpanExporter {
  return new (sdk().base.InMemorySpanExporter)();
}

/** `CHRONICLE_TRACING`: `off` (default), `console` (spans on stdout), `otlp` (OTEL_EXPORTER_OTLP_ENDPOINT). */
export type TracingMode = 'off' | 'console' | 'otlp';

export interface TracingOptions {
  readonly service: string;
  readonly mode: TracingMode;
  /** Overrides the mode's exporter (tests: an InMemorySpanExporter, exported synchronously). */
  readonly exporter?: SpanExporter;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Flushes the spans still buffered and unregisters the global provider. */
  shutdown(): Promise<void>;
}

const TRACER = 'chronicle';
const OFF: Tracing = { enabled: false, shutdown: async () => undefined };

/**
 * Whether startTracing registered a provider (on globalThis, like the API's own registry, so a
 * second copy of this module agrees). Off, spans are skipped outright: the API's no-op tracer
 * would make the same non-recording span and leave the context as it is, but every request and
 * every bus delivery paid for its propagation lookup, span and context objects.
 */
const TRACING_ON = Symbol.for('chronicle.tracing.on');
export const tracingOn = (): boolean => (globalThis as { [TRACING_ON]?: boolean })[TRACING_ON] === true;
const setTracingOn = (on: boolean): void => {
  (globalThis as { [TRACING_ON]?: boolean })[TRACING_ON] = on;
};
/** What a span's callback gets while tracing is off: the API's own non-recording span. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * OpenTelemetry tracing for the process: a global tracer provider with the AsyncLocalStorage
 * context manager and the W3C trace-context propagator (`traceparent`), so spans started
 * anywhere through `@opentelemetry/api` nest under the request or message being handled.
 * Off by default: the API's no-op tracer then costs next to nothing.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (options.mode === 'off' && !options.exporter) return OFF;
  const { base, node, resources, otlp } = sdk();
  const exporter = options.exporter ?? (options.mode === 'otlp' ? new (otlp().OTLPTraceExporter)() : new base.ConsoleSpanExporter());
  // OTLP batches (network); console and test exporters see each span as it ends.
  const processor = options.mode === 'otlp' && !options.exporter ? new base.BatchSpanProcessor(exporter) : new base.SimpleSpanProcessor(exporter);
  const provider = new node.NodeTracerProvider({ resource: resources.resourceFromAttributes({ 'service.name': options.service }), spanProcessors: [processor] });
  provider.register();
  setTracingOn(true);
  return {
    enabled: true,
    async shutdown() {
      setTracingOn(false);
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Runs `fn` in a new active span (a child of the active one, or of `parent`); records a failure and rethrows. */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context; links?: Link[] },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!tracingOn()) return fn(NO_SPAN);
  const tracer = trace.getTracer(TRACER);
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, options.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's context as carrier headers (`traceparent`, `tracestate`); empty when no span is active. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (trace.getSpanContext(ctx)) propagation.inject(ctx, carrier);
  return carrier;
}

/** The context a carrier (message headers, event metadata) names, for a span's parent or link. */
export function contextFrom(carrier: Readonly<Record<string, unknown>> | undefined): Context | undefined {
  if (!carrier || typeof carrier.traceparent !== 'string') return undefined;
  const ctx = propagation.extract(ROOT_CONTEXT, carrier as Record<string, string>);
  return trace.getSpanContext(ctx) ? ctx : undefined;
}

/** Links to the spans the carriers name (a batch of messages or events), at most `max`. */
export function linksFrom(carriers: Iterable<Readonly<Record<string, unknown>> | undefined>, max = 32): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const carrier of carriers) {
    const spanContext = trace.getSpanContext(contextFrom(carrier) ?? ROOT_CONTEXT);
    if (!spanContext || seen.has(spanContext.spanId)) continue;
    seen.add(spanContext.spanId);
    links.push({ context: spanContext });
    if (links.length >= max) break;
  }
  return links;
}

/** Trace and span ids of the active span, for log lines (`{}` when none). */
export function traceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}

/** A SERVER span for an incoming request, made active by `run` (HTTP middleware). */
export interface ServerSpan {
  readonly traceId: string;
  /** Runs `fn` with the span active: what it starts (awaited or not) joins the trace. */
  run<T>(fn: () => T): T;
  end(statusCode: number): void;
}

/** A request while tracing is off: what the no-op tracer's span would give (the invalid trace id, nothing recorded). */
const UNTRACED_REQUEST: ServerSpan = { traceId: INVALID_SPAN_CONTEXT.traceId, run: (fn) => fn(), end: () => undefined };

/** Starts the span of an incoming request, a child of the caller's `traceparent` header if any. */
export function startServerSpan(name: string, headers: Readonly<Record<string, unknown>>, attributes: Attributes): ServerSpan {
  if (!tracingOn()) return UNTRACED_REQUEST;
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = trace.getTracer(TRACER).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return {
    traceId: span.spanContext().traceId,
    run: (fn) => context.with(active, fn),
    end(statusCode) {
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
