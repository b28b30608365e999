/** The exporter alone in a process, configured from the environment: for tests that kill it. */
import { serve } from '@rds/kit/host';
import { definition } from '../src/index.ts';

await serve(definition);
