import type * as Dagre from '@dagrejs/dagre' with { 'resolution-mode': 'import' };
import type { StageSnapshot, WirePipeline } from '@baton/protocol';
import { isUpToDateStage, stageStatusWord } from '@baton/protocol';
import { runName } from './runLabel';
import { isActiveRun, isRetryableStage } from './runStatus';
import type { RunView } from './runView';
import { stageDescription } from './stageText';

// dagre ships its types as an ES module beside a CommonJS build (`exports.require`);
// this CommonJS file loads the CommonJS build and takes only the types from the ESM side.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre = require('@dagrejs/dagre') as typeof Dagre;

/** How a stage box is coloured: one tone per thing a person tells apart at a glance. */
export type GraphTone =
  'queued' | 'running' | 'waiting' | 'succeeded' | 'upToDate' | 'skipped' | 'failed' | 'notStarted';

/** A stage box, placed (centre `x`, `y`). */
export interface GraphNode {
  /** The stage's key, as in the Runs tree (`stage:<run>/<stage>`, `planned:<pipeline>/<stage>`). */
  readonly key: string;
  readonly stage: string;
  readonly word: string;
  readonly detail: string;
  readonly tone: GraphTone;
  /** Retry Stage applies (a failed or cancelled stage of an ended run): its context menu offers it. */
  readonly retryable: boolean;
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
}

const BOX_WIDTH = 180;
const BOX_HEIGHT = 52;

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

interface Box {
  readonly key: string;
  readonly stage: string;
  readonly needs: readonly string[];
  readonly word: string;
  readonly detail: string;
  readonly tone: GraphTone;
  readonly retryable: boolean;
}

/** The graph of a run: its stages coloured by status, laid out by their `needs`. */
export function runGraph(run: RunView, now: number): GraphModel {
  const boxes = run.stages.map((stage) => ({
    key: `stage:${run.summary.runId}/${stage.id}`,
    stage: stage.id,
    needs: stage.needs,
    word: stageStatusWord(stage, run.summary.status),
    detail: stageDescription(stage, now, run.summary.status),
    tone: stageTone(stage, run),
    retryable: isRetryableStage(stage.status, run.summary.status),
  }));
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
    detail: stage.needs.length > 0 ? `needs ${stage.needs.join(', ')}` : '',
    tone: 'notStarted' as const,
    retryable: false,
  }));
  return { ...place(boxes), title: pipeline.name, pipelineId: pipeline.id, active: false };
}

/** Lays boxes out left to right by their needs with dagre (layered, edges crossing little). */
function place(boxes: readonly Box[]): Pick<GraphModel, 'nodes' | 'edges' | 'width' | 'height'> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set(boxes.map((box) => box.stage));
  for (const box of boxes) graph.setNode(box.stage, { width: BOX_WIDTH, height: BOX_HEIGHT });
  for (const box of boxes)
    for (const need of box.needs) if (known.has(need)) graph.setEdge(need, box.stage);
  dagre.layout(graph);
  const nodes = boxes.map((box) => {
    const placed = graph.node(box.stage) as { x: number; y: number };
    return { ...box, x: placed.x, y: placed.y, width: BOX_WIDTH, height: BOX_HEIGHT };
  });
  const edges = graph.edges().map((edge: Dagre.Edge) => ({
    from: edge.v,
    to: edge.w,
    points: (graph.edge(edge) as { points?: { x: number; y: number }[] }).points ?? [],
  }));
  const size = graph.graph() as { width?: number; height?: number };
  return {
    nodes: nodes.map(({ needs: _needs, ...node }) => node),
    edges,
    width: size.width ?? 0,
    height: size.height ?? 0,
  };
}
