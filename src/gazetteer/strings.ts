/**
 * A table of strings kept as one text and the offsets of its lines, so that loading costs no split and no
 * million small strings: a string is sliced out only when a place is shown, and keys are compared in place.
 */
export class StringTable {
  /**
   * `offsets[first + i]` is where string i starts in `text`; each string ends one before the next start
   * (the newline between them), so `offsets` holds one more entry than the table.
   */
  constructor(
    private readonly text: string,
    private readonly offsets: Int32Array,
    private readonly first: number,
    readonly length: number,
  ) {}

  get(i: number): string {
    const o = this.first + i;
    return this.text.slice(this.offsets[o] as number, (this.offsets[o + 1] as number) - 1);
  }

  equals(i: number, key: string): boolean {
    const o = this.first + i;
    const start = this.offsets[o] as number;
    return (this.offsets[o + 1] as number) - 1 - start === key.length && this.text.startsWith(key, start);
  }

  startsWith(i: number, prefix: string): boolean {
    const o = this.first + i;
    const start = this.offsets[o] as number;
    return (
      (this.offsets[o + 1] as number) - 1 - start >= prefix.length && this.text.startsWith(prefix, start)
    );
  }

  /** Negative, zero or positive as string i sorts before, with or after `key` (UTF-16 order, as `<`). */
  compare(i: number, key: string): number {
    const o = this.first + i;
    const start = this.offsets[o] as number;
    const len = (this.offsets[o + 1] as number) - 1 - start;
    const n = Math.min(len, key.length);
    for (let k = 0; k < n; k++) {
      const d = this.text.charCodeAt(start + k) - key.charCodeAt(k);
      if (d !== 0) return d;
    }
    return len - key.length;
  }
}
