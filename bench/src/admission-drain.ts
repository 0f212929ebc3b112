/**
 * How long the gateway's admission slots take to come back once a load has ended and its answers
 * are in: `chronicle_admission_in_flight{path="gateway"}` from its `/metrics`, read every 250 ms.
 * Every accepted call of benchmark01 ended when it was answered, so the count must fall to zero
 * within a moment; a slot that stays taken is a leak that only CHRONICLE_IN_FLIGHT_HOLD_MS (60 s
 * by default) would free, and a short probe of a few calls would not see it unless it took the
 * whole bound. Undefined: not back to zero within `withinMs` (or the gauge is absent).
 */
export async function admissionDrainMs(url: string, withinMs = 15_000): Promise<{ drainedAfterMs?: number; lastInFlight?: number }> {
  const started = Date.now();
  let lastInFlight: number | undefined;
  while (Date.now() - started <= withinMs) {
    lastInFlight = await gatewayInFlight(url);
    if (lastInFlight === 0) return { drainedAfterMs: Date.now() - started, lastInFlight };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { lastInFlight };
}

async function gatewayInFlight(url: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const value = /^chronicle_admission_in_flight\{path="gateway"\} (\S+)$/m.exec(text)?.[1];
    return value === undefined ? undefined : Number(value);
  } catch {
    return undefined;
  }
}

/** Starts the gateway dropped because their caller had gone by the time they were read (`chronicle_admission_abandoned_total`); undefined if unreadable. */
export async function abandonedStarts(url: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const value = /^chronicle_admission_abandoned_total\{path="gateway"\} (\S+)$/m.exec(text)?.[1];
    return value === undefined ? 0 : Number(value);
  } catch {
    return undefined;
  }
}
