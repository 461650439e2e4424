/**
 * The demo world's STAC catalogue as the API serves it: every `stac/*.ndjson` file of a generated world, read
 * once into memory (a few thousand small items) with collection documents computed from them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StacCatalog, StacCollectionDoc, StacItemDoc } from './stac-api';
import { collectionDocs } from './items';

/** Loads the catalogue of the world generated in `dir`. */
export function loadCatalog(dir: string): StacCatalog {
  const stacDir = path.join(dir, 'stac');
  const files = readdirSync(stacDir).filter((f) => f.endsWith('.ndjson')).sort();
  const items: StacItemDoc[] = [];
  for (const f of files) {
    for (const line of readFileSync(path.join(stacDir, f), 'utf8').split('\n')) if (line.trim()) items.push(JSON.parse(line) as StacItemDoc);
  }
  const byCollection = new Map<string, StacItemDoc[]>();
  for (const item of items) {
    const list = byCollection.get(item.collection ?? '') ?? [];
    list.push(item);
    byCollection.set(item.collection ?? '', list);
  }
  const collections = collectionDocs(items) as StacCollectionDoc[];
  return {
    collections: () => collections,
    items: (id) => byCollection.get(id) ?? [],
  };
}
