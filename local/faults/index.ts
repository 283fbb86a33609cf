/** Fault injection for the local cloud: off unless `WILDRYDES_FAULTS` or `npm start --faults` asks. */
export { type InvocationFault, STRIKE_WINDOW_MS } from './decide.ts';
export { FaultInjector, type FaultStats, type InvocationFaults } from './injector.ts';
export {
  describeFaultPlan,
  FAULTS_ENV,
  type FaultPlan,
  FaultSpecError,
  parseFaultSpec,
  THROTTLED_SERVICES,
  type ThrottledService,
} from './plan.ts';
export { type FaultShapes, INJECTED, type PartialCall } from './shapes.ts';
