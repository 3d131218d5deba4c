/** Offsets ↔ 0-based line/column (UTF-16), the way VS Code counts them (`\r\n` is one line break). */
import type { Range } from './types';

export class LineIndex {
  /** Offset at which each line starts. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: at - this.starts[lo]! };
  }

  range(start: number, end: number, lineOffset = 0): Range {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line + lineOffset, column: a.column, endLine: b.line + lineOffset, endColumn: b.column };
  }

  /** End of a line, before its `\r\n` / `\n`. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return next - (this.text[next - 2] === '\r' ? 2 : 1);
  }
}

export function pointRange(line: number, column: number, length = 0): Range {
  return { line, column, endLine: line, endColumn: column + length };
}

export function compareRanges(a: Range, b: Range): number {
  return a.line - b.line || a.column - b.column;
}
