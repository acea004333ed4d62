import { openCameraAndMic } from './MediaClient';

/**
 * Opens the camera and microphone while an offer rings (agents only: a volunteer's stays off until
 * they accept), so that accepting does not wait for them (the first frame follows the accept
 * sooner); the camera light comes on with the ring. Nothing is sent before the accept:
 * a declined or withdrawn ring closes them again. A camera that failed while ringing is tried
 * once more on the accept, which then fails as it always did.
 */
export class RingingCamera {
  #opening: Promise<MediaStream | null> | null = null;

  /** The ring started: open them now. */
  prepare(): void {
    this.release();
    this.#opening = openCameraAndMic().catch(() => null);
  }

  /** The accept: the stream opened while ringing, or a fresh one. The caller owns it from here. */
  async take(): Promise<MediaStream> {
    const opening = this.#opening;
    this.#opening = null;
    return (await opening) ?? openCameraAndMic();
  }

  /** The ring ended without an accept: the camera goes off. */
  release(): void {
    const opening = this.#opening;
    this.#opening = null;
    void opening?.then((stream) => stream?.getTracks().forEach((track) => track.stop()));
  }
}
