// Workload uid → whether the last workload of that uid is Healthy. An open-addressing table of the uids' fingerprints
// (typed arrays): a lookup compares numbers and reads a stored uid only when its fingerprint matches, where a Set of
// 66,000 dump strings would read one or two of them, scattered over the heap, on every lookup.

/** A fingerprint of a uid (a small integer): its length and its last 16 characters (where uids differ), mixed. */
function fingerprint(s: string): number {
  let h = s.length;
  for (let i = s.length > 16 ? s.length - 16 : 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  h ^= h >> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >> 12)) & 0x3fffffff;
}

export class UidHealth {
  /** Entry number + 1 a slot (0: empty), and the fingerprint of its uid. */
  private slots = new Int32Array(1024);
  private prints = new Int32Array(1024);
  private readonly uids: string[] = [];
  private readonly healthy: boolean[] = [];

  /** The slot of `uid`, or the empty slot where it goes. */
  private find(uid: string, print: number): number {
    const mask = this.slots.length - 1;
    let i = print & mask;
    for (let e = this.slots[i]; e !== 0; e = this.slots[i]) {
      if (this.prints[i] === print && this.uids[e - 1] === uid) return i;
      i = (i + 1) & mask;
    }
    return i;
  }

  /** A workload of this uid: the last one set decides. */
  set(uid: string, healthy: boolean): void {
    const print = fingerprint(uid);
    const i = this.find(uid, print);
    if (this.slots[i] !== 0) {
      this.healthy[this.slots[i] - 1] = healthy;
      return;
    }
    this.uids.push(uid);
    this.healthy.push(healthy);
    this.slots[i] = this.uids.length;
    this.prints[i] = print;
    if (this.uids.length * 2 > this.slots.length) this.grow();
  }

  isHealthy(uid: string): boolean {
    const i = this.find(uid, fingerprint(uid));
    return this.slots[i] !== 0 && this.healthy[this.slots[i] - 1];
  }

  private grow(): void {
    const slots = this.slots;
    const prints = this.prints;
    this.slots = new Int32Array(slots.length * 2);
    this.prints = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let j = 0; j < slots.length; j++) {
      if (slots[j] === 0) continue;
      let i = prints[j] & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = slots[j];
      this.prints[i] = prints[j];
    }
  }
}
