import type { Condition } from '~/db/schema';

/** A condition carries the generation it was observed for (`reason` keeps the old text for the console). */
export const setCondition = (list: Condition[], c: Omit<Condition, 'at' | 'reason' | 'observedGeneration'>, generation: number, at = new Date()): Condition[] => [
  ...list.filter((x) => x.type !== c.type),
  { ...c, reason: `generation ${generation}`, observedGeneration: generation, at: at.toISOString() },
];

export const withoutCondition = (list: Condition[], type: Condition['type']): Condition[] => list.filter((c) => c.type !== type);

/** A step already done for this generation is not redone. */
export const holds = (list: Condition[], type: Condition['type'], generation: number) =>
  list.some((c) => c.type === type && c.status && (c.observedGeneration ?? Number(c.reason?.replace('generation ', ''))) === generation);
