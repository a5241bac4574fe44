// Arrow-key movement in a row of tabs (WAI-ARIA tabs pattern, horizontal): Left and Right step
// and wrap around, Home and End jump to the ends. Kept apart from the component so it can be tested.

/** The index a key moves focus to, or undefined when the key is not one of ours. */
export function rovingTarget(key: string, current: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowRight':
      return (current + 1) % count;
    case 'ArrowLeft':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
