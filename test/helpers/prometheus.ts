// A small parser of Prometheus' text exposition format (0.0.4), for tests that scrape /metrics:
// prom-client writes the format but does not read it.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  /** `# HELP` of each metric family. */
  help: Map<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export function parsePrometheusText(text: string): Exposition {
  const out: Exposition = { samples: [], types: new Map(), help: new Map() };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (meta?.[1] === 'TYPE') out.types.set(meta[2]!, meta[3]!);
      if (meta?.[1] === 'HELP') out.help.set(meta[2]!, unescape(meta[3]!));
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not a sample: ${line}`);
    out.samples.push({
      name: m[1]!,
      labels: parseLabels(m[2] ?? '', i + 1),
      value: parseValue(m[3]!, i + 1),
    });
  }
  return out;
}

function parseLabels(block: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  const inner = block.slice(1, -1);
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < inner.length) {
    const at = LABEL.lastIndex;
    const m = LABEL.exec(inner);
    if (!m || m.index !== at) throw new Error(`line ${line}: bad labels ${block}`);
    labels[m[1]!] = unescape(m[2]!);
    if (m[3] === '') break;
  }
  return labels;
}

/** Like Prometheus (Go's ParseFloat): NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(text: string, line: number): number {
  const special = { nan: NaN, '+inf': Infinity, inf: Infinity, '-inf': -Infinity }[text.toLowerCase()];
  if (special !== undefined) return special;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`line ${line}: bad value ${text}`);
  return value;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Samples of `name` whose labels include every one given. */
export function samplesOf(exp: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exp.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of the one sample of `name` with these labels; throws if there is none or several. */
export function valueOf(exp: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(exp, name, labels);
  if (found.length !== 1) {
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  }
  return found[0]!.value;
}

/** GET `<url>/metrics` (with a bearer token if given), parsed; throws on anything but a 200 in the text format. */
export async function scrapeMetrics(url: string, token: string | null): Promise<Exposition> {
  const res = await fetch(
    `${url}/metrics`,
    token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !type.startsWith('text/plain; version=0.0.4')) {
    throw new Error(`${url}/metrics answered ${res.status} (${type}): ${await res.text()}`);
  }
  return parsePrometheusText(await res.text());
}
