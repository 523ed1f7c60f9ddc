/** Random mutations of real JPEGs (deterministic: the same sequence every run). */
import { randomBytes } from 'node:crypto';

let state = 0x2545f491;
const rand = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x100000000;
};
const int = (n: number) => Math.floor(rand() * n);

export function mutate(seed: Buffer): { bytes: Buffer; how: string } {
  const b = Buffer.from(seed);
  switch (int(7)) {
    case 0: {
      const k = 1 + int(32);
      for (let i = 0; i < k; i++) b[int(b.length)] = int(256);
      return { bytes: b, how: `flip ${k} bytes` };
    }
    case 1: {
      const at = int(b.length);
      return { bytes: b.subarray(0, at), how: `truncate at ${at}` };
    }
    case 2: {
      const from = int(b.length);
      const len = int(Math.min(65_536, b.length - from));
      const at = int(b.length);
      return {
        bytes: Buffer.concat([b.subarray(0, at), b.subarray(from, from + len), b.subarray(at)]),
        how: 'splice',
      };
    }
    case 3: {
      const from = int(b.length);
      b.fill(0, from, Math.min(b.length, from + 1 + int(4096)));
      return { bytes: b, how: 'zero a range' };
    }
    case 4: {
      // A segment length pointing anywhere.
      for (let i = 2; i < Math.min(b.length - 4, 200_000); i++) {
        if (b[i] === 0xff && (b[i + 1] as number) >= 0xe0 && rand() < 0.3) {
          b.writeUInt16BE(int(65_536), i + 2);
          return { bytes: b, how: 'bad segment length' };
        }
      }
      return { bytes: b, how: 'no segment found' };
    }
    case 5: {
      // Absurd dimensions in the frame header.
      for (let i = 2; i < b.length - 9; i++) {
        if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
          b.writeUInt16BE(int(65_536), i + 5);
          b.writeUInt16BE(int(65_536), i + 7);
          return { bytes: b, how: 'frame dimensions' };
        }
      }
      return { bytes: b, how: 'no frame header' };
    }
    default: {
      const junk = randomBytes(1 + int(2048));
      const at = 2 + int(Math.max(1, b.length - 2));
      return {
        bytes: Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xe1]), junk, b.subarray(at)]),
        how: 'junk segment',
      };
    }
  }
}
