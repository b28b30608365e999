/** Runs the probe as its own process, as `rds serve` runs a service: for shutdown and export tests. */
import { serve } from '../src/host.ts';
import { probe } from './probe-service.ts';

await serve(probe(process.env.PROBE_NAME ?? 'alpha'));
