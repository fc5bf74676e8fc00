// Applies the script to one join stream. The stream this wraps is the
// recorder's (join/join-attempts.ts), which sits next to the transport, so a
// transcript shows exactly what crossed the wire:
//  - after_client X: X has been received (and recorded); the fault acts
//    before the server code sees X;
//  - before_server Y: the server has built Y (for a result: after the
//    commit); the fault acts before Y is handed to the transport, so a drop
//    or an error there means Y is never sent;
//  - no `when`: when the stream opens, before anything is read; with a
//    token, right after the ClientInit naming that token is received.
// A tamper fault changes the server message about to be sent (tamper.ts).
// Ending faults end the stream through the transport first (JoinStream.abort)
// and then unwind the server code with the same error, so the client sees
// exactly the scripted ending whatever the handler makes of the error.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { JoinRequest, JoinResponse } from '../../protocol/messages.js';
import { describeRequest, describeResponse } from '../../protocol/messages.js';
import type { JoinStream } from '../join/join-stream.js';
import { StreamDroppedError, StreamStatusError } from '../join/join-stream.js';
import type { AttemptNotes } from '../join/join-attempts.js';
import { UNAVAILABLE_MESSAGE } from './script.js';
import { tamper } from './tamper.js';
import type { FiredFault, ScriptedFaults, StreamPoint } from './scripted-faults.js';

export function withFaults(stream: JoinStream, faults: ScriptedFaults, notes: AttemptNotes): JoinStream {
  const firedHere = new Set<string>();
  const counts = new Map<string, number>();
  let token: string | undefined;
  let opened = false;

  const occurrence = (direction: string, type: string) => {
    const n = (counts.get(`${direction} ${type}`) ?? 0) + 1;
    counts.set(`${direction} ${type}`, n);
    return n;
  };

  /** Performs the faults due at a point; before a server message, returns the message to send (a tamper fault may change it). */
  const act = async (point: StreamPoint, resp?: JoinResponse): Promise<JoinResponse | undefined> => {
    let out = resp;
    for (let fired = faults.claimNext(point, firedHere); fired; fired = faults.claimNext(point, firedHere)) {
      firedHere.add(fired.fault.id);
      notes.faultFired(fired.fault.id);
      if (fired.fault.action.kind === 'tamper') {
        if (out) out = tamper(out, fired.fault.action.change);
        continue;
      }
      await perform(fired, stream, faults);
    }
    return out;
  };

  const open = async () => {
    if (opened) return;
    opened = true;
    await act({ at: 'open' });
  };

  return {
    peer: stream.peer,
    signal: stream.signal,
    recv: async (): Promise<JoinRequest> => {
      await open();
      const req = await stream.recv();
      if (req.client_init && token === undefined) {
        token = req.client_init.token_name ?? '';
        await act({ at: 'client_init', token });
      }
      const type = describeRequest(req);
      await act({ at: 'after_client', type, occurrence: occurrence('client', type), token });
      return req;
    },
    send: async (resp: JoinResponse): Promise<void> => {
      await open();
      const type = describeResponse(resp);
      const sent = await act({ at: 'before_server', type, occurrence: occurrence('server', type), token }, resp);
      await stream.send(sent ?? resp);
    },
    ...(stream.abort ? { abort: stream.abort.bind(stream) } : {}),
  };
}

async function perform(fired: FiredFault, stream: JoinStream, faults: ScriptedFaults): Promise<void> {
  const { fault } = fired;
  const { action } = fault;
  switch (action.kind) {
    case 'delay':
      return sleep(faults.delayMs(action), stream.signal);
    case 'hold':
      return faults.hold(fired, stream.signal);
    case 'drop':
      return end(stream, new StreamDroppedError(`connection dropped by scripted fault "${fault.id}"`));
    case 'error':
      return end(stream, new StreamStatusError(GrpcStatus[action.code as keyof typeof GrpcStatus], action.message));
    case 'unavailable':
      return end(stream, new StreamStatusError(GrpcStatus.UNAVAILABLE, UNAVAILABLE_MESSAGE));
    case 'tamper':
      return; // applied by act(), which holds the message
  }
}

function end(stream: JoinStream, reason: StreamStatusError | StreamDroppedError): never {
  if (!stream.abort) throw new Error('scripted faults need a transport that can end a stream (JoinStream.abort)');
  stream.abort(reason);
  throw reason;
}

/** Waits, unless the stream ends first (client gone, deadline, restart). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
