// Moved to @rds/kit/testing; kept until every test imports it from there.
export { call, type Answer, type Ask } from '../src/test-http.ts';
