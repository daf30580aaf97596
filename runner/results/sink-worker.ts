import { parentPort, workerData } from 'node:worker_threads';
import type { CellResult } from '../../contracts/result.ts';
import type { ResultSink } from '../../contracts/results.ts';
import type { SinkModule } from './threaded-sink.ts';

/** The thread side of ThreadedSink: builds the sinks from their module and feeds them in order. */
const { url, exportName, args } = workerData as SinkModule;
const make = (await import(url))[exportName] as (...a: unknown[]) => ResultSink[];
const sinks = make(...args);
const port = parentPort!;

type Message =
  | { begin: { run: Parameters<ResultSink['begin']>[0]; axes: Parameters<ResultSink['begin']>[1] } }
  | { add: { result: CellResult; transcript: readonly string[] }[]; seq: number }
  | { end: { run: Parameters<ResultSink['end']>[0]; summary: Parameters<ResultSink['end']>[1] } };

// Messages are handled one at a time, in order (each awaits the previous).
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: Message) => {
  chain = chain
    .then(async () => {
      if ('begin' in m) for (const s of sinks) await s.begin(m.begin.run, m.begin.axes);
      else if ('add' in m) {
        for (const { result, transcript } of m.add) for (const s of sinks) await s.add(result, transcript);
        port.postMessage({ ack: m.seq });
      } else {
        for (const s of sinks) await s.end(m.end.run, m.end.summary);
        port.postMessage({ ended: true });
      }
    })
    .catch((e: unknown) => {
      port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      if ('end' in m) port.postMessage({ ended: true });
    });
});
