// Small statistics helpers: medians and nearest-rank percentiles over the samples kept.
export function percentile(values, p) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  if (p === 50 && v.length % 2 === 0) return (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  const rank = Math.ceil((p / 100) * v.length);
  return v[Math.min(v.length, Math.max(1, rank)) - 1];
}

export const median = (values) => percentile(values, 50);

export function summary(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x));
  return { n: v.length, median: median(v), p95: percentile(v, 95), max: v.length ? Math.max(...v) : null };
}

export const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
