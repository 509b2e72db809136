import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { PushMessage } from '@rxscan/contracts';
import type { Applied } from './projection.repository.js';
import { jobView, medView } from './api.views.js';

/** Pushes every change the projection makes to the tablets listening on /meds/ws. */
export class PushHub {
  private readonly wss: WebSocketServer;

  constructor(server: Server, log: Logger) {
    this.wss = new WebSocketServer({ server, path: '/meds/ws', maxPayload: 4096 });
    this.wss.on('connection', (socket: WebSocket) => {
      socket.on('error', (err) => log.debug({ err }, 'websocket error'));
      // Clients only listen; anything they send is ignored.
    });
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  publish(applied: Applied): void {
    const messages: PushMessage[] = [];
    if (applied.job) messages.push({ type: 'job', job: jobView(applied.job) });
    if (applied.med) {
      messages.push(applied.med.deleted_at ? { type: 'medication-deleted', id: applied.med.id } : { type: 'medication', medication: medView(applied.med) });
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
