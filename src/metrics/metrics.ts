/**
 * The worker's Prometheus metrics, in a registry of their own:
 * - `orgsync_runs_total{profile,kind,outcome}`: finished runs (kind `sync` or `apply`);
 * - `orgsync_run_duration_seconds{profile,kind}`: how long runs took;
 * - `orgsync_operations_total{profile,kind,result}`: applied operations by kind and result;
 * - `orgsync_plans{profile,status}`: stored plans by lifecycle status (read on scrape);
 * - `orgsync_queue_jobs{state}`: jobs in the queue by state (read on scrape);
 * plus the default process metrics. In: functions that read plan and queue counts. Out: the
 * registry and the instruments the processor updates.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricSources {
  planCounts(): Promise<Map<string, Map<string, number>>>;
  queueCounts(): Promise<Record<string, number>>;
}

export interface Metrics {
  registry: Registry;
  runs: Counter<'profile' | 'kind' | 'outcome'>;
  runDuration: Histogram<'profile' | 'kind'>;
  operations: Counter<'profile' | 'kind' | 'result'>;
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const runs = new Counter({ name: 'orgsync_runs_total', help: 'Finished runs by profile, kind and outcome', labelNames: ['profile', 'kind', 'outcome'], registers: [registry] });
  const runDuration = new Histogram({
    name: 'orgsync_run_duration_seconds',
    help: 'Duration of runs by profile and kind',
    labelNames: ['profile', 'kind'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const operations = new Counter({ name: 'orgsync_operations_total', help: 'Applied operations by profile, kind and result', labelNames: ['profile', 'kind', 'result'], registers: [registry] });
  new Gauge({
    name: 'orgsync_plans',
    help: 'Stored plans by profile and lifecycle status',
    labelNames: ['profile', 'status'],
    registers: [registry],
    async collect() {
      const counts = await sources.planCounts();
      this.reset();
      for (const [profile, byStatus] of counts) for (const [status, n] of byStatus) this.set({ profile, status }, n);
    },
  });
  new Gauge({
    name: 'orgsync_queue_jobs',
    help: 'Jobs in the run queue by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await sources.queueCounts();
      this.reset();
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  return { registry, runs, runDuration, operations };
}
