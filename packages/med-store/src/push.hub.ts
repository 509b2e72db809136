import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { PushMessage } from '@rxscan/contracts';
import type { Applied } from './projection.repository.js';
import type { Person } from './table.schema.js';
import { jobView, medView, personResolver, personView } from './api.views.js';

/** Pushes every change the projection makes to the tablets listening on /meds/ws. */
export class PushHub {
  private readonly wss: WebSocketServer;
  /** Pushes go out in the order the changes were applied, though reading the people is async. */
  private queue: Promise<void> = Promise.resolve();

  /** @param people the household as it is now: a medication's person is pushed after merges. */
  constructor(
    server: Server,
    private readonly log: Logger,
    private readonly people: () => Promise<Person[]> = async () => [],
    /** Who may listen (web's signature, a valid token); without it, anyone who reaches the port. */
    trusted?: (req: IncomingMessage) => Promise<boolean>,
  ) {
    this.wss = new WebSocketServer({
      server,
      path: '/meds/ws',
      maxPayload: 4096,
      ...(trusted && {
        verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, status?: number, reason?: string) => void) =>
          void trusted(info.req).then(
            (ok) => (ok ? done(true) : done(false, 401, 'Unauthorized')),
            (err: unknown) => {
              log.warn({ err }, 'could not check a push channel caller');
              done(false, 503, 'Service Unavailable');
            },
          ),
      }),
    });
    this.wss.on('connection', (socket: WebSocket) => {
      socket.on('error', (err) => log.debug({ err }, 'websocket error'));
      // Clients only listen; anything they send is ignored.
    });
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  publish(applied: Applied): void {
    this.queue = this.queue.then(() => this.send(applied)).catch((err: unknown) => this.log.warn({ err }, 'could not push a change'));
  }

  private async send(applied: Applied): Promise<void> {
    const messages: PushMessage[] = [];
    if (applied.job) messages.push({ type: 'job', job: jobView(applied.job) });
    if (applied.meds?.length || applied.people?.length) {
      const resolve = personResolver(this.clients > 0 ? await this.people() : []);
      for (const med of applied.meds ?? []) {
        messages.push(med.deleted_at ? { type: 'medication-deleted', id: med.id } : { type: 'medication', medication: medView(med, resolve) });
      }
      for (const p of applied.people ?? []) messages.push({ type: 'person', person: personView(p), merged_into: p.merged_into && resolve(p.merged_into) });
    }
    for (const msg of messages) {
      const data = JSON.stringify(msg);
      for (const client of this.wss.clients) if (client.readyState === client.OPEN) client.send(data);
    }
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.close(1001, 'server shutting down');
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
