// Container start-to-ready time of the container target
// (targets/reference-server.container.yaml, image bkp-reference-server:local
// from docker/build-images.sh), through the suite's own launcher. Without a
// container engine, or without the image, the figure is SKIPPED with the
// reason: no image is ever pulled or built here.
import { performance } from 'node:perf_hooks';
import { loadTarget } from '../target/load-target.js';
import { containerEngineAvailable, launchContainerServer } from '../launch/container.js';
import type { ContainerTarget } from '../launch/container.js';
import { imageExists } from '../launch/docker-engine.js';

const TARGET = 'targets/reference-server.container.yaml';

export type ContainerTiming =
  | { skipped: true; reason: string }
  | { skipped: false; image: string; runs: { createToReadyMs: number; launchMs: number; stopMs: number }[] };

export async function timeContainerStart(runs: number, log: (line: string) => void): Promise<ContainerTiming> {
  const engine = await containerEngineAvailable();
  if (!engine.ok) return { skipped: true, reason: engine.reason };
  const target = loadTarget(TARGET);
  if (target.role !== 'server' || target.launch.mode !== 'container') return { skipped: true, reason: `${TARGET} is not a container server target` };
  const image = target.launch.image;
  if (!image) return { skipped: true, reason: `${TARGET} builds its image; only a prebuilt image is timed` };
  if (!(await imageExists(image))) return { skipped: true, reason: `image ${image} is not on the engine: build it with docker/build-images.sh` };
  const results = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const server = await launchContainerServer(target as ContainerTarget, { log });
    const launchMs = performance.now() - t0;
    const t1 = performance.now();
    await server.close();
    results.push({ createToReadyMs: server.startMs, launchMs, stopMs: performance.now() - t1 });
  }
  return { skipped: false, image, runs: results };
}
