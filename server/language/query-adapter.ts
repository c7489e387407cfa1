/**
 * A learned low-rank correction of question vectors before retrieval: q' = q + Σ_k (u_k · q) v_k, then unit length.
 * It moves a question in visitors' words towards the policy sentences that answer such questions; the embedder stays
 * frozen, so passages are embedded as before. Rows are rank-long lists of dims-long vectors.
 */
export interface QueryAdapter {
  u: number[][];
  v: number[][];
}

/** Each adapter's rows packed once into typed arrays (the model stays plain JSON). */
const packed = new WeakMap<QueryAdapter, { u: Float64Array[]; v: Float64Array[] }>();

/** The question vector retrieval searches with: the adapter's when there is one, else the vector itself. */
export function adaptQuery(adapter: QueryAdapter | undefined, vector: number[]): number[] {
  if (!adapter) return vector;
  let rows = packed.get(adapter);
  if (!rows) {
    rows = { u: adapter.u.map((row) => Float64Array.from(row)), v: adapter.v.map((row) => Float64Array.from(row)) };
    packed.set(adapter, rows);
  }
  const width = vector.length;
  const out = Float64Array.from(vector);
  for (let k = 0; k < rows.u.length; k++) {
    const u = rows.u[k] as Float64Array;
    const v = rows.v[k] as Float64Array;
    let weight = 0;
    for (let i = 0; i < width; i++) weight += (u[i] as number) * (vector[i] as number);
    for (let i = 0; i < width; i++) out[i] = (out[i] as number) + weight * (v[i] as number);
  }
  let norm = 0;
  for (let i = 0; i < width; i++) norm += (out[i] as number) ** 2;
  norm = Math.sqrt(norm) || 1;
  return Array.from(out, (x) => x / norm);
}
