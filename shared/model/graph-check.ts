/**
 * Checks that a model's graph is what its manifest says: the input exists, the probability output exists in the
 * declared format, and the graph's class labels (when it records them) equal `output.labels`, in order.
 * Catches a manifest copied from another model before any pixel is classified.
 */
import type { ModelManifest } from './manifest';
import type { OnnxSummary } from './onnx/wire';

/** The problems found, each a sentence saying what to change; empty when the graph matches. */
export function graphProblems(summary: OnnxSummary, manifest: ModelManifest): string[] {
  const out: string[] = [];
  const { input, output } = manifest;
  const names = (list: { name: string }[]): string => list.map((v) => `"${v.name}"`).join(', ') || 'none';
  if (!summary.inputs.some((i) => i.name === input.name)) out.push(`graph has no input "${input.name}" (inputs: ${names(summary.inputs)}): fix input.name`);
  const prob = summary.outputs.find((o) => o.name === output.probabilities);
  if (!prob) {
    out.push(`graph has no output "${output.probabilities}" (outputs: ${names(summary.outputs)}): fix output.probabilities`);
    return out;
  }
  if (output.format === 'tensor' && prob.kind !== 'tensor') out.push(`output "${prob.name}" is a ${prob.kind} (a ZipMap emits a sequence of maps), not a tensor: set output.format to "zipmap"`);
  if (output.format === 'zipmap' && prob.kind !== 'sequence') out.push(`output "${prob.name}" is a ${prob.kind}, not a ZipMap sequence of maps: set output.format to "tensor"`);
  if (output.label !== undefined && !summary.outputs.some((o) => o.name === output.label)) out.push(`graph has no output "${output.label}": fix or remove output.label`);
  // The labels of the probability columns, as recorded by the node that produces them (ZipMap keys or the
  // classifier's classlabels); graphs ending in Softmax/Mean record none.
  const producer = summary.nodes.find((n) => n.outputs.includes(output.probabilities));
  const graphLabels = producer?.classLabels;
  const declared: (number | string)[] = output.labels;
  if (graphLabels && (graphLabels.length !== declared.length || graphLabels.some((l, i) => l !== declared[i]))) {
    out.push(`the graph's class labels are [${graphLabels.join(', ')}] but output.labels is [${declared.join(', ')}]: copy the graph's labels, in its order`);
  }
  return out;
}
