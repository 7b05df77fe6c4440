const paths = {
  server: 'M4 5h16v5H4zM4 14h16v5H4zM7 7.5h.01M7 16.5h.01',
  chart: 'M4 20V10m6 10V4m6 16v-7m4 7H2',
  card: 'M3 7h18v10H3zM3 10h18M7 14h3',
};

export function Icon({ name }: { name: keyof typeof paths }) {
  return (
    <svg viewBox="0 0 24 24" className="size-6 fill-none stroke-current stroke-[1.6]" aria-hidden>
      <path d={paths[name]} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
