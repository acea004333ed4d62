// Distinct source addresses for the bench's callers: all of 127.0.0.0/8 reaches this host's loopback
// on Linux, so the server sees each caller as its own client address (connection cap, rate limits).

/** Usable per octet: 1..254, skipping the network- and broadcast-looking 0 and 255. */
const PER_OCTET = 254;

/** The i-th caller's address (i from 0), from 127.1.0.1 up; 127.0.0.1 stays the server's. */
export function loopbackAddress(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= PER_OCTET ** 3 - PER_OCTET ** 2) {
    throw new RangeError(`loopback address index ${i} is out of range`);
  }
  const z = (i % PER_OCTET) + 1;
  const y = Math.floor(i / PER_OCTET) % PER_OCTET;
  const x = Math.floor(i / PER_OCTET ** 2) + 1;
  return `127.${x}.${y}.${z}`;
}
