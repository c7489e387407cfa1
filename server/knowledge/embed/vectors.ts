/** Scales a vector to length 1 so a dot product between two of them is their cosine. */
export function toUnitVector(values: ArrayLike<number>): number[] {
  let sumOfSquares = 0;
  for (let i = 0; i < values.length; i++) sumOfSquares += values[i]! * values[i]!;
  const length = Math.sqrt(sumOfSquares);
  const vector = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) vector[i] = length > 0 ? values[i]! / length : 0;
  return vector;
}

/** Splits `items` into consecutive groups of at most `size`. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
