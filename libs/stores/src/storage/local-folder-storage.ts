import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { contentTypeOf } from './content-types.js';
import { StorageFileNotFoundError, type InternalStorage, type StoredObjectInfo } from '@chronicle/use-cases';
import { KESTRA_SCHEME, storagePathOf } from '@chronicle/use-cases';

/**
 * The standalone adapter: `kestra:///a/b/c.txt` is `<root>/a/b/c.txt` (root = CHRONICLE_DATA_DIR/storage).
 * Writes go through a temporary file and a rename, so a reader never sees half a file. The type of a
 * file comes from its extension, unless the writer named another one: that is kept in a sidecar file
 * `<name>${META_SUFFIX}` (hidden from listings).
 */
export class LocalFolderStorage implements InternalStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(uri: string, data: Buffer, contentType?: string): Promise<string> {
    const path = this.fileOf(uri);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    await writeFile(temporary, data);
    if (contentType && contentType !== contentTypeOf(uri)) await writeFile(`${path}${META_SUFFIX}`, JSON.stringify({ contentType }));
    else await rm(`${path}${META_SUFFIX}`, { force: true });
    await rename(temporary, path);
    return uri;
  }

  async get(uri: string): Promise<Buffer> {
    try {
      return await readFile(this.fileOf(uri));
    } catch (error) {
      if (isMissing(error)) throw new StorageFileNotFoundError(uri);
      throw error;
    }
  }

  async stat(uri: string): Promise<StoredObjectInfo | undefined> {
    try {
      const info = await stat(this.fileOf(uri));
      return info.isFile() ? { uri, size: info.size, contentType: await this.contentType(uri) } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(uri: string): Promise<boolean> {
    if ((await this.stat(uri)) === undefined) return false;
    await rm(this.fileOf(uri), { force: true });
    await rm(`${this.fileOf(uri)}${META_SUFFIX}`, { force: true });
    return true;
  }

  async deleteByPrefix(prefix: string): Promise<string[]> {
    const files = await this.list(prefix);
    for (const file of files) await this.delete(file.uri);
    await rm(this.fileOf(prefix.endsWith('/') ? prefix : `${prefix}/`), { recursive: true, force: true });
    return files.map((f) => f.uri);
  }

  async list(prefix: string): Promise<StoredObjectInfo[]> {
    const folder = this.fileOf(prefix.endsWith('/') ? prefix : `${prefix}/`);
    const found: StoredObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.endsWith('.partial') && !entry.name.endsWith(META_SUFFIX)) {
          const uri = `${KESTRA_SCHEME}/${relative(this.root, full).split(sep).join('/')}`;
          found.push({ uri, size: (await stat(full)).size, contentType: await this.contentType(uri) });
        }
      }
    };
    await walk(folder);
    return found.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  private async contentType(uri: string): Promise<string> {
    try {
      return (JSON.parse(await readFile(`${this.fileOf(uri)}${META_SUFFIX}`, 'utf8')) as { contentType: string }).contentType;
    } catch {
      return contentTypeOf(uri);
    }
  }

  private fileOf(uri: string): string {
    const path = join(this.root, ...storagePathOf(uri).split('/').filter((s) => s !== ''));
    // storagePathOf already refuses `..`; this is the belt to those braces.
    if (path !== this.root && !path.startsWith(this.root + sep)) throw new StorageFileNotFoundError(uri);
    return path;
  }
}

/** Sidecar of a file whose type is not the one its extension says. */
export const META_SUFFIX = '.~chronicle-meta';

const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');
