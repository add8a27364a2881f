import type { WirePipeline } from '@baton/protocol';
import { CommandIds } from './commandIds';
import type { TreeNode } from './treeNodes';

/** One CodeLens above a stage of a pipeline file, without `vscode`. */
export interface StageLens {
  /** 0-based line of the stage's declaration. */
  readonly line: number;
  readonly title: string;
  readonly command: string;
  /** A stage node, read by the command as a click on that stage would be. */
  readonly arguments: readonly [TreeNode];
}

const LENSES = [
  { title: '$(play) Run This Stage', command: CommandIds.runStage },
  { title: 'Run From Here', command: CommandIds.runFromStage },
  { title: 'Force Run', command: CommandIds.forceRun },
] as const;

/**
 * The CodeLenses of a pipeline file: Run This Stage, Run From Here and Force
 * Run above each stage, at the line the server read it from. An invalid file
 * gets none (its diagnostics say why it cannot run).
 */
export function stageLenses(pipeline: WirePipeline): StageLens[] {
  if (!pipeline.valid) return [];
  return pipeline.stages.flatMap((stage) => {
    if (stage.line === undefined) return [];
    const node: TreeNode = { kind: 'plannedStage', pipelineId: pipeline.id, stageId: stage.id };
    return LENSES.map((lens) => ({
      line: Math.max(0, stage.line! - 1),
      title: lens.title,
      command: lens.command,
      arguments: [node] as const,
    }));
  });
}
