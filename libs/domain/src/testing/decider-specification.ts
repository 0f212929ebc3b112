/**
 * Given/when/then for deciders, after emmett's DeciderSpecification: given past events (folded
 * with `evolve` from `initialState`), when a command is decided, then these events (or this
 * error). Kept out of index.ts: it imports nothing of vitest, but libs/testing re-exports it.
 */
export interface Decider<State, Command, Event, Context = undefined> {
  readonly decide: (command: Command, state: State, context?: Context) => Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

export class SpecificationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecificationFailure';
  }
}

export interface WhenResult<Event> {
  /** Asserts the decided events equal `expected` (deep, JSON-like equality). */
  then(expected: readonly Event[]): void;
  thenNothingHappened(): void;
  /** Asserts deciding throws an instance of `errorClass`, optionally checked further. Returns the error. */
  thenThrows<E extends Error>(errorClass: abstract new (...args: never[]) => E, check?: (error: E) => void): E;
}

const deepEqual = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const defined = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined);
  const [ea, eb] = [defined(a), defined(b)];
  return ea.length === eb.length && ea.every(([k, v]) => deepEqual(v, (b as Record<string, unknown>)[k]));
};

const show = (value: unknown): string => JSON.stringify(value, null, 2);

export const DeciderSpecification = {
  for<State, Command, Event, Context = undefined>(decider: Decider<State, Command, Event, Context>) {
    return {
      given(events: readonly Event[]) {
        return {
          when(command: Command, context?: Context): WhenResult<Event> {
            const state = events.reduce(decider.evolve, decider.initialState());
            const run = () => decider.decide(command, state, context);
            return {
              then(expected) {
                const actual = run();
                if (!deepEqual(actual, expected)) {
                  throw new SpecificationFailure(`decided events differ.\nexpected: ${show(expected)}\nactual: ${show(actual)}`);
                }
              },
              thenNothingHappened() {
                const actual = run();
                if (actual.length > 0) throw new SpecificationFailure(`expected no events, got: ${show(actual)}`);
              },
              thenThrows(errorClass, check) {
                let actual: Event[];
                try {
                  actual = run();
                } catch (error) {
                  if (!(error instanceof errorClass)) {
                    throw new SpecificationFailure(`expected ${errorClass.name}, got ${String(error)}`);
                  }
                  check?.(error);
                  return error;
                }
                throw new SpecificationFailure(`expected ${errorClass.name}, but decided: ${show(actual)}`);
              },
            };
          },
        };
      },
    };
  },
};
