import type { HelloMessage, ServerMessage } from '../../../../daemon/server/protocol.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 10_000;

/**
 * The WebSocket to the daemon, reopened with jittered exponential backoff (so a restarted
 * daemon is not hit by every open tab at the same instant). Each (re)connect starts with a
 * `hello` carrying the resume point, which the owner supplies.
 */
export class Connection {
  status = $state<ConnectionStatus>('connecting');
  /** Failed attempts since the last successful open. */
  attempts = $state(0);
  /** When the next attempt is due (ms epoch), while closed. */
  retryAt = $state<number | null>(null);
  connects = $state(0);

  #ws: WebSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    private readonly url: string,
    private readonly hello: () => HelloMessage,
    private readonly onMessage: (msg: ServerMessage) => void,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#ws?.close();
  }

  send(msg: unknown): boolean {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(msg));
    return true;
  }

  #open(): void {
    this.status = 'connecting';
    this.retryAt = null;
    const ws = new WebSocket(this.url);
    this.#ws = ws;
    ws.onopen = () => {
      this.status = 'open';
      this.attempts = 0;
      this.connects++;
      ws.send(JSON.stringify(this.hello()));
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let msg: ServerMessage;
      try {
        msg = JSON.parse(e.data) as ServerMessage;
      } catch {
        return;
      }
      this.onMessage(msg);
    };
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.status = 'closed';
      if (this.#stopped) return;
      const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempts);
      const delay = base / 2 + Math.random() * (base / 2);
      this.attempts++;
      this.retryAt = Date.now() + delay;
      this.#timer = setTimeout(() => this.#open(), delay);
    };
  }
}
