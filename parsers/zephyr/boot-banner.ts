/**
 * Boot banners (reference/formats.md §2.1): `*** Booting Zephyr OS build v4.1.0-… ***`,
 * the 2018 `***** Booting Zephyr OS <ver> *****`, the 2019–2020 double space before the
 * closing stars, `version` instead of `build`, the ` (delayed boot Nms)` postfix, NCS's
 * `*** Booting nRF Connect SDK v2.5.0 ***` (followed by `*** Using Zephyr OS v3.5.99-ncs1 ***`)
 * and MCUboot's `*** Booting MCUboot build v2.1.0 ***`. CONFIG_BOOT_BANNER_STRING may change
 * the words, so anything `Booting …` between 3–5 stars is a banner.
 */
export interface BootBanner {
  readonly os: 'zephyr' | 'ncs' | 'mcuboot';
  readonly version: string | null;
  readonly delayMs?: number;
  /** The `*** Using Zephyr OS … ***` line NCS prints after its own banner: not a new boot. */
  readonly using?: boolean;
}

const BANNER = /^\*{3,5} (Booting|Using) (.*?)\s*\*{3,5}$/;
const DELAY_POSTFIX = /\s*\(delayed boot (\d+)ms\)$/;
const BOOT_DELAY = /^\*{5} delaying boot (\d+)ms/;

export function matchBootBanner(text: string): BootBanner | null {
  const m = BANNER.exec(text);
  if (!m) return null;
  let body = m[2] ?? '';
  let delayMs: number | undefined;
  const d = DELAY_POSTFIX.exec(body);
  if (d) {
    delayMs = Number(d[1]);
    body = body.slice(0, d.index);
  }
  const words = body.split(/\s+/).filter((w) => w.length > 0);
  let version: string | null = null;
  const last = words[words.length - 1];
  if (last !== undefined && /\d/.test(last) && words.length > 1) version = last;
  const name = body.toLowerCase();
  const os = name.includes('nrf connect') ? 'ncs' : name.includes('mcuboot') ? 'mcuboot' : 'zephyr';
  const banner: BootBanner = { os, version, ...(delayMs !== undefined ? { delayMs } : {}) };
  return m[1] === 'Using' ? { ...banner, using: true } : banner;
}

/** `***** delaying boot 500ms (per build configuration) *****` → 500. */
export function matchBootDelay(text: string): number | null {
  const m = BOOT_DELAY.exec(text);
  return m ? Number(m[1]) : null;
}
