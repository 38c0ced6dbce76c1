/** The reactive face of SelectionModel: `version` tells Svelte the set changed. */
import { SelectionModel } from './range';

export class GridSelection {
  readonly model = new SelectionModel();
  version = $state(0);
  /** True between a long-press and the finger lifting: moves extend the range. */
  dragging = $state(false);

  get active(): boolean {
    void this.version;
    return this.model.size > 0;
  }

  get size(): number {
    void this.version;
    return this.model.size;
  }

  get ids(): string[] {
    void this.version;
    return [...this.model.ids];
  }

  has(id: string): boolean {
    void this.version;
    return this.model.has(id);
  }

  begin(id: string): void {
    this.model.begin(id);
    this.dragging = true;
    this.version += 1;
  }

  extendTo(id: string, order: readonly string[]): void {
    if (this.model.extendTo(id, order)) this.version += 1;
  }

  end(): void {
    this.model.end();
    this.dragging = false;
  }

  toggle(id: string): void {
    this.model.toggle(id);
    this.version += 1;
  }

  drop(ids: Iterable<string>): void {
    this.model.drop(ids);
    this.version += 1;
  }

  clear(): void {
    this.model.clear();
    this.dragging = false;
    this.version += 1;
  }
}
