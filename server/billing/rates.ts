/** Usage meters and their prices. Deployment-hours are priced by plan (plans.hourly_rate_centi_cents). */
export const METERS = {
  deployment_hours: { label: 'Deployment-hours', unit: 'hours' },
  storage_gb_hours: { label: 'Storage', unit: 'GB-hours' },
} as const;
export type Meter = keyof typeof METERS;

/** $0.0002 per GB-hour (about $0.15 per GB-month), in hundredths of a cent; defined with the estimate the forms show. */
export { STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR } from '~/lib/pricing';
