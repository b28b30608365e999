/** The webdav port in a process of its own, as `rds serve webdav` will run it: for memory tests. */
import { serve } from '@rds/kit/host';
import { definition } from '../src/index.ts';

await serve(definition);
