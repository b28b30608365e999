/**
 * The port in a process of its own, configured by the environment, for tests that watch it from
 * outside (its memory during a large upload): `node --import tsx test/serve-invenio.ts`.
 */
import { serve } from '@rds/kit/host';
import { definitionFromEnvironment } from '../src/index.ts';

await serve(definitionFromEnvironment());
