import { describe, expect, it } from 'vitest';
import { rovingTarget } from '@/components/ui/roving';

describe('rovingTarget (tabs keyboard)', () => {
  it('steps right and left, wrapping around the ends', () => {
    expect(rovingTarget('ArrowRight', 0, 3)).toBe(1);
    expect(rovingTarget('ArrowRight', 2, 3)).toBe(0);
    expect(rovingTarget('ArrowLeft', 1, 3)).toBe(0);
    expect(rovingTarget('ArrowLeft', 0, 3)).toBe(2);
  });

  it('jumps to the first and last tab with Home and End', () => {
    expect(rovingTarget('Home', 2, 3)).toBe(0);
    expect(rovingTarget('End', 0, 3)).toBe(2);
  });

  it('leaves other keys, and an empty row, to the browser', () => {
    expect(rovingTarget('ArrowDown', 0, 3)).toBeUndefined();
    expect(rovingTarget('Enter', 0, 3)).toBeUndefined();
    expect(rovingTarget('ArrowRight', 0, 0)).toBeUndefined();
  });
});
