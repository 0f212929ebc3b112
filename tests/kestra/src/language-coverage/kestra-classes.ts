import { execFileSync } from 'node:child_process';
import { defaultMirrorPath } from '../kestra-source.js';
import { parseJavaClass, type JavaClass, type JavaField } from './java-fields.js';

/**
 * Kestra's Java classes read from the mirror of its repository (a bare git dir, KESTRA_MIRROR),
 * at HEAD: the properties a class takes, its own fields and those of the Kestra classes it
 * extends, up to a base class whose properties are checked on their own (Task, Input).
 */
export const JAVA_ROOT = 'core/src/main/java/';

export const javaPathOf = (qualifiedName: string): string => `${JAVA_ROOT}${qualifiedName.replaceAll('.', '/')}.java`;

export interface KestraProperty extends JavaField {
  /** The file that declares it (the class itself or one it extends). */
  readonly source: string;
}

export class KestraClasses {
  private readonly files: Set<string>;
  private readonly parsed = new Map<string, JavaClass>();

  constructor(readonly mirror: string = defaultMirrorPath()) {
    const listing = execFileSync('git', ['-C', mirror, 'ls-tree', '-r', '--name-only', 'HEAD', JAVA_ROOT], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    this.files = new Set(listing.split('\n').filter((l) => l.endsWith('.java')));
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  /** Java files under a folder of the mirror (not its subfolders). */
  list(folder: string): string[] {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    return [...this.files].filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/')).sort();
  }

  read(path: string): string {
    return execFileSync('git', ['-C', this.mirror, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  }

  parse(path: string): JavaClass {
    let parsed = this.parsed.get(path);
    if (parsed === undefined) {
      parsed = parseJavaClass(this.read(path));
      this.parsed.set(path, parsed);
    }
    return parsed;
  }

  /**
   * The class a field's type names when Kestra declares it inside another class of the same package
   * (ForEachItem.Batch in ForEachItem.java, RequestOptions in HttpInterface.java); undefined otherwise.
   */
  nestedClass(source: string, javaType: string): JavaClass | undefined {
    const name = javaType.replace(/^Property<(.+)>$/, '$1').replace(/^List<(.+)>$/, '$1').trim().split('.').pop()!;
    if (!/^[A-Z]\w*$/.test(name)) return undefined;
    const own = this.parse(source).nested[name];
    if (own !== undefined) return own;
    for (const file of this.list(source.slice(0, source.lastIndexOf('/'))).filter((f) => !f.endsWith('/package-info.java'))) {
      const found = this.parse(file).nested[name];
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * The properties of the class in `path`: its instance fields and those of the Kestra classes it
   * extends, stopping before any class named in `stopAt` (a base class checked on its own).
   * Fields Jackson never reads (`@JsonIgnore`) are not properties.
   */
  properties(path: string, stopAt: ReadonlySet<string>): KestraProperty[] {
    const out: KestraProperty[] = [];
    const seen = new Set<string>();
    let current: string | undefined = path;
    while (current !== undefined) {
      const cls = this.parse(current);
      for (const field of cls.fields) {
        if (field.annotations.includes('JsonIgnore') || seen.has(field.name)) continue;
        seen.add(field.name);
        out.push({ ...field, source: current });
      }
      const parent = cls.extends;
      if (parent === undefined || stopAt.has(parent)) break;
      const candidates = [cls.imports[parent], `${cls.packageName}.${parent}`].filter((q): q is string => q !== undefined).map(javaPathOf);
      current = candidates.find((p) => this.exists(p));
    }
    return out;
  }
}
