/**
 * Models trained elsewhere (ONNX from PyTorch, tfjs model.json): the analyses that run polylab's
 * engines on them, registered with the framework.
 *
 * @module
 */

import { registerAnalysis } from "../../experiment/registry.ts";
import { importedModels, validateImportedModelsParams } from "./imported.ts";

registerAnalysis(
  "imported-models",
  "NN2Poly and the exact Taylor engine on models exported by PyTorch (ONNX) and tfjs, beside reference coefficients.",
  importedModels,
  validateImportedModelsParams,
);
