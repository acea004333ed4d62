import { Device } from 'mediasoup-client';
import type { RouterRtpCapabilities } from '../../../common/protocol';
import { mark } from '../timeline';
import { deviceCapabilities } from './wire';

/**
 * A mediasoup-client Device loaded ahead of the call, while an offer or invitation rings or the
 * caller waits: loading probes the browser's codecs with a peer connection of its own, tens of
 * milliseconds that then need not follow the accept. It needs no camera and sends nothing.
 * The server sends the capabilities its routers carry; the call's own router says them again in the
 * join answer, and the device is used only if they are the same.
 */
export class PreloadedDevice {
  readonly #device = new Device();
  /** As they came over the wire: the same server serialises the same capabilities the same way. */
  readonly #capabilities: string;
  readonly #loaded: Promise<boolean>;

  constructor(capabilities: RouterRtpCapabilities) {
    this.#capabilities = JSON.stringify(capabilities);
    this.#loaded = this.#device.load({ routerRtpCapabilities: deviceCapabilities(capabilities) }).then(
      () => {
        mark('device preloaded');
        return true;
      },
      // The call then loads a device of its own, as it would have without this.
      () => false,
    );
  }

  /** The loaded device, if it was loaded with exactly the call router's capabilities; else null. */
  async deviceFor(capabilities: RouterRtpCapabilities): Promise<Device | null> {
    if (JSON.stringify(capabilities) !== this.#capabilities) return null;
    return (await this.#loaded) ? this.#device : null;
  }
}
