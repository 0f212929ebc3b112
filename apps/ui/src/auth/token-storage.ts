/** The API token lives only for this browser tab's session: sessionStorage, never localStorage. */
const KEY = 'chronicle.token';

export const tokenStorage = {
  read: (): string | null => sessionStorage.getItem(KEY),
  write: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
};
