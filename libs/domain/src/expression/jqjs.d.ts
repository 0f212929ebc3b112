/** Types for @michaelhomer/jqjs (the package ships none): compile a jq program into a generator of results. */
declare module '@michaelhomer/jqjs' {
  interface CompiledFilter {
    (input: unknown): Iterable<unknown>;
    readonly ast: unknown;
  }
  interface Jq {
    compile(program: string): CompiledFilter;
  }
  const jq: Jq;
  export default jq;
}
