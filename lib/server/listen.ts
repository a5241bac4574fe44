// Listening on a port, with a refusal worded for the person starting wekf: which port, and which
// variable moves it.
import type net from 'node:net';
import { createServer } from 'node:net';

export interface PortParams {
  port: number;
  host: string;
  /** The variable that moves it, named in the message. */
  variable: string;
}

/** A port wekf cannot listen on; its message is one line, safe to print. */
export class PortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortError';
  }
}

export function listenOn(server: net.Server, params: PortParams): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(portError(error, params));
    server.once('error', onError);
    server.listen(params.port, params.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Checks a port another part of wekf will listen on later is free now, before anything is created. */
export async function probePort(params: PortParams): Promise<void> {
  const probe = createServer();
  await listenOn(probe, params);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function portError(error: NodeJS.ErrnoException, { port, host, variable }: PortParams): PortError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new PortError(`port ${port} is in use (set ${variable})`);
    case 'EACCES':
      return new PortError(`port ${port} needs more privileges than this user has (set ${variable})`);
    case 'EADDRNOTAVAIL':
      return new PortError(`cannot listen on ${host}: no such address on this machine (set HOST)`);
    default:
      return new PortError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`);
  }
}
