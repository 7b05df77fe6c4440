import { Card } from '~/components/ui/card';

export default function Loading() {
  return (
    <Card className="p-6 text-sm text-slate-500" >
      <span className="inline-flex items-center gap-2">
        <span className="size-3.5 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" aria-hidden />
        Loading…
      </span>
    </Card>
  );
}
