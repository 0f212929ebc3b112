import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEBHOOK_PATH } from '../webhooks/webhook-path.js';

/**
 * The Content-Security-Policy of everything the gateway serves. The live monitor (apps/ui) is
 * built to work under it: its scripts and styles are files from the same origin, it talks to
 * the same origin only (GraphQL over HTTP and graphql-ws, which 'self' covers), and its icon
 * is a data: URL. Styles allow inline because Mantine sets style attributes and CodeMirror
 * injects <style> elements; no script is ever inline or evaluated. Nothing may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Webhook answers are public (the key in the URL authorises them) and a flow shapes them, HTML
 * included (`webhookResponse`). Served with the UI's policy, a flow's page would run in Chronicle's
 * origin, where `script-src 'self'` admits another webhook's JavaScript answer, and read the UI's
 * token from sessionStorage in the same tab. So they get a sandbox (an opaque origin, no scripts)
 * and may load nothing; inline styles and data: images keep a plain page readable.
 */
export const WEBHOOK_CONTENT_SECURITY_POLICY = [
  'sandbox allow-forms',
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "object-src 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // For browsers without CSP's frame-ancestors.
  'X-Frame-Options': 'DENY',
  // A token never leaks through a URL; an execution's URL is nobody else's business.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};


/** Sets the security headers on every response (API, UI, errors, 404s), before any route answers. */
export function securityHeaders() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.url?.toLowerCase().startsWith(WEBHOOK_PATH)) res.setHeader('Content-Security-Policy', WEBHOOK_CONTENT_SECURITY_POLICY);
    next();
  };
}
