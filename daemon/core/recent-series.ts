/**
 * The series a port used in its current boot, one per time source, found by (boot, source)
 * without building a `port\0boot\0source` key string for every record with a device time
 * (the drift analyzer and the OTel device-time mapper each did, per record). A cache in front of
 * the owner's own map: the owner calls {@link forget} whenever it deletes one of a port's series.
 */
export class RecentSeries<T extends { readonly boot: string; readonly source: string }> {
  readonly #byPort = new Map<string, T[]>();

  find(port: string, boot: string, source: string): T | undefined {
    const list = this.#byPort.get(port);
    if (!list) return undefined;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      if (s.boot === boot && s.source === source) return s;
    }
    return undefined;
  }

  /** Adds a series the owner just looked up by key; series of the port's other boots drop out. */
  remember(port: string, series: T): void {
    const kept = (this.#byPort.get(port) ?? []).filter((s) => s.boot === series.boot && s !== series);
    this.#byPort.set(port, [...kept, series]);
  }

  forget(port: string): void {
    this.#byPort.delete(port);
  }
}
