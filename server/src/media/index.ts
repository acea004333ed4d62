export { WorkerPool, type WorkerPoolOptions } from './WorkerPool';
export {
  CallMedia,
  type CallMediaEvents,
  type ConsumerInfo,
  type Direction,
  type MediaSource,
  type ProducerInfo,
  type TransportInfo,
} from './CallMedia';
export {
  MediaClosedError,
  MediaLimitError,
  MediaNotFoundError,
  MediaRejectedError,
  MediaStateError,
} from './errors';
export { MEDIA_LIMITS } from './limits';
export { DEFAULT_INGRESS_POLICY, type IngressPolicy, type Policed } from './IngressPolicer';
export type { CallMediaPort, MediaPlacement, MediaToResume } from './CallMediaPort';
export { localPlacement } from './localPlacement';
