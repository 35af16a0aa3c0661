import { Subject, type Observable } from 'rxjs';
import type { BusMessage } from './bus-message.ts';

/**
 * The one fan-out point between analysis and sinks. Synchronous: a subscriber that needs
 * to do slow work (network, disk) must put messages in its own {@link BoundedQueue} and
 * return at once, so no sink can slow a source (DESIGN.md "sinks").
 */
export class EventBus {
  readonly #subject = new Subject<BusMessage>();
  readonly messages$: Observable<BusMessage> = this.#subject.asObservable();

  publish(message: BusMessage): void {
    this.#subject.next(message);
  }

  complete(): void {
    this.#subject.complete();
  }
}
