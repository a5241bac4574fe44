import { describe, expect, it } from 'vitest';
import { wrappedFocus } from '@/components/ui/focus-wrap';

describe('wrappedFocus (Tab inside a dialog)', () => {
  it('wraps from the last control to the first, and back with Shift', () => {
    expect(wrappedFocus(2, 3, false)).toBe(0);
    expect(wrappedFocus(0, 3, true)).toBe(2);
  });

  it('leaves the steps between controls to the browser', () => {
    expect(wrappedFocus(0, 3, false)).toBeUndefined();
    expect(wrappedFocus(1, 3, true)).toBeUndefined();
  });

  it('brings focus that is on none of them (the dialog itself) to the first, or the last with Shift', () => {
    expect(wrappedFocus(-1, 3, false)).toBe(0);
    expect(wrappedFocus(-1, 3, true)).toBe(2);
  });

  it('does nothing in a dialog with no controls', () => {
    expect(wrappedFocus(-1, 0, false)).toBeUndefined();
  });
});
