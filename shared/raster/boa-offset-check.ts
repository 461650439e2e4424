/**
 * Statistical check of the BOA offset a scene's metadata implies. Since processing baseline 04.00, ESA's L2A DN
 * carry +1000; legacy items say whether a converter removed it (`sentinel:boa_offset_applied`), and that flag is
 * sometimes wrong. The pixels tell: with the offset still in, clear land pixels almost never have a blue DN under
 * 1000 (that would be negative reflectance), while without it vegetation and water sit around 200–600. So the
 * first percentile of the clear blue DN separates the two cases by a wide margin.
 */

/** What the check concluded for one scene. */
export interface OffsetCheck {
  /** The offset (reflectance units, 0 or −0.1) to use. */
  offset: number;
  /** True when the pixels contradicted the metadata and `offset` was switched. */
  corrected: boolean;
  /** 1st percentile of the clear blue DN (null when too few clear pixels to judge). */
  p1: number | null;
}

/** Clear pixels needed before the statistics are trusted. */
export const MIN_CHECK_PIXELS = 500;
/** p1 of blue DN at or above this means the +1000 offset is in the data. */
export const OFFSET_PRESENT_P1 = 1000;

/**
 * Checks the offset the rules chose (`assumedOffset`, 0 or −0.1) against the clear blue DN of the scene.
 *
 * @param blueDn blue DN (uint16) on any grid; `clear` marks the clear pixels (same length).
 */
export function checkBoaOffset(blueDn: Uint16Array, clear: Uint8Array, assumedOffset: number, nodata = 0): OffsetCheck {
  // A histogram of the low DN range is enough for the first percentile and costs one pass, no sort.
  const cap = 4096;
  const hist = new Uint32Array(cap + 1);
  let total = 0;
  for (let i = 0; i < blueDn.length; i++) {
    if (!clear[i]) continue;
    const v = blueDn[i];
    if (v === nodata) continue;
    hist[v < cap ? v : cap]++;
    total++;
  }
  if (total < MIN_CHECK_PIXELS) return { offset: assumedOffset, corrected: false, p1: null };
  const target = Math.ceil(total * 0.01);
  let acc = 0;
  let p1 = cap;
  for (let v = 0; v <= cap; v++) {
    acc += hist[v];
    if (acc >= target) { p1 = v; break; }
  }
  const present = p1 >= OFFSET_PRESENT_P1;
  const assumedPresent = assumedOffset < 0;
  if (present === assumedPresent) return { offset: assumedOffset, corrected: false, p1 };
  return { offset: present ? -0.1 : 0, corrected: true, p1 };
}
