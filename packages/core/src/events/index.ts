export {
  lifecycleEvents,
  type LifecycleEvent,
  type LifecycleEventType,
  type LifecycleInput,
} from './lifecycle-events.js';
