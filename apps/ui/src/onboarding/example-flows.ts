/**
 * The repository's example flows (flows/*.yml), bundled at build time so the first-run panel can
 * deploy them from the browser, through the public deployFlow mutation like any other deploy.
 */
const files = import.meta.glob('../../../../flows/*.yml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const EXAMPLE_FLOWS: readonly { readonly file: string; readonly source: string }[] = Object.entries(files)
  .map(([path, source]) => ({ file: path.slice(path.lastIndexOf('/') + 1), source }))
  .sort((a, b) => a.file.localeCompare(b.file));

/** What a terminal in the repository runs to deploy the same flows. */
export const DEPLOY_EXAMPLES_COMMAND = 'npx chronicle flows deploy ./flows';
