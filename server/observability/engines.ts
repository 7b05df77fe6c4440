/**
 * Engine call durations without touching the reconciler: wraps the Engines it is given so every apply, plan,
 * destroy, sync, status and remove is timed into plinth_engine_call_duration_seconds{engine, operation, result}.
 * Wire it where the engines are created (server/reconciler/index.ts createEngines: `return instrumentEngines(...)`).
 */
import type { DeliveryEngine, Engines, InfraEngine } from '~/server/reconciler/engines/types';
import { observeEngineCall } from './metrics';

const INFRA_OPS = ['apply', 'plan', 'destroy', 'snapshot', 'deleteSnapshot'] as const;
const DELIVERY_OPS = ['sync', 'status', 'remove', 'restart', 'probe'] as const;

function wrap<T extends InfraEngine | DeliveryEngine>(engine: T, ops: readonly string[]): T {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      // Bound to the engine itself: engines are classes whose private fields a proxy `this` could not reach.
      if (typeof prop !== 'string' || !ops.includes(prop)) return value.bind(target);
      return (...args: unknown[]) => observeEngineCall(target.name, prop, () => value.apply(target, args));
    },
  });
}

export function instrumentEngines(engines: Engines): Engines {
  return { infra: wrap(engines.infra, INFRA_OPS), delivery: wrap(engines.delivery, DELIVERY_OPS) };
}
