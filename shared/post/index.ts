/**
 * `shared/post`: post-classification clean-up of class rasters (the pipeline's `smooth` stage). Platform-neutral
 * (Web Worker and Node). Vectorisation will live here too.
 */
export { majorityFilter, DEFAULT_MAJORITY_KERNEL, type MajorityFilterOptions } from './majority-filter';
