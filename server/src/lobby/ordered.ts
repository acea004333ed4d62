// An order-statistics tree (treap with subtree sizes) keyed by unique numbers.
// Gives O(log n) insert, delete, min and rank ("how many keys are below k"), which is what the queue
// (first-come-first-served, positions) and the idle pools (longest idle first) need.

interface TreapNode<V> {
  key: number;
  value: V;
  priority: number;
  size: number;
  left: TreapNode<V> | null;
  right: TreapNode<V> | null;
}

const size = <V>(n: TreapNode<V> | null): number => (n === null ? 0 : n.size);

function refresh<V>(n: TreapNode<V>): void {
  n.size = 1 + size(n.left) + size(n.right);
}

export class OrderedIndex<V> {
  private root: TreapNode<V> | null = null;
  // Deterministic priorities (xorshift32) keep runs reproducible; balance only needs them to be spread.
  private seed = 0x9e3779b9;
  private removed = false;

  get size(): number {
    return size(this.root);
  }

  /** Inserts `key`; keys must be unique (callers use sequence numbers). */
  insert(key: number, value: V): void {
    const node: TreapNode<V> = {
      key,
      value,
      priority: this.nextPriority(),
      size: 1,
      left: null,
      right: null,
    };
    this.root = this.insertNode(this.root, node);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: number): boolean {
    this.removed = false;
    this.root = this.deleteNode(this.root, key);
    return this.removed;
  }

  /** Value with the smallest key. */
  min(): V | undefined {
    let n = this.root;
    if (n === null) return undefined;
    while (n.left !== null) n = n.left;
    return n.value;
  }

  minKey(): number | undefined {
    let n = this.root;
    if (n === null) return undefined;
    while (n.left !== null) n = n.left;
    return n.key;
  }

  /** Number of keys strictly smaller than `key`. */
  rank(key: number): number {
    let n = this.root;
    let r = 0;
    while (n !== null) {
      if (n.key < key) {
        r += size(n.left) + 1;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return r;
  }

  /** Up to `limit` values in key order. */
  first(limit: number): V[] {
    const out: V[] = [];
    const stack: TreapNode<V>[] = [];
    let n = this.root;
    while ((n !== null || stack.length > 0) && out.length < limit) {
      while (n !== null) {
        stack.push(n);
        n = n.left;
      }
      const top = stack.pop();
      if (top === undefined) break;
      out.push(top.value);
      n = top.right;
    }
    return out;
  }

  /** All keys in order (O(n)); used by the batched position refresh. */
  keys(): number[] {
    const out: number[] = [];
    this.walk(this.root, (k) => out.push(k));
    return out;
  }

  /** All values in key order (O(n)). */
  values(): V[] {
    return this.first(Number.POSITIVE_INFINITY);
  }

  private walk(n: TreapNode<V> | null, visit: (key: number) => void): void {
    const stack: TreapNode<V>[] = [];
    let cur = n;
    while (cur !== null || stack.length > 0) {
      while (cur !== null) {
        stack.push(cur);
        cur = cur.left;
      }
      const top = stack.pop();
      if (top === undefined) break;
      visit(top.key);
      cur = top.right;
    }
  }

  private nextPriority(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private insertNode(t: TreapNode<V> | null, node: TreapNode<V>): TreapNode<V> {
    if (t === null) return node;
    if (node.priority > t.priority) {
      const [l, r] = this.split(t, node.key);
      node.left = l;
      node.right = r;
      refresh(node);
      return node;
    }
    if (node.key < t.key) t.left = this.insertNode(t.left, node);
    else t.right = this.insertNode(t.right, node);
    t.size++;
    return t;
  }

  private deleteNode(t: TreapNode<V> | null, key: number): TreapNode<V> | null {
    if (t === null) return null;
    if (key === t.key) {
      this.removed = true;
      return this.merge(t.left, t.right);
    }
    if (key < t.key) t.left = this.deleteNode(t.left, key);
    else t.right = this.deleteNode(t.right, key);
    if (this.removed) t.size--;
    return t;
  }

  /** Splits into keys < key and keys >= key. */
  private split(t: TreapNode<V> | null, key: number): [TreapNode<V> | null, TreapNode<V> | null] {
    if (t === null) return [null, null];
    if (t.key < key) {
      const [l, r] = this.split(t.right, key);
      t.right = l;
      refresh(t);
      return [t, r];
    }
    const [l, r] = this.split(t.left, key);
    t.left = r;
    refresh(t);
    return [l, t];
  }

  /** Joins two treaps where every key of `a` is below every key of `b`. */
  private merge(a: TreapNode<V> | null, b: TreapNode<V> | null): TreapNode<V> | null {
    if (a === null) return b;
    if (b === null) return a;
    if (a.priority > b.priority) {
      a.right = this.merge(a.right, b);
      refresh(a);
      return a;
    }
    b.left = this.merge(a, b.left);
    refresh(b);
    return b;
  }
}
