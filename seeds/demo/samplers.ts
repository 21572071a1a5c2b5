// Weighted sampling for the generator: a fixed list (binary search over cumulative weights) and a
// changing one (a Fenwick tree), so drawing one of 400,000 innovations stays O(log n).
import type { Random } from './random';

export class CumulativeSampler<T> {
  private readonly cumulative: Float64Array;

  constructor(
    private readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((item, i) => {
      total += Math.max(0, weight(item));
      this.cumulative[i] = total;
    });
    if (items.length === 0 || total <= 0) throw new Error('CumulativeSampler needs at least one positive weight');
  }

  sample(rng: Random): T {
    const target = rng.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** Weights indexed 0..size-1 that change while sampling; zero-weight slots are never drawn. */
export class FenwickSampler {
  private readonly tree: Float64Array;
  private readonly weights: Float64Array;
  private readonly topStep: number;
  private sum = 0;

  constructor(readonly size: number) {
    this.tree = new Float64Array(size + 1);
    this.weights = new Float64Array(size);
    let step = 1;
    while (step * 2 <= size) step *= 2;
    this.topStep = step;
  }

  /** Replaces every weight at once in O(n). */
  rebuild(weight: (index: number) => number): void {
    this.tree.fill(0);
    for (let i = 0; i < this.size; i++) {
      const w = Math.max(0, weight(i));
      this.weights[i] = w;
      this.tree[i + 1] += w;
      const parent = i + 1 + ((i + 1) & -(i + 1));
      if (parent <= this.size) this.tree[parent] += this.tree[i + 1];
    }
    this.sum = this.prefix(this.size);
  }

  set(index: number, weight: number): void {
    const delta = Math.max(0, weight) - this.weights[index];
    this.weights[index] += delta;
    for (let i = index + 1; i <= this.size; i += i & -i) this.tree[i] += delta;
    this.sum += delta;
  }

  total(): number {
    return this.sum;
  }

  private prefix(count: number): number {
    let sum = 0;
    for (let i = count; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  /** A slot drawn in proportion to its weight, or -1 when every weight is zero. */
  sample(rng: Random): number {
    const total = this.total();
    if (total <= 0) return -1;
    let remaining = rng.next() * total;
    let position = 0;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= this.size && this.tree[next] <= remaining) {
        position = next;
        remaining -= this.tree[next];
      }
    }
    // Rounding can step past the last positive slot; walk back to one that can be drawn.
    let index = Math.min(position, this.size - 1);
    while (index > 0 && this.weights[index] <= 0) index--;
    return this.weights[index] > 0 ? index : -1;
  }
}
