/**
 * Rendering of vega-lite specs to SVG (vega, headless `renderer: "none"`) and PNG (resvg-wasm with
 * the DejaVu Sans font, so text is drawn without any system fonts).
 *
 * Determinism: renders are serialised and vega's SVG clip/gradient id counters are reset before
 * each one, so the same spec always gives a byte-identical SVG (no timestamps, no random ids).
 * Text widths are estimated by vega from character counts (no canvas), identically on every machine.
 *
 * @module
 */

import * as vega from "vega";
import * as vl from "vega-lite";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../io/atomic.ts";

/** A vega-lite spec as a plain object (any `vega-lite` `TopLevelSpec` fits). */
export type VegaLiteSpec = Record<string, unknown>;

/** Font family used in every figure (must match the font loaded into resvg). */
export const FIGURE_FONT = "DejaVu Sans";

/**
 * Default look merged under every spec's own `config`: DejaVu Sans, white background, label text
 * ≥ 12 px, titles 13–15 px, horizontal labels on discrete x axes.
 */
export const DEFAULT_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  font: FIGURE_FONT,
  background: "white",
  padding: 8,
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: "#444", anchor: "start", offset: 8 },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: "normal",
    labelColor: "#222",
    titleColor: "#111",
  },
  axisXDiscrete: { labelAngle: 0 },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: "normal", labelLimit: 260 },
  header: { labelFontSize: 13, titleFontSize: 13, titleFontWeight: "normal" },
  text: { fontSize: 11 },
});

/** Name of the custom vega expression function that labels log-axis ticks (e.g. `10⁻³`). */
export const LOG_LABEL_FUNCTION = "polylabLogLabel";

const SUPERSCRIPT: Record<string, string> = {
  "-": "\u207b",
  "0": "\u2070",
  "1": "\u00b9",
  "2": "\u00b2",
  "3": "\u00b3",
  "4": "\u2074",
  "5": "\u2075",
  "6": "\u2076",
  "7": "\u2077",
  "8": "\u2078",
  "9": "\u2079",
};

/** Tick label for a log axis: exact powers of ten as `10ⁿ` (1 and 10 stay plain), others with 3 significant digits. */
export function logTickLabel(value: number): string {
  if (!(value > 0) || !Number.isFinite(value)) return "";
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) < 1e-9) {
    if (exponent === 0) return "1";
    if (exponent === 1) return "10";
    return "10" + [...String(exponent)].map((c) => SUPERSCRIPT[c]).join("");
  }
  return String(Number(value.toPrecision(3)));
}

/** Like {@link LOG_LABEL_FUNCTION} but labels only exact powers of ten (minor ticks stay unlabelled). */
export const LOG_MAJOR_LABEL_FUNCTION = "polylabLogLabelMajor";

/** Tick label for a log axis that labels only exact powers of ten (others → ""). */
export function logMajorTickLabel(value: number): string {
  const label = logTickLabel(value);
  return label === "1" || label.startsWith("10") ? label : "";
}

