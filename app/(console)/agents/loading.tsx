// While the agents are read: the page's frame with placeholder rows, so nothing jumps when they come.
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-4">
      <div className="h-7 w-40 rounded bg-slate-200" />
      <div className="h-4 w-2/3 rounded bg-slate-100" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-16 rounded-xl border border-slate-200 bg-white" />
      ))}
    </div>
  );
}
