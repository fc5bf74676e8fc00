// The join streams the suite opened in the current scenario, for the
// scenario's evidence (evidence.ts). A worker runs one scenario at a time,
// so one module-level list, emptied before each scenario, is the scenario's.
import type { WireRecord, StreamEnd } from './join-connection.js';

export interface OpenedStream {
  readonly wire: readonly WireRecord[];
  readonly endedWith: StreamEnd | undefined;
}

const streams: OpenedStream[] = [];
/** Far more than any scenario opens; a runaway loop must not hold every stream in memory. */
const MAX_STREAMS = 200;

export function streamOpened(stream: OpenedStream): void {
  if (streams.length < MAX_STREAMS) streams.push(stream);
}

/** This scenario's streams, and forget them. */
export function takeScenarioStreams(): OpenedStream[] {
  return streams.splice(0, streams.length);
}
