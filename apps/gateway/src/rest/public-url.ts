/**
 * The address users reach Chronicle at (behind a proxy it is not the request's host):
 * CHRONICLE_PUBLIC_URL when set (without its trailing slash), else the request's own base URL.
 * Links to the live monitor in API answers use it.
 */
export function publicBaseUrl(requestBaseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHRONICLE_PUBLIC_URL?.trim();
  return (configured ? configured : requestBaseUrl).replace(/\/+$/, '');
}
