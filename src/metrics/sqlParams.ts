/** Collects positional parameters while SQL text is assembled: `p(value)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
