/**
 * Folds any number of text edits into one replacement of a single range: everything before the
 * first changed character and after the last one is untouched. This is what an incremental
 * counter needs, whatever order an editor reports simultaneous edits in, and also for edits that
 * arrive while a slow first count is still running.
 */
export class PendingEdits {
  private prefix = Infinity;
  private suffix = Infinity;

  constructor(
    /** Length of the text the edits apply to. */
    private readonly baseLength: number,
    private currentLength = baseLength,
  ) {}

  get empty(): boolean {
    return this.prefix === Infinity;
  }

  get length(): number {
    return this.currentLength;
  }

  /** `removed` characters at `offset` (in the text as it was just before this edit) became `inserted` characters. */
  add(offset: number, removed: number, inserted: number): void {
    this.prefix = Math.min(this.prefix, offset);
    this.suffix = Math.min(this.suffix, this.currentLength - (offset + removed));
    this.currentLength += inserted - removed;
  }

  /** The single edit equivalent to all those added: replace `removed` chars at `offset` by `inserted`. */
  combined(): { offset: number; removed: number; inserted: number } | undefined {
    if (this.empty) return undefined;
    const prefix = Math.max(0, Math.min(this.prefix, this.baseLength, this.currentLength));
    const suffix = Math.max(0, Math.min(this.suffix, this.baseLength - prefix, this.currentLength - prefix));
    return { offset: prefix, removed: this.baseLength - prefix - suffix, inserted: this.currentLength - prefix - suffix };
  }
}
