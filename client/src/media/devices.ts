import { h } from '../ui/dom';

/** Fills a select with the cameras or microphones the browser lists (labels appear once permitted). */
export async function fillDeviceSelect(
  select: HTMLSelectElement,
  kind: 'videoinput' | 'audioinput',
  current?: string,
) {
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === kind);
  select.replaceChildren(
    ...devices.map((d, i) =>
      h(
        'option',
        { value: d.deviceId, ...(d.deviceId === current && { selected: true }) },
        d.label || `${kind} ${i + 1}`,
      ),
    ),
  );
}

/**
 * A microphone level meter: shows that sound is picked up, for people who cannot hear themselves.
 * Returns a function that stops it.
 */
export function meterMicrophone(stream: MediaStream, meter: HTMLMeterElement): () => void {
  const track = stream.getAudioTracks()[0];
  if (!track) return () => undefined;
  const audio = new AudioContext();
  const source = audio.createMediaStreamSource(new MediaStream([track]));
  const analyser = audio.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let stopped = false;
  const update = () => {
    if (stopped) return;
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    // Ten updates a second are plenty for a level and cost nothing noticeable.
    window.setTimeout(update, 100);
  };
  update();
  return () => {
    stopped = true;
    void audio.close();
  };
}
