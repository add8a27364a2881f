/**
 * Loaded by `.mocharc.chaos.json` before the chaos suites (`npm run
 * test:chaos`). The suites are also compiled into `out/test/`, where the fast
 * `npm test` finds them; they run only when this flag is set, so `npm test`
 * lists them as pending instead of spending many minutes on them.
 */
process.env.BATON_CHAOS = '1';
