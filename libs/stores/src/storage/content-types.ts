import { DEFAULT_CONTENT_TYPE } from '@chronicle/use-cases';
import { extensionOf } from '@chronicle/use-cases';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.txt': 'text/plain', '.csv': 'text/csv', '.json': 'application/json', '.ion': 'application/octet-stream',
  '.yml': 'application/yaml', '.yaml': 'application/yaml', '.xml': 'application/xml', '.html': 'text/html',
  '.md': 'text/markdown', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip', '.js': 'text/javascript',
  '.py': 'text/x-python', '.sql': 'application/sql', '.sh': 'text/x-shellscript',
};

/** A file's type from its name, for adapters that keep no metadata (the folder). */
export const contentTypeOf = (uri: string): string => BY_EXTENSION[extensionOf(uri).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
