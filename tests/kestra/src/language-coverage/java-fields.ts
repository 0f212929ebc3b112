/**
 * Just enough of Java to list the properties of Kestra's plugin and model classes: the instance
 * fields of a file's top-level class (Lombok turns each into a YAML property), and the class it
 * extends. Not a Java parser: comments and string literals are blanked first, so that braces in
 * an `@Schema(description = "{{ ... }}")` do not count, then the class body is walked by depth.
 */

export interface JavaField {
  readonly name: string;
  /** The declared type as written, e.g. `Property<Duration>`, `List<Task>`. */
  readonly type: string;
  /** Annotations on the field, without arguments (`PluginProperty`, `JsonIgnore`, `Deprecated`). */
  readonly annotations: readonly string[];
}

export interface JavaClass {
  readonly name: string;
  /** The simple name of the class it extends, when it extends one. */
  readonly extends?: string;
  readonly fields: readonly JavaField[];
  /** Simple name -> fully qualified, from the file's imports. */
  readonly imports: Readonly<Record<string, string>>;
  readonly packageName: string;
  /** Classes declared inside it, by simple name (ForEachItem.Batch, Dag.DagTask, ...). */
  readonly nested: Readonly<Record<string, JavaClass>>;
}

/**
 * The source with comments removed, and in string/char literals (text blocks too) every character
 * that means something to the walk below (braces, parentheses, `;`, `=`, `@`, quotes) turned into a
 * space: the text stays readable (`@JsonProperty("else")`), newlines are kept.
 */
const neutral = (text: string): string => text.replace(/[{}();=@"'\\]/g, ' ');
export const blankLiterals = (source: string): string => {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, '');
      i = stop;
    } else if (c === '"' && source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      const stop = end === -1 ? source.length : end + 3;
      out += `"${neutral(source.slice(i + 3, stop - 3))}"`;
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += c + neutral(source.slice(i + 1, j)) + c;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
};

/** Removes `@Name` and `@Name(...)` (balanced parentheses), returning the rest and the names. */
const takeAnnotations = (text: string): { rest: string; names: string[] } => {
  const names: string[] = [];
  let rest = '';
  let i = 0;
  while (i < text.length) {
    const m = /^@([\w.]+)/.exec(text.slice(i));
    if (text[i] === '@' && m) {
      names.push(m[1]!.slice(m[1]!.lastIndexOf('.') + 1));
      i += m[0].length;
      let j = i;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '(') {
        let depth = 0;
        for (; j < text.length; j++) {
          if (text[j] === '(') depth++;
          else if (text[j] === ')' && --depth === 0) break;
        }
        i = j + 1;
      }
    } else {
      rest += text[i];
      i++;
    }
  }
  return { rest, names };
};

const MODIFIERS = /\b(private|protected|public|final|transient|volatile)\b/g;

/** A statement at class-body level that ended with `;`: a field, unless static or an abstract method. */
const fieldOf = (statement: string): JavaField | undefined => {
  const { rest, names } = takeAnnotations(statement);
  // Jackson's @JsonProperty("else") names the YAML property (If's `_else`, a flowable's `_finally`).
  const renamed = /@JsonProperty\s*\(\s*(?:value\s*=\s*)?"\s*(\w+)\s*"/.exec(statement)?.[1];
  // Constants, and what Jackson skips (transient: WorkingDirectory's cacheDownloadedTime), are no properties.
  if (/\b(static|transient)\b/.test(rest)) return undefined;
  const declaration = rest.split('=')[0]!.replace(MODIFIERS, ' ').trim();
  if (declaration === '' || declaration.includes('(')) return undefined;
  const m = /^([\s\S]+?)\s+(\w+)\s*$/.exec(declaration);
  if (!m) return undefined;
  return { name: renamed ?? m[2]!, type: m[1]!.replace(/\s+/g, ' ').replace(/<\s+/g, '<').trim(), annotations: names };
};

/** The components of a record header, as fields. */
const recordComponents = (header: string): JavaField[] => {
  const open = header.indexOf('(');
  if (open === -1) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of header.slice(open + 1)) {
    if ((c === ')' || c === ',') && depth === 0) {
      parts.push(current);
      current = '';
      if (c === ')') break;
      continue;
    }
    if (c === '(' || c === '<') depth++;
    if (c === ')' || c === '>') depth--;
    current += c;
  }
  return parts.flatMap((part) => {
    const field = fieldOf(part);
    return field ? [field] : [];
  });
};

export const parseJavaClass = (source: string): JavaClass => {
  const code = blankLiterals(source);
  const packageName = /^\s*package\s+([\w.]+)\s*;/m.exec(code)?.[1] ?? '';
  const imports: Record<string, string> = {};
  for (const m of code.matchAll(/^\s*import\s+([\w.]+)\.(\w+)\s*;/gm)) imports[m[2]!] = `${m[1]}.${m[2]}`;
  const head = /\b(class|interface|enum|record)\s+(\w+)[^{]*?\{/.exec(code);
  if (!head) throw new Error('no class declaration found');
  const name = head[2]!;
  // A record's properties are its components: `record DependsOn(@Nullable List<String> inputs, String condition)`.
  const components = head[1] === 'record' ? recordComponents(head[0]) : [];
  const parent = /\bextends\s+([\w.]+)/.exec(head[0].replace(/<[^{]*>/g, (g) => g.replace(/extends/g, '')))?.[1];
  const fields: JavaField[] = [...components];
  const nested: Record<string, JavaClass> = {};
  let statement = '';
  let parens = 0;
  let i = head.index + head[0].length;
  for (; i < code.length; i++) {
    const c = code[i]!;
    if (c === '(') parens++;
    else if (c === ')') parens--;
    if (c === '}' && parens === 0) break; // the end of the class body
    // `=` before the brace (annotations aside) makes it an initializer's brace; otherwise a body starts.
    if (c === '{' && parens === 0 && !takeAnnotations(statement).rest.includes('=')) {
      // A method, constructor, initializer or nested type body: skipped, and what preceded it was no field.
      const start = i;
      let depth = 0;
      for (; i < code.length; i++) {
        if (code[i] === '{') depth++;
        else if (code[i] === '}' && --depth === 0) break;
      }
      if (/\bclass\s+\w+/.test(takeAnnotations(statement).rest)) {
        const inner = parseJavaClass(`${statement}${code.slice(start, i + 1)}`);
        nested[inner.name] = { ...inner, imports, packageName };
      }
      statement = '';
      continue;
    }
    if (c === '{' && parens === 0) {
      // An initializer's braces (an array or an anonymous class): part of the statement.
      let depth = 0;
      for (; i < code.length; i++) {
        statement += code[i];
        if (code[i] === '{') depth++;
        else if (code[i] === '}' && --depth === 0) break;
      }
      continue;
    }
    if (c === ';' && parens === 0) {
      const field = fieldOf(statement);
      if (field) fields.push(field);
      statement = '';
      continue;
    }
    statement += c;
  }
  return { name, ...(parent !== undefined ? { extends: parent.slice(parent.lastIndexOf('.') + 1) } : {}), fields, imports, packageName, nested };
};
