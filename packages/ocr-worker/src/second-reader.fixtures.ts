import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReaderAnswer } from './second-reader.schema.js';

/** One chat-completions request as the scripted server received it. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
    response_format?: { type: string; json_schema?: { schema: unknown } };
  };
}

/** What the server does with one request. */
export type ScriptedReply =
  /** A chat-completions answer whose message content is this object (JSON) or this raw string. */
  | { answer: ReaderAnswer | Record<string, unknown> | string; delayMs?: number }
  /** Any status and raw body. */
  | { status: number; body: string; delayMs?: number }
  /** Never answers (until the server closes). */
  | { hang: true };

export interface ScriptedReader {
  /** `http://127.0.0.1:PORT`, as AI_READER_URL. */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** An empty answer, every field null: spread a few values over it. */
export const nullAnswer = (): ReaderAnswer => ({ name: null, dosage: null, sig: null, schedule: null, quantity: null, refills: null, prescriber: null, rx_number: null });

/**
 * A local OpenAI-compatible server for tests, on a free port: each POST to
 * /v1/chat/completions is answered as `script` says, given the request.
 */
export async function startScriptedReader(script: (req: ReceivedRequest) => ScriptedReply): Promise<ScriptedReader> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let received: ReceivedRequest;
      try {
        received = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedRequest['body'] };
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
        return;
      }
      requests.push(received);
      if (req.method !== 'POST' || received.path !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const reply = script(received);
      if ('hang' in reply) return;
      const send = () => {
        if ('status' in reply) {
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
          return;
        }
        const content = typeof reply.answer === 'string' ? reply.answer : JSON.stringify(reply.answer);
        const body = { id: 'chatcmpl-test', object: 'chat.completion', model: received.body.model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The label text a text-mode request carried (between the markers). */
export const labelTextOf = (req: ReceivedRequest): string => {
  const user = req.body.messages.find((m) => m.role === 'user')?.content;
  const text = typeof user === 'string' ? user : (user ?? []).map((p) => p.text ?? '').join('\n');
  return text.match(/<<<LABEL\n([\s\S]*)\nLABEL>>>/)?.[1] ?? '';
};
