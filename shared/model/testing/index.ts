/** Test support for `shared/model`: float64 references of the built graphs, seeded random models, manifest fixtures. */
export * from './reference';
export * from './manifest-fixture';
