import { Observable, type Subscriber } from 'rxjs';
import type { BusMessage } from './bus-message.ts';

/**
 * The one fan-out point between analysis and sinks. Synchronous: a subscriber that needs
 * to do slow work (network, disk) must put messages in its own {@link BoundedQueue} and
 * return at once, so no sink can slow a source (DESIGN.md "sinks").
 *
 * A Subject would do, but rxjs 7 resolves to its ES5 build under Node (`dist/cjs`), where
 * `Subject.next` allocates a closure and a tslib `__values` iterator with a result object per
 * subscriber for every message: a fifth of what the analysis thread allocated at 25,000
 * lines/s (three messages a line, seven subscribers). Here `publish` calls each rxjs
 * {@link Subscriber} directly, which keeps rxjs's own error handling per subscriber (a throwing
 * handler is reported, the other subscribers still get the message, as with a Subject).
 */
export class EventBus {
  /** Replaced, never mutated, on (un)subscribe: a publish in progress keeps its list. */
  #subscribers: readonly Subscriber<BusMessage>[] = [];
  #completed = false;

  readonly messages$: Observable<BusMessage> = new Observable<BusMessage>((subscriber) => {
    if (this.#completed) {
      subscriber.complete();
      return;
    }
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
    };
  });

  publish(message: BusMessage): void {
    const subscribers = this.#subscribers;
    for (let k = 0; k < subscribers.length; k++) subscribers[k]!.next(message);
  }

  complete(): void {
    if (this.#completed) return;
    this.#completed = true;
    const subscribers = this.#subscribers;
    this.#subscribers = [];
    for (const s of subscribers) s.complete();
  }
}
