/** A store's listeners of one kind: a listener's failure must not undo or hide a commit. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const l of this.set) {
      try {
        l(value);
      } catch {
        // the commit stands whatever a listener does
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
