import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useEffect, useMemo, useRef } from 'react';
import type { FlowIssue } from '../api/graphql-client.js';

/** Diagnostics at the issues' lines; issues without a line go on the first line. */
export function issuesToDiagnostics(view: EditorView, issues: readonly FlowIssue[]): Diagnostic[] {
  const doc = view.state.doc;
  return issues.map((issue) => {
    const line = doc.line(Math.min(Math.max(issue.line ?? 1, 1), doc.lines));
    const from = Math.min(line.from + Math.max((issue.column ?? 1) - 1, 0), line.to);
    return { from, to: Math.max(line.to, from), severity: 'error', message: `${issue.path}: ${issue.message}`, source: 'deploy' };
  });
}

interface Props {
  value: string;
  onChange?(value: string): void;
  readOnly?: boolean;
  issues?: readonly FlowIssue[];
  /** Moves the cursor to this line when it changes (issue list clicks). */
  focusLine?: { line: number; at: number };
  label: string;
}

/** The flow's YAML with highlighting; deploy errors as lint markers at their lines. */
export function YamlEditor({ value, onChange, readOnly = false, issues = [], focusLine, label }: Props) {
  const view = useRef<EditorView | null>(null);
  const extensions = useMemo(
    () => [yaml(), lintGutter(), EditorView.lineWrapping, EditorView.contentAttributes.of({ 'aria-label': label })],
    [label],
  );

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, issuesToDiagnostics(v, issues)));
  }, [issues]);

  useEffect(() => {
    const v = view.current;
    if (!v || !focusLine) return;
    const line = v.state.doc.line(Math.min(Math.max(focusLine.line, 1), v.state.doc.lines));
    v.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    v.focus();
  }, [focusLine]);

  return (
    <div data-testid="yaml-editor" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
      <CodeMirror
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        editable={!readOnly}
        extensions={extensions}
        minHeight="320px"
        maxHeight="65vh"
        basicSetup={{ tabSize: 2 }}
        onCreateEditor={(created) => {
          view.current = created;
          if (issues.length) created.dispatch(setDiagnostics(created.state, issuesToDiagnostics(created, issues)));
        }}
      />
    </div>
  );
}
