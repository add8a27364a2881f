import type { Scenario } from '../scenario';
import { plan10kScenario } from './plan10k';
import { stageOverheadScenario } from './stageOverhead';

/** Every scenario, in the order the table lists them. */
export const ALL_SCENARIOS: readonly Scenario[] = [stageOverheadScenario, plan10kScenario];
