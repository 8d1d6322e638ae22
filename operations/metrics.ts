/**
 * A small Prometheus registry for the gateway and every subgraph (`GET
 * /metrics`, text exposition format 0.0.4): request counts and durations by
 * outcome, GraphQL errors by code, and the process's memory and CPU. Kept
 * here, without a client library, because these few series are all the hub
 * needs and nothing at run time may reach out.
 */

type Labels = Record<string, string>;

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const key = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

export class Metrics {
  readonly #counters = new Map<string, { help: string; values: Map<string, number> }>();
  readonly #samples = new Map<string, { help: string; read: () => number }>();
  readonly #histograms = new Map<
    string,
    { help: string; values: Map<string, { buckets: number[]; sum: number; count: number }> }
  >();

  constructor(readonly prefix: string) {}

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const full = `${this.prefix}_${name}`;
    let counter = this.#counters.get(full);
    if (!counter) {
      counter = { help, values: new Map() };
      this.#counters.set(full, counter);
    }
    const k = key(labels);
    counter.values.set(k, (counter.values.get(k) ?? 0) + by);
  }

  observe(name: string, help: string, seconds: number, labels: Labels = {}): void {
    const full = `${this.prefix}_${name}`;
    let histogram = this.#histograms.get(full);
    if (!histogram) {
      histogram = { help, values: new Map() };
      this.#histograms.set(full, histogram);
    }
    const k = key(labels);
    let h = histogram.values.get(k);
    if (!h) {
      h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      histogram.values.set(k, h);
    }
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound)
        (h as { buckets: number[] }).buckets[i] = ((h as { buckets: number[] }).buckets[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count++;
  }

  /** A counter kept elsewhere (say, by the database layer), read when scraped. */
  sample(name: string, help: string, read: () => number): void {
    this.#samples.set(`${this.prefix}_${name}`, { help, read });
  }

  /** The exposition text, process figures included. */
  render(): string {
    const lines: string[] = [];
    for (const [name, { help, read }] of this.#samples)
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${read()}`);
    for (const [name, { help, values }] of this.#counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [k, v] of values) lines.push(`${name}${k ? `{${k}}` : ""} ${v}`);
    }
    for (const [name, { help, values }] of this.#histograms) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
      for (const [k, h] of values) {
        const sep = k ? `${k},` : "";
        for (const [i, bound] of BUCKETS.entries()) lines.push(`${name}_bucket{${sep}le="${bound}"} ${h.buckets[i]}`);
        lines.push(`${name}_bucket{${sep}le="+Inf"} ${h.count}`);
        lines.push(`${name}_sum${k ? `{${k}}` : ""} ${h.sum}`, `${name}_count${k ? `{${k}}` : ""} ${h.count}`);
      }
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    lines.push(
      `# HELP ${this.prefix}_process_resident_memory_bytes Resident memory of the process.`,
      `# TYPE ${this.prefix}_process_resident_memory_bytes gauge`,
      `${this.prefix}_process_resident_memory_bytes ${memory.rss}`,
      `# HELP ${this.prefix}_process_cpu_seconds_total CPU time of the process (user and system).`,
      `# TYPE ${this.prefix}_process_cpu_seconds_total counter`,
      `${this.prefix}_process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    );
    return `${lines.join("\n")}\n`;
  }
}

/** Counts a finished HTTP request: by route and status class, and its duration. */
export function countRequest(metrics: Metrics, route: string, status: number, startedAt: bigint): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const labels = { route, status: `${Math.floor(status / 100)}xx` };
  metrics.inc("http_requests_total", "HTTP requests answered, by route and status class.", labels);
  metrics.observe("http_request_duration_seconds", "Time to answer an HTTP request.", seconds, { route });
}
