import { connect, type Socket } from "node:net";

/**
 * Just enough of the NATS client protocol (docs.nats.io "Client Protocol") for the
 * JetStream tests: CONNECT, PUB, SUB, MSG/HMSG, PING/PONG, and request/reply on an
 * inbox. JetStream is then plain JSON over `$JS.API.*` subjects. Tests only; the
 * package itself never talks to NATS.
 */
export interface NatsMessage {
  readonly subject: string;
  readonly reply?: string;
  readonly headers?: string;
  readonly data: Buffer;
}

type Handler = (m: NatsMessage) => void;

export class NatsTestClient {
  private buffer = Buffer.alloc(0);
  private readonly subs = new Map<number, Handler>();
  private nextSid = 1;
  private readonly inbox = `_INBOX.${Math.random().toString(36).slice(2)}`;
  private nextRequest = 1;
  private pongs: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {}

  static async connect(port: number): Promise<NatsTestClient> {
    const socket = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new NatsTestClient(socket);
    socket.on("data", (d: Buffer) => client.receive(d));
    socket.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, headers: true, no_responders: true, protocol: 1, lang: "node-test", version: "0" })}\r\n`);
    await client.flush();
    return client;
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const eol = this.buffer.indexOf("\r\n");
      if (eol < 0) return;
      const line = this.buffer.subarray(0, eol).toString();
      const [op, ...args] = line.split(" ");
      if (op === "MSG" || op === "HMSG") {
        const headered = op === "HMSG";
        const total = Number(args[args.length - 1]);
        const headerBytes = headered ? Number(args[args.length - 2]) : 0;
        const reply = args.length === (headered ? 5 : 4) ? args[2] : undefined;
        if (this.buffer.length < eol + 2 + total + 2) return;
        const body = this.buffer.subarray(eol + 2, eol + 2 + total);
        this.buffer = this.buffer.subarray(eol + 2 + total + 2);
        const message: NatsMessage = { subject: args[0], ...(reply ? { reply } : {}), ...(headered ? { headers: body.subarray(0, headerBytes).toString() } : {}), data: Buffer.from(body.subarray(headerBytes)) };
        this.subs.get(Number(args[1]))?.(message);
        continue;
      }
      this.buffer = this.buffer.subarray(eol + 2);
      if (op === "PING") this.socket.write("PONG\r\n");
      else if (op === "PONG") this.pongs.shift()?.();
      else if (op === "-ERR") throw new Error(`NATS error: ${line}`);
    }
  }

  subscribe(subject: string, handler: Handler): number {
    const sid = this.nextSid++;
    this.subs.set(sid, handler);
    this.socket.write(`SUB ${subject} ${sid}\r\n`);
    return sid;
  }

  publish(subject: string, data: string | Buffer = "", reply?: string): void {
    const payload = typeof data === "string" ? Buffer.from(data) : data;
    this.socket.write(`PUB ${subject}${reply ? ` ${reply}` : ""} ${payload.length}\r\n`);
    this.socket.write(Buffer.concat([payload, Buffer.from("\r\n")]));
  }

  /** Round trip to the server: everything sent before has been processed. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.pongs.push(resolve);
      this.socket.write("PING\r\n");
    });
  }

  /**
   * A request on a fresh inbox subject with its own subscription (JetStream delivers a
   * pulled message under its stream subject, so replies are matched by subscription id);
   * resolves with the first reply or rejects after `timeoutMs`.
   */
  request(subject: string, data: string | Buffer = "", timeoutMs = 5_000): Promise<NatsMessage> {
    const reply = `${this.inbox}.${this.nextRequest++}`;
    return new Promise((resolve, reject) => {
      let sid = 0;
      const done = () => {
        this.subs.delete(sid);
        this.socket.write(`UNSUB ${sid}\r\n`);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no reply to ${subject} within ${timeoutMs} ms`));
      }, timeoutMs);
      sid = this.subscribe(reply, (m) => {
        clearTimeout(timer);
        done();
        resolve(m);
      });
      this.publish(subject, data, reply);
    });
  }

  /** A JetStream API call: JSON in, JSON out; an API error rejects. */
  async api<T = Record<string, unknown>>(subject: string, body: unknown = {}): Promise<T> {
    const m = await this.request(`$JS.API.${subject}`, JSON.stringify(body));
    const parsed = JSON.parse(m.data.toString()) as T & { error?: { code: number; description: string } };
    if (parsed.error) throw new Error(`$JS.API.${subject}: ${parsed.error.code} ${parsed.error.description}`);
    return parsed;
  }

  /**
   * One pull from a durable consumer: the next message, or undefined when none came
   * within `expiresMs` (the server answers 404/408 status messages, which carry no data).
   */
  async next(stream: string, consumer: string, expiresMs: number): Promise<NatsMessage | undefined> {
    const m = await this.request(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify({ batch: 1, expires: expiresMs * 1_000_000 }), expiresMs + 5_000);
    if (m.headers && /^NATS\/1\.0 (404|408|409)/.test(m.headers)) return undefined;
    return m;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Delivery count and stream sequence from a JetStream ack subject (`$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`, or the 2.10+ form with domain and account hash). */
export function ackInfo(reply: string): { delivered: number; streamSeq: number } {
  const t = reply.split(".");
  const tail = t.length === 9 ? t.slice(4) : t.slice(t.length - 6);
  return { delivered: Number(tail[0]), streamSeq: Number(tail[1]) };
}
