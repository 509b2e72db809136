/**
 * The runbook's `nats …` commands carried out with the NATS client library, through the
 * `nats` CLI's own context files: the selected context (`nats/context.txt`), its URL, user
 * and password, exactly as the CLI reads them. The real CLI is not installable here (no
 * npm or Debian package ships it), so this is what the runbook tests run; each command
 * asks the server the same JetStream API request the CLI sends.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';

type Env = Record<string, string | undefined>;

interface ContextFile {
  url: string;
  user?: string;
  password?: string;
}

/** The selected context, as `nats` resolves it: NATS_CONTEXT, else context.txt. */
export async function selectedContext(env: Env): Promise<{ name: string; context: ContextFile }> {
  const dir = path.join(env.XDG_CONFIG_HOME!, 'nats');
  const name = env.NATS_CONTEXT || (await readFile(path.join(dir, 'context.txt'), 'utf8')).trim();
  const context = JSON.parse(await readFile(path.join(dir, 'context', `${name}.json`), 'utf8')) as ContextFile;
  return { name, context };
}

/** Splits a shell command line: words, '…' and "…" quoting, backslash-newline continuations. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.replace(/\\\n\s*/g, ' ').matchAll(re)) words.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return words;
}

const decode = (data: Uint8Array) => new TextDecoder().decode(data);

/** Runs one `nats …` command line against the selected context; resolves with what it would show. */
export async function runNats(line: string, env: Env): Promise<string> {
  const [cmd, ...args] = shellWords(line);
  if (cmd !== 'nats') throw new Error(`not a nats command: ${line}`);
  const { context } = await selectedContext(env);
  const nc: NatsConnection = await connect({ servers: context.url.split(','), user: context.user || undefined, pass: context.password || undefined, timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    const flag = (name: string) => {
      const i = args.indexOf(name);
      return i >= 0 ? args[i + 1] : undefined;
    };
    const [a, b, c, d] = args;
    if (a === 'stream' && b === 'info') {
      const info = await jsm.streams.info(c!);
      return `Stream ${info.config.name}: Messages ${info.state.messages}, First Sequence ${info.state.first_seq}, Last Sequence ${info.state.last_seq}, Subjects ${info.config.subjects?.join(', ')}`;
    }
    if (a === 'consumer' && b === 'info') {
      const info = await jsm.consumers.info(c!, d!);
      return `Consumer ${info.name} on ${info.stream_name}: Unprocessed Messages ${info.num_pending}, Outstanding Acks ${info.num_ack_pending}, Redelivered Messages ${info.num_redelivered}, Acknowledgment Floor ${info.ack_floor.stream_seq}`;
    }
    if (a === 'stream' && b === 'view') {
      const subject = flag('--subject');
      const consumer = await jetstream(nc).consumers.get(c!, subject ? { filter_subjects: subject } : {});
      const info = await consumer.info();
      const out: string[] = [];
      if (info.num_pending > 0) {
        const batch = await consumer.fetch({ max_messages: info.num_pending, expires: 5000 });
        for await (const m of batch) {
          out.push(`[${m.seq}] Subject: ${m.subject} Received: ${new Date(m.info.timestampNanos / 1e6).toISOString()}\n${decode(m.data)}`);
          if (m.info.pending === 0) break;
        }
      }
      return out.length ? out.join('\n') : 'No messages';
    }
    if (a === 'stream' && b === 'get') {
      const last = flag('--last-for');
      const m = last ? await jsm.streams.getMessage(c!, { last_by_subj: last }) : await jsm.streams.getMessage(c!, { seq: Number(d) });
      if (!m) return 'no message';
      return `Item: ${c}#${m.seq} received ${m.time.toISOString()} on Subject ${m.subject}\n${decode(m.data)}`;
    }
    if (a === 'kv' && b === 'get') {
      // A key-value bucket is the stream KV_<bucket>; a key is the subject $KV.<bucket>.<key>.
      const m = await jsm.streams.getMessage(`KV_${c}`, { last_by_subj: `$KV.${c}.${d}` });
      if (!m) return 'nats: error: nats: key not found';
      return `${c} > ${d} revision: ${m.seq} created @ ${m.time.toISOString()}\n\n${decode(m.data)}`;
    }
    if (a === 'pub') {
      const h = natsHeaders();
      let i = 2;
      while (args[i] === '--header') {
        const [k, ...v] = args[i + 1]!.split(':');
        h.set(k!, v.join(':'));
        i += 2;
      }
      // A plain publish, as `nats pub` does: the stream captures the subject.
      nc.publish(b!, args[i] ?? '', { headers: h });
      await nc.flush();
      return `Published ${(args[i] ?? '').length} bytes to "${b}"`;
    }
    if (a === 'sub') {
      // `nats sub` prints what arrives until Ctrl-C; here: subscribed, and refused if the context may not read it.
      const sub = nc.subscribe(b!);
      let refused: Error | undefined;
      void (async () => {
        try {
          for await (const _ of sub);
        } catch (err) {
          refused = err as Error;
        }
      })();
      await nc.flush();
      await new Promise((r) => setTimeout(r, 200));
      sub.unsubscribe();
      if (refused) throw refused;
      return `Subscribing on ${b}`;
    }
    throw new Error(`the runbook harness does not know: ${line}`);
  } finally {
    await nc.close();
  }
}

/** The `nats …` lines of the ```sh blocks of a Markdown text, comments stripped. */
export function natsCommandsIn(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const text = block[1]!.replace(/\\\n\s*/g, ' ');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      if (line.startsWith('nats ') && !line.startsWith('nats context')) out.push(line);
    }
  }
  return out;
}
