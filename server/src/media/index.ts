export { WorkerPool, type WorkerPoolOptions } from './WorkerPool';
export {
  CallMedia,
  type ConsumerInfo,
  type Direction,
  type MediaSource,
  type ProducerInfo,
  type TransportInfo,
} from './CallMedia';
export { MediaClosedError, MediaNotFoundError, MediaRejectedError, MediaStateError } from './errors';
