import type { DeviceTimeSource } from './parsed-record.ts';

export type DriftVerdict = 'ok' | 'drift' | 'frozen' | 'insufficient';

/** The device clock of one port, boot and time source measured against host time. */
export interface DriftFit {
  readonly port: string;
  readonly boot: string;
  readonly source: DeviceTimeSource;
  /** Device seconds per host second. */
  readonly ratio: number;
  /** (ratio - 1) × 1e6. */
  readonly ppm: number;
  /** Half-width of the ratio's uncertainty, in ppm, derived from the data. */
  readonly uncertaintyPpm: number;
  readonly samples: number;
  /** Host-time span covered by the samples, in seconds. */
  readonly spanS: number;
  readonly verdict: DriftVerdict;
  readonly hint?: string;
}
