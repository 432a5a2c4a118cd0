/**
 * A test-only method, registered from outside the framework and outside lib/methods/mod.ts: it
 * predicts, for every output, the network's mean output on the training inputs (size: one term
 * per output). Imported by the registry tests (and by worker threads through the module URL the
 * registry records).
 *
 * @module
 */

import { z } from "zod";
import type { Method } from "../../lib/experiment/method.ts";
import { registerMethod } from "../../lib/experiment/method_registry.ts";
import { forward } from "../../lib/network/network.ts";

/** Options: an offset added to the mean (to tell instances apart), and a cap the check enforces. */
export const networkMeanSchema = z.strictObject({
  offset: z.number().default(0),
  /** Refused (by the cross-field check) when above the number of training rows. */
  minRows: z.number().int().min(0).default(0),
});

/** The test method. */
export const networkMeanMethod: Method<z.infer<typeof networkMeanSchema>> = {
  name: "networkMean",
  label: "network mean",
  description: "test only: the network's mean training output, everywhere",
  sizeUnit: "terms",
  options: networkMeanSchema,
  check: (options, _config, shape) =>
    options.minRows > shape.trainN
      ? [{
        path: ["minRows"],
        message: `needs ${options.minRows} training rows, the config gives ${shape.trainN}`,
      }]
      : [],
  instances: (options, name) => [{ name, options }],
  build(input, options) {
    const nn = forward(input.network, input.trainX, input.trainN);
    const mean = new Float64Array(input.outputs);
    for (let i = 0; i < input.trainN; i++) {
      for (let o = 0; o < input.outputs; o++) mean[o] += nn[i * input.outputs + o];
    }
    for (let o = 0; o < input.outputs; o++) mean[o] = mean[o] / input.trainN + options.offset;
    return {
      size: input.outputs,
      evaluate(_x, n) {
        const out = new Float64Array(n * input.outputs);
        for (let i = 0; i < n; i++) out.set(mean, i * input.outputs);
        return out;
      },
    };
  },
};

registerMethod(networkMeanMethod, import.meta.url);
