export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-6">
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-48 animate-pulse rounded-xl border border-slate-200 bg-white" />
      ))}
    </div>
  );
}
