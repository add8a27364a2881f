import type { StageSnapshot, WirePipeline } from '@baton/protocol';
import { isUpToDateStage, stageStatusWord } from '@baton/protocol';
import { BOX_HEIGHT, BOX_WIDTH, layoutOf } from './graphLayout';
import type { ItemBands } from './itemBands';
import { itemCountsText } from '@baton/protocol';
import { isFannedOut, itemBands } from './itemBands';
import { hasRetryableItems } from './itemRows';
import { topLevelStages } from './itemGroups';
import { runName } from './runLabel';
import { isActiveRun, isRetryableStage } from './runStatus';
import type { RunView } from './runView';
import { stageDescription } from './stageText';

/** How a stage box is coloured: one tone per thing a person tells apart at a glance. */
export type GraphTone =
  'queued' | 'running' | 'waiting' | 'succeeded' | 'upToDate' | 'skipped' | 'failed' | 'notStarted';

/** What a box shows and offers, apart from where it is. */
export interface GraphBoxLook {
  /** The stage's key, as in the Runs tree (`stage:<run>/<stage>`, `planned:<pipeline>/<stage>`). */
  readonly key: string;
  readonly stage: string;
  readonly word: string;
  readonly detail: string;
  readonly tone: GraphTone;
  /** Retry Stage applies (a failed or cancelled stage of an ended run): its context menu offers it. */
  readonly retryable: boolean;
  /** A fanned-out stage (`matrix:`/`foreach:`): its items in the status bar's four bands. */
  readonly items?: ItemBands;
  /** The stage fans out (known from the file before its items exist): a click lists its items. */
  readonly fanOut?: boolean;
  /** Retry Failed Items applies: its context menu offers it. */
  readonly failedItems?: boolean;
}

/** A stage box, placed (centre `x`, `y`). */
export interface GraphNode extends GraphBoxLook {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An arrow from a stage to one that needs it, as a polyline. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** Everything the graph webview draws: plain data, posted as JSON. */
export interface GraphModel {
  readonly title: string;
  readonly runId?: string;
  readonly pipelineId: string;
  /** The run is under way: a box's context menu offers Stop Run. */
  readonly active: boolean;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly width: number;
  readonly height: number;
  /** Why there is no graph to draw: the problems of an invalid pipeline file (`line:column message`). */
  readonly problems?: readonly string[];
  /** The graph is of the editor's unsaved text, not of the file on disk. */
  readonly unsaved?: boolean;
}

/** The tone of a stage of a run. */
export function stageTone(stage: StageSnapshot, run: RunView): GraphTone {
  if (stageStatusWord(stage, run.summary.status) === 'not started') return 'notStarted';
  if (isUpToDateStage(stage)) return 'upToDate';
  switch (stage.status) {
    case 'pending':
    case 'ready':
      return 'queued';
    case 'waitingForPool':
      return 'waiting';
    case 'running':
      return 'running';
    case 'waiting':
    case 'retrying':
      return 'waiting';
    case 'succeeded':
      return 'succeeded';
    case 'skipped':
    case 'cancelled':
      return 'skipped';
    case 'failed':
      return 'failed';
  }
}

interface Box extends GraphBoxLook {
  readonly needs: readonly string[];
}

/** The look of one stage box of a run (a fanned-out stage's items as counts and bands). */
function runBox(run: RunView, stage: StageSnapshot, now: number): Box {
  const own = stageDescription(stage, now, run.summary.status);
  const fanned = isFannedOut(stage);
  return {
    key: `stage:${run.summary.runId}/${stage.id}`,
    stage: stage.id,
    needs: stage.needs,
    word: stageStatusWord(stage, run.summary.status),
    detail: fanned ? itemCountsText(stage.items) : own,
    tone: stageTone(stage, run),
    retryable: isRetryableStage(stage.status, run.summary.status),
    ...(fanned ? { items: itemBands(stage.items), fanOut: true } : {}),
    ...(hasRetryableItems(run, stage) ? { failedItems: true } : {}),
  };
}

/**
 * The graph of a run: its stages coloured by status, laid out by their
 * `needs`; a fanned-out stage is one box whatever its number of items (its
 * units are not drawn), so the shape, and the layout, stay the same while
 * items come and go. `fanOuts` are the stages the file declares fanned out.
 */
export function runGraph(run: RunView, now: number, fanOuts?: ReadonlySet<string>): GraphModel {
  const boxes = topLevelStages(run.stages).map((stage) => {
    const box = runBox(run, stage, now);
    return fanOuts?.has(stage.id) === true ? { ...box, fanOut: true } : box;
  });
  return {
    ...place(boxes),
    title: runName(run.summary),
    runId: run.summary.runId,
    pipelineId: run.summary.pipeline,
    active: isActiveRun(run.summary.status),
  };
}

/**
 * The graph of a pipeline from its file, before (or without) a run. An
 * invalid file has no stages to draw: its problems are shown instead of an
 * empty panel.
 */
export function pipelineGraph(pipeline: WirePipeline): GraphModel {
  if (!pipeline.valid) {
    const problems = pipeline.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    return {
      title: pipeline.name,
      pipelineId: pipeline.id,
      active: false,
      nodes: [],
      edges: [],
      width: 0,
      height: 0,
      problems: problems.length > 0 ? problems : ['The file is invalid.'],
    };
  }
  const boxes = pipeline.stages.map((stage) => ({
    key: `planned:${pipeline.id}/${stage.id}`,
    stage: stage.id,
    needs: stage.needs,
    word: 'not run',
    detail: [
      stage.fanOut !== undefined ? `fans out (${stage.fanOut})` : '',
      stage.needs.length > 0 ? `needs ${stage.needs.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    tone: 'notStarted' as const,
    retryable: false,
    ...(stage.fanOut !== undefined ? { fanOut: true } : {}),
  }));
  return { ...place(boxes), title: pipeline.name, pipelineId: pipeline.id, active: false };
}

/** Places the boxes (`graphLayout.ts`: the layout is kept per shape). */
function place(boxes: readonly Box[]): Pick<GraphModel, 'nodes' | 'edges' | 'width' | 'height'> {
  const layout = layoutOf(boxes.map((box) => ({ id: box.stage, needs: box.needs })));
  const nodes = boxes.map(({ needs: _needs, ...box }) => {
    const at = layout.positions.get(box.stage) ?? { x: 0, y: 0 };
    return { ...box, x: at.x, y: at.y, width: BOX_WIDTH, height: BOX_HEIGHT };
  });
  return { nodes, edges: layout.edges, width: layout.width, height: layout.height };
}
