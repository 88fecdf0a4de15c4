import { type Random } from '../ports';

function emptyRange(min: number, max: number): RangeError {
  return new RangeError(`empty range in randrange(${min}, ${max})`);
}

function formatUuid(bytes: number[]): string {
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidFrom(nextByte: () => number): string {
  const bytes = Array.from({ length: 16 }, nextByte);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** A deterministic generator (mulberry32) for tests and reproducible previews. */
export class SeededRandom implements Random {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    if (!(max > min)) throw emptyRange(min, max);
    return min + Math.floor(this.next() * (max - min));
  }

  uuid(): string {
    return uuidFrom(() => Math.floor(this.next() * 256));
  }
}

/** Randomness from the platform's CSPRNG (`crypto.getRandomValues`, a global). */
export const systemRandom: Random = {
  int(min, max) {
    if (!(max > min)) throw emptyRange(min, max);
    const buffer = new Uint32Array(1);
    globalThis.crypto.getRandomValues(buffer);
    return min + Math.floor(((buffer[0] ?? 0) / 4294967296) * (max - min));
  },
  uuid() {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    let i = 0;
    return uuidFrom(() => bytes[i++] ?? 0);
  },
};
