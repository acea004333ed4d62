/**
 * What one participant may hold at once in a call's router. Each transport, producer and consumer
 * holds worker memory until it is closed, so without a cap one client could grow a router without
 * end. The caps are what a real client needs (client/src/media/MediaClient.ts) with some room to
 * spare; a refusal over them is `limit-reached` and creates nothing.
 */
export const MEDIA_LIMITS = {
  /**
   * A client sends on one transport and receives on one. Its media restart closes both (the
   * server's resetParticipant) before it makes new ones, and a router move drops them all, so a
   * restart never counts against this; the second is room for a client that makes the new
   * transport before it lets the old one go.
   */
  transportsPerDirection: 2,
  /** Microphone and camera today, and room for a screen share (video, with its own sound). */
  producers: 4,
  /**
   * One per producer of every other participant, each with up to `producers`: the two others of a
   * three-way call, and room for one more.
   */
  consumers: 3 * 4,
} as const;
