import type { Scenario } from '../scenario';
import { eventLatencyScenario } from './eventLatency';
import { fanOut10kScenario } from './fanOut10k';
import { history1000Scenario } from './history1000';
import { logThroughputScenario } from './logThroughput';
import { incrementalScenario } from './incremental';
import { plan10kScenario } from './plan10k';
import { promptRoundtripScenario } from './promptRoundtrip';
import { remoteStagesScenario } from './remoteStages';
import { resumeScenario } from './resume';
import { rpcFloodScenario } from './rpcFlood';
import { server10kScenario } from './server10k';
import { stageOverheadScenario } from './stageOverhead';
import { tailLatencyScenario } from './tailLatency';

/** Every scenario, in the order the table lists them. */
export const ALL_SCENARIOS: readonly Scenario[] = [
  stageOverheadScenario,
  rpcFloodScenario,
  eventLatencyScenario,
  tailLatencyScenario,
  promptRoundtripScenario,
  logThroughputScenario,
  resumeScenario,
  plan10kScenario,
  incrementalScenario,
  remoteStagesScenario,
  fanOut10kScenario,
  history1000Scenario,
  server10kScenario,
];
