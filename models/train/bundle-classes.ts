/**
 * The classes a trained model's bundle declares, from the labels found in the training table. The ONNX graph
 * always labels its probability columns with the integer class codes (int64), so a manifest class resolves to
 * its column through its `code` alone, whatever the table called it.
 */
import { CLASSES } from '../../shared/contract/classes';
import { GeoCropError } from '../../shared/contract/errors';

/**
 * How table labels become manifest classes:
 * - `crop-types`: GeoCrop's crop-type classes (`CLASSES`); labels are their codes (`0`…`9`) or names (`maize`).
 * - `crop-mask`: `0`/`1` or `non-crop`/`crop` → code 0 non-crop, code 1 crop.
 * - `labels`: as found: integer labels 0–254 are the codes, other labels get codes 0, 1, … in sorted order.
 */
export type ClassScheme = 'crop-types' | 'crop-mask' | 'labels';

/** Every {@link ClassScheme}, in the order the CLI lists them. */
export const CLASS_SCHEMES: readonly ClassScheme[] = ['crop-types', 'crop-mask', 'labels'];

/** A manifest class as the bundle writes it. */
export interface BundleClass {
  code: number;
  name: string;
  colour?: string;
}

/** What a bundle needs to know about its classes. */
export interface BundleClasses {
  /** Manifest classes, in code order (legends list them so). */
  classes: BundleClass[];
  /** The graph label (= class code) of each class index of the trained model, i.e. of each probability column. */
  labels: number[];
}

/** Crop-mask colours: crops stand out in warm yellow over a neutral grey, as DE Africa's crop mask shows them. */
const MASK_CLASSES: readonly BundleClass[] = [
  { code: 0, name: 'non-crop', colour: '#bdbdbd' },
  { code: 1, name: 'crop', colour: '#e8b21c' },
];
const MASK_NAMES: Readonly<Record<string, number>> = { '0': 0, '1': 1, 'non-crop': 0, noncrop: 0, non_crop: 0, crop: 1 };

const INTEGER = /^[+-]?\d+(\.0*)?$/;

function bad(message: string): never {
  throw new GeoCropError('MODEL_INVALID', message);
}

function ordered(found: readonly string[], code: (label: string) => BundleClass): BundleClasses {
  const byIndex = found.map(code);
  const codes = byIndex.map((c) => c.code);
  if (new Set(codes).size !== codes.length) bad(`two labels of the table (${found.join(', ')}) resolve to the same class code: each class needs one label.`);
  return { classes: [...byIndex].sort((a, b) => a.code - b.code), labels: codes };
}

/**
 * Manifest classes and graph labels for the class labels of a training table (`Dataset.classes`, in class-index
 * order). Classes absent from the table are left out: a bundle lists only classes its model can predict.
 *
 * @throws GeoCropError `MODEL_INVALID` naming a label the scheme does not know.
 * @example
 * bundleClasses(['0', '3', '9'], 'crop-types').labels; // [0, 3, 9]
 * bundleClasses(['crop', 'non-crop'], 'crop-mask').labels; // [1, 0]
 */
export function bundleClasses(found: readonly string[], scheme: ClassScheme): BundleClasses {
  switch (scheme) {
    case 'crop-types':
      return ordered(found, (label) => {
        const key = label.trim().toLowerCase();
        const c = INTEGER.test(key) ? CLASSES.find((k) => k.code === Number(key)) : CLASSES.find((k) => k.name === key || k.label.toLowerCase() === key);
        if (!c) bad(`label "${label}" is not a crop-type class: use codes 0–${CLASSES.length - 1} or names ${CLASSES.map((k) => k.name).join(', ')} (shared/contract/classes.ts), or --classes labels.`);
        return { code: c.code, name: c.name, colour: c.colour };
      });
    case 'crop-mask': {
      if (found.length !== 2) bad(`a crop mask has 2 classes but the label column holds ${found.length} (${found.join(', ')}).`);
      return ordered(found, (label) => {
        const code = MASK_NAMES[label.trim().toLowerCase().replace(/\.0*$/, '')];
        if (code === undefined) bad(`label "${label}" is not a crop-mask class: use 0/1 or non-crop/crop.`);
        return MASK_CLASSES[code];
      });
    }
    case 'labels': {
      const numeric = found.every((l) => INTEGER.test(l.trim()) && Number(l) >= 0 && Number(l) <= 254);
      return ordered(found, (label) => ({ code: numeric ? Number(label) : found.indexOf(label), name: label }));
    }
  }
}