vega.expressionFunction(LOG_LABEL_FUNCTION, logTickLabel);
vega.expressionFunction(LOG_MAJOR_LABEL_FUNCTION, logMajorTickLabel);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merge `DEFAULT_CONFIG` under the spec's own `config` (one level deep per config group). */
export function withDefaultConfig(spec: VegaLiteSpec): VegaLiteSpec {
  const own = isPlainObject(spec.config) ? spec.config : {};
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(own)) {
    const base = config[key];
    config[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return { ...spec, config };
}

let renderQueue: Promise<unknown> = Promise.resolve();

/** Run `task` after all earlier renders finished (vega's SVG id counters are global). */
function serialised<T>(task: () => Promise<T>): Promise<T> {
  const result = renderQueue.then(task, task);
  renderQueue = result.catch(() => {});
  return result;
}

/**
 * Render any vega-lite spec to an SVG string (with {@link DEFAULT_CONFIG} merged in). Throws an
 * Error naming the problem if vega-lite cannot compile the spec.
 */
export function renderSvg(spec: object): Promise<string> {
  if (!isPlainObject(spec)) {
    return Promise.reject(new Error("renderSvg: `spec` must be a vega-lite spec object"));
  }
  let compiled: object;
  try {
    compiled = vl.compile(withDefaultConfig(spec) as unknown as vl.TopLevelSpec).spec;
  } catch (error) {
    return Promise.reject(
      new Error(`renderSvg: vega-lite could not compile the spec: ${(error as Error).message}`),
    );
  }
  return serialised(async () => {
    vega.resetSVGDefIds();
    const view = new vega.View(vega.parse(compiled as vega.Spec), { renderer: "none" });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  });
}

/** Find `node_modules/<pkg>/<file>` walking up from this module and from the working directory. */
export function findPackageFile(pkg: string, file: string): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), Deno.cwd()];
  for (const start of starts) {
    let dir = start;
    while (true) {
      const candidate = join(dir, "node_modules", pkg, file);
      try {
        Deno.statSync(candidate);
        return candidate;
      } catch {
        // keep walking up
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(
    `findPackageFile: node_modules/${pkg}/${file} not found — run \`deno install\` in the project root`,
  );
}

let resvgReady: Promise<Uint8Array> | undefined;

/** Initialise resvg-wasm once per process and load DejaVu Sans; resolves to the font bytes. */
function ensureResvg(): Promise<Uint8Array> {
  resvgReady ??= (async () => {
    const wasm = await Deno.readFile(findPackageFile("@resvg/resvg-wasm", "index_bg.wasm"));
    await initWasm(wasm);
    return await Deno.readFile(findPackageFile("dejavu-fonts-ttf", "ttf/DejaVuSans.ttf"));
  })();
  return resvgReady;
}

/** PNG size: `width` in pixels (height follows the aspect ratio) or a `scale` factor (default 2). */
export interface PngOptions {
  /** Output width in pixels; wins over `scale`. */
  width?: number;
  /** Zoom factor relative to the SVG's own size (default 2, for crisp text). */
  scale?: number;
}

/** Rasterise an SVG string to PNG bytes with DejaVu Sans as the only font, on white. */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  if (typeof svg !== "string" || !svg.includes("<svg")) {
    throw new Error("svgToPng: `svg` must be SVG markup (a string containing <svg ...>)");
  }
  const { width, scale = 2 } = options;
  if (width !== undefined && !(Number.isInteger(width) && width > 0)) {
    throw new Error(`svgToPng: \`width\` must be a positive integer number of pixels, got ${width}`);
  }
  if (!(scale > 0)) throw new Error(`svgToPng: \`scale\` must be > 0, got ${scale}`);
  const font = await ensureResvg();
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: width !== undefined ? { mode: "width", value: width } : { mode: "zoom", value: scale },
    font: {
      fontBuffers: [font],
      defaultFontFamily: FIGURE_FONT,
      sansSerifFamily: FIGURE_FONT,
      serifFamily: FIGURE_FONT,
      monospaceFamily: FIGURE_FONT,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** Render a vega-lite spec straight to PNG bytes (see {@link renderSvg}, {@link svgToPng}). */
export async function renderPng(spec: object, options?: PngOptions): Promise<Uint8Array> {
  return svgToPng(await renderSvg(spec), options);
}

/** Output formats for {@link writeFigure}. */
export type FigureFormat = "svg" | "png";

/** Options for {@link writeFigure}. */
export interface WriteFigureOptions extends PngOptions {
  /** Which files to write (default both `svg` and `png`). */
  formats?: readonly FigureFormat[];
}

/**
 * Render `spec` and write `<basePath>.svg` and/or `<basePath>.png` atomically (a trailing `.svg`/
 * `.png` on `basePath` is ignored). Returns the written paths in `formats` order.
 */
export async function writeFigure(
  basePath: string,
  spec: object,
  options: WriteFigureOptions = {},
): Promise<string[]> {
  const formats = options.formats ?? ["svg", "png"];
  if (formats.length === 0) {
    throw new Error("writeFigure: `formats` is empty — pass ['svg'], ['png'] or both");
  }
  for (const format of formats) {
    if (format !== "svg" && format !== "png") {
      throw new Error(`writeFigure: unknown format '${format}' in \`formats\` — use 'svg' or 'png'`);
    }
  }
  const base = basePath.replace(/\.(svg|png)$/i, "");
  const svg = await renderSvg(spec);
  const written: string[] = [];
  for (const format of formats) {
    const path = `${base}.${format}`;
    await writeFileAtomic(path, format === "svg" ? svg : await svgToPng(svg, options));
    written.push(path);
  }
  return written;
}
